import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../../emulator';
import { HttpClient } from '../support/http-client';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.close();
});

const auditLength = (): Promise<number> => stack.redis.xlen(`${stack.keyPrefix}audit`);

async function latestAuditEvent(): Promise<string[]> {
  const [entry] = await stack.redis.xrevrange(`${stack.keyPrefix}audit`, '+', '-', 'COUNT', 1);
  return entry?.[1] ?? [];
}

async function strayCallbacks(): Promise<number> {
  const { values } = await stack.app.running.metrics.strayCallbacks.get();
  return values.reduce((sum, { value }) => sum + value, 0);
}

const LURE = 'Your account is locked. Call +1 555 0100 or visit evil.example';

describe("callbacks that answer none of this browser's sign-ins", () => {
  it('when 40 callbacks arrive with OAuth errors, forged states, no code or no state, from new browsers and one waiting for another sign-in, then the audit trail gains nothing and a metric counts them', async () => {
    const waiting = new HttpClient();
    await waiting.startSignIn(stack.app.url);
    const before = { audit: await auditLength(), stray: await strayCallbacks() };
    const queries = [
      `error=server_error&error_description=${encodeURIComponent(LURE)}`,
      'error=access_denied&error_description=x&state=forged',
      'code=abc&state=forged',
      'state=forged',
    ];
    for (let round = 0; round < 10; round += 1) {
      const browser = round % 2 === 0 ? new HttpClient() : waiting;
      for (const query of queries) {
        const response = await browser.get(`${stack.app.url}/auth/callback?${query}`, {
          follow: false,
          headers: { 'x-forwarded-for': `198.51.100.${round}` },
        });
        expect(response.status, query).toBeGreaterThanOrEqual(400);
      }
    }
    expect(await auditLength()).toBe(before.audit);
    expect((await strayCallbacks()) - before.stray).toBe(40);
    // The browser still waiting for its own sign-in can finish it.
    expect((await waiting.signIn(stack.app.url, DEMO_USER)).status).toBe(200);
  });

  it("when a link carries error_description but no state of this browser, then the page shows a fixed message for the error code and none of the link's text", async () => {
    const cases = [
      ['server_error', 'Procore ran into a problem while signing you in.'],
      ['temporarily_unavailable', 'Procore is too busy to sign you in right now.'],
      ['invalid_request', 'Procore did not accept this dashboard&#39;s sign-in request.'],
      ['access_denied', 'Procore did not allow this sign-in.'],
      ['made_up', 'Procore sent you back without signing you in.'],
      ['constructor', 'Procore sent you back without signing you in.'],
    ] as const;
    for (const [code, text] of cases) {
      const page = await new HttpClient().get(
        `${stack.app.url}/auth/callback?error=${code}&error_description=${encodeURIComponent(LURE)}&state=forged`,
      );
      expect(page.status, code).toBe(400);
      expect(page.body, code).toContain(text);
      expect(page.body, code).not.toMatch(/evil\.example|locked|555|cancelled/i);
    }
  });
});

describe("callbacks that answer this browser's own sign-in", () => {
  it('when Procore refuses it with an error, then the page shows what Procore said and the audit trail records the refusal', async () => {
    const browser = new HttpClient();
    const state = await browser.startSignIn(stack.app.url, { headers: { 'x-forwarded-for': '203.0.113.9' } });
    const page = await browser.get(
      `${stack.app.url}/auth/callback?error=temporarily_unavailable&error_description=${encodeURIComponent('Down for <b>maintenance</b>')}&state=${state}`,
    );
    expect(page.status).toBe(400);
    expect(page.body).toContain('Procore said: Down for &lt;b&gt;maintenance&lt;/b&gt;');
    expect(await latestAuditEvent()).toEqual(
      expect.arrayContaining(['type', 'sign-in-refused', 'detail', 'refused_by_procore (temporarily_unavailable)']),
    );
    // The state was used up: the same link again is a stranger's.
    const again = await browser.get(
      `${stack.app.url}/auth/callback?error=temporarily_unavailable&error_description=again&state=${state}`,
    );
    expect(again.body).not.toContain('Procore said');
  });

  it('when the person says no at Procore, then they are back home with "Sign-in cancelled" and the trail records it', async () => {
    const page = await new HttpClient().signIn(stack.app.url, DEMO_USER, { action: 'deny' });
    expect(new URL(page.url).search).toBe('?sign_in=cancelled');
    expect(page.body).toContain('Sign-in cancelled');
    expect(await latestAuditEvent()).toEqual(
      expect.arrayContaining(['type', 'sign-in-refused', 'detail', 'cancelled (access_denied)']),
    );
  });
});

describe('sessions made before sign-in', () => {
  it('when a browser without a cookie starts a sign-in, then the session kept for it expires within 900 s; once signed in, the session has the idle timeout', async () => {
    const browser = new HttpClient();
    await browser.startSignIn(stack.app.url);
    const ttl = await stack.redis.ttl(`${stack.keyPrefix}sess:${browser.sessionId(stack.app.url)}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(900);
    await browser.signIn(stack.app.url, DEMO_USER);
    const signedInTtl = await stack.redis.ttl(`${stack.keyPrefix}sess:${browser.sessionId(stack.app.url)}`);
    expect(signedInTtl).toBeGreaterThan(900);
  });
});
