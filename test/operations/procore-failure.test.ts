import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../../emulator';
import { DEFAULT_MAX_RETRIES } from '../../src/procore/retry';
import { HttpClient } from '../support/http-client';
import { startStack, type Stack } from '../support/stack';

const TIMEOUT_MS = 500;
/**
 * PROCORE_TIMEOUT_MS bounds one attempt; idempotent REST calls are retried DEFAULT_MAX_RETRIES
 * times with a short backoff. So a page waits at most (retries + 1) × timeout, plus a margin.
 */
const PAGE_BOUND_MS = (DEFAULT_MAX_RETRIES + 1) * TIMEOUT_MS + 1_500;

let stack: Stack;
let client: HttpClient;

beforeAll(async () => {
  stack = await startStack({ env: { PROCORE_TIMEOUT_MS: String(TIMEOUT_MS) } });
  client = new HttpClient();
  expect((await client.signIn(stack.app.url, DEMO_USER)).status).toBe(200);
});

afterAll(async () => {
  await stack?.close();
});

async function timed(
  path: string,
  who = client,
): Promise<{ status: number; ms: number; body: string; retryHref?: string }> {
  const started = performance.now();
  const response = await who.get(`${stack.app.url}${path}`, { follow: false });
  return { status: response.status, ms: performance.now() - started, body: response.body };
}

/** Runs the Procore side of a sign-in and stops before the callback. */
async function callbackUrlFor(who: HttpClient): Promise<string> {
  return (await who.signInUntilCallback(stack.app.url, DEMO_USER)).toString();
}

describe('Procore slower than PROCORE_TIMEOUT_MS', () => {
  it('when the REST API is slow, then the page answers 504 with a clear message within the bound', async () => {
    stack.emulator.setLatency({ apiMs: TIMEOUT_MS * 6 });
    try {
      const page = await timed('/account');
      expect(page.status).toBe(504);
      expect(page.body).toContain('Procore is not answering');
      expect(page.body).toContain('Your session is safe');
      expect(page.ms).toBeLessThan(PAGE_BOUND_MS);
      console.info(`slow Procore REST: 504 after ${Math.round(page.ms)} ms (bound ${PAGE_BOUND_MS} ms)`);
    } finally {
      stack.emulator.setLatency({ apiMs: 0 });
    }
    // The session survived.
    expect((await timed('/account')).status).toBe(200);
  });

  it('when the token endpoint is slow during a refresh, then the page answers with a clear message within the bound', async () => {
    stack.emulator.expireAccessTokens();
    stack.emulator.setLatency({ tokenMs: TIMEOUT_MS * 6 });
    try {
      const page = await timed('/account');
      expect([503, 504]).toContain(page.status);
      expect(page.body).toContain('Procore is not answering');
      expect(page.ms).toBeLessThan(PAGE_BOUND_MS);
    } finally {
      stack.emulator.setLatency({ tokenMs: 0 });
    }
  });

  it('when the token endpoint is slow on sign-in, then the callback answers 503 "try again" within the bound', async () => {
    const fresh = new HttpClient();
    const callback = await callbackUrlFor(fresh);
    stack.emulator.setLatency({ tokenMs: TIMEOUT_MS * 6 });
    try {
      const started = performance.now();
      const page = await fresh.get(callback, { follow: false });
      const ms = performance.now() - started;
      expect(page.status).toBe(503);
      expect(page.body).toContain('Procore is not answering');
      expect(page.body).toContain('href="/auth/procore"');
      // Code exchanges are never retried (codes are single-use): one timeout plus a margin.
      expect(ms).toBeLessThan(TIMEOUT_MS + 1_500);
    } finally {
      stack.emulator.setLatency({ tokenMs: 0 });
    }
  });
});

describe('Procore down (nothing listening)', () => {
  it('when Procore cannot be reached, then pages answer 503 with a clear message quickly, and health stays green', async () => {
    const signingIn = new HttpClient();
    const callback = await callbackUrlFor(signingIn);
    await stack.procore.close();

    const page = await timed('/account');
    expect(page.status).toBe(503);
    expect(page.body).toContain('Procore is unavailable right now');
    expect(page.ms).toBeLessThan(PAGE_BOUND_MS);
    console.info(`Procore down: 503 after ${Math.round(page.ms)} ms`);

    const started = performance.now();
    const signIn = await signingIn.get(callback, { follow: false });
    expect(signIn.status).toBe(503);
    expect(signIn.body).toContain('Procore is not answering');
    expect(performance.now() - started).toBeLessThan(PAGE_BOUND_MS);

    // Procore being down is not this instance being unhealthy: the load balancer keeps it.
    expect((await fetch(`${stack.app.url}/readyz`)).status).toBe(200);
    expect((await fetch(`${stack.app.url}/healthz`)).status).toBe(200);
  });
});
