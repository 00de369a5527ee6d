import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../support/http-client';
import { startStack, type Stack, type TestApp } from '../support/stack';

const LIMIT = 4;

let stack: Stack;
let second: TestApp;

beforeAll(async () => {
  // One proxy hop in front: the client address is the last one the proxy appended.
  stack = await startStack({ env: { AUTH_RATE_LIMIT_PER_MINUTE: String(LIMIT), TRUST_PROXY: '1' } });
  second = await stack.startAnotherApp();
});

afterAll(async () => {
  await stack?.close();
});

const from = (ip: string) => ({ follow: false, headers: { 'x-forwarded-for': ip } });

describe('rate limiting of /auth/* per client IP, shared by every instance through Redis', () => {
  it('when one IP starts sign-in more than AUTH_RATE_LIMIT_PER_MINUTE times, then it gets a 429 page with Retry-After', async () => {
    const client = new HttpClient();
    for (let attempt = 1; attempt <= LIMIT; attempt += 1) {
      const response = await client.get(`${stack.app.url}/auth/procore`, from('203.0.113.10'));
      expect(response.status).toBe(302);
      expect(response.headers.get('ratelimit')).toMatch(new RegExp(`r=${LIMIT - attempt}\\b`));
    }
    const refused = await client.get(`${stack.app.url}/auth/procore`, from('203.0.113.10'));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(refused.headers.get('content-type')).toMatch(/text\/html/);
    expect(refused.body).toContain('Error 429');
    expect(refused.body).toContain('Too many sign-in attempts');
    expect(refused.headers.get('cache-control')).toBe('no-store');
    // The callback counts against the same budget.
    expect((await client.get(`${stack.app.url}/auth/callback?code=x&state=y`, from('203.0.113.10'))).status).toBe(429);
  });

  it('when the same IP reaches another instance, then it is refused there too (the count lives in Redis)', async () => {
    const refused = await new HttpClient().get(`${second.url}/auth/procore`, from('203.0.113.10'));
    expect(refused.status).toBe(429);
    const keys = await stack.keys();
    expect(keys.some((key) => key.startsWith(`${stack.keyPrefix}rate-limit:auth:`))).toBe(true);
  });

  it('when another IP signs in, then it has its own budget', async () => {
    expect((await new HttpClient().get(`${stack.app.url}/auth/procore`, from('198.51.100.7'))).status).toBe(302);
  });

  it('when a client forges X-Forwarded-For, then with one trusted hop only the address the proxy appended counts', async () => {
    // A proxy appends the real peer: "forged, real". The forged part must not buy a fresh budget.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const response = await new HttpClient().get(
        `${stack.app.url}/auth/procore`,
        from(`10.9.9.${attempt}, 203.0.113.10`),
      );
      expect(response.status).toBe(429);
    }
  });

  it('when pages outside /auth are asked for often, then they are not limited', async () => {
    for (let attempt = 0; attempt < LIMIT * 3; attempt += 1) {
      expect((await new HttpClient().get(`${stack.app.url}/`, from('203.0.113.10'))).status).toBe(200);
    }
  });

  it('when requests were refused, then the metrics count them', async () => {
    const text = await stack.app.running.metrics.render();
    expect(text).toMatch(/^auth_rate_limited_total [1-9]\d*$/m);
  });
});
