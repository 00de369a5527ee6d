import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../../emulator';
import { HttpClient } from '../support/http-client';
import { startStack, type Stack, type TestApp } from '../support/stack';

/** The app's timeout for each Procore call in this file: short, so waiting for it is short. */
const TIMEOUT_MS = 300;

let stack: Stack;
/** The same app with a client secret Procore does not accept. */
let wrongSecretApp: TestApp;

beforeAll(async () => {
  stack = await startStack({ env: { PROCORE_TIMEOUT_MS: String(TIMEOUT_MS) } });
  wrongSecretApp = await stack.startAnotherApp({ PROCORE_CLIENT_SECRET: 'not-the-secret' });
});

afterEach(() => {
  stack.emulator.clearFaults();
});

afterAll(async () => {
  await stack?.close();
});

const callbackFor = (browser: HttpClient, appUrl = stack.app.url): Promise<URL> =>
  browser.signInUntilCallback(appUrl, DEMO_USER);

const codeExchanges = (): number =>
  stack.emulator.stats.requests.filter((request) => request.path === '/oauth/token').length;

describe('the code exchange at Procore’s token endpoint', () => {
  it('when the token endpoint does not answer within PROCORE_TIMEOUT_MS, then the 503 page shows after one attempt (no retry)', async () => {
    const browser = new HttpClient();
    const callback = await callbackFor(browser);
    stack.emulator.resetStats();
    stack.emulator.inject({ match: 'POST /oauth/token', delayMs: TIMEOUT_MS * 10 });
    const started = performance.now();
    const page = await browser.get(callback.toString());
    const elapsed = performance.now() - started;

    expect(page.status).toBe(503);
    expect(page.body).toContain('Procore is not answering');
    expect(page.body).toContain('href="/auth/procore"');
    expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
    expect(elapsed).toBeLessThan(TIMEOUT_MS * 5);
    expect(codeExchanges()).toBe(1);
    expect(stack.app.logs.text).toMatch(/"msg":"Procore is not answering"/);
  });

  it('when the token endpoint drops the connection, then the 503 page shows after one attempt', async () => {
    const browser = new HttpClient();
    const callback = await callbackFor(browser);
    stack.emulator.resetStats();
    stack.emulator.inject({ match: 'POST /oauth/token', dropConnection: true });
    const page = await browser.get(callback.toString());
    expect(page.status).toBe(503);
    expect(codeExchanges()).toBe(1);
  });

  it('when the token endpoint answers 500, then the 503 page shows after one attempt', async () => {
    const browser = new HttpClient();
    const callback = await callbackFor(browser);
    stack.emulator.resetStats();
    stack.emulator.inject({ match: 'POST /oauth/token', status: 500 });
    const page = await browser.get(callback.toString());
    expect(page.status).toBe(503);
    expect(page.body).toContain('Procore is not answering');
    expect(codeExchanges()).toBe(1);
  });

  it('when Procore answers invalid_grant (an unknown, used or expired code), then the 400 page says the link expired', async () => {
    const browser = new HttpClient();
    const callback = await callbackFor(browser);
    callback.searchParams.set('code', 'a-code-procore-never-issued');
    const page = await browser.get(callback.toString());
    expect(page.status).toBe(400);
    expect(page.body).toContain('That sign-in link has expired');
    expect(page.body).toContain('href="/auth/procore"');
  });

  it('when Procore answers invalid_client (a wrong client secret), then the 502 page names the settings to check', async () => {
    const browser = new HttpClient();
    const callback = await callbackFor(browser, wrongSecretApp.url);
    const page = await browser.get(callback.toString());
    expect(page.status).toBe(502);
    expect(page.body).toContain('Procore did not accept this app');
    expect(page.body).toContain('PROCORE_CLIENT_SECRET');
    expect(page.body).not.toContain('not-the-secret');
    expect(wrongSecretApp.logs.text).not.toContain('not-the-secret');
  });

  it('when Procore issues an access token for only 30 seconds, then it is used right after sign-in and refreshed once a quarter of its life is left (expires_in is read, never assumed)', async () => {
    stack.emulator.setTokenLifetime(30);
    try {
      const browser = new HttpClient();
      const callback = await callbackFor(browser);
      stack.emulator.resetStats();
      const page = await browser.get(callback.toString());
      expect(page.status).toBe(200);
      expect(stack.emulator.stats.grants.authorization_code).toBe(1);
      expect(stack.emulator.stats.grants.refresh_token).toBe(0);
      await stack.clock.advance(23_000);
      expect((await browser.get(`${stack.app.url}/account`)).status).toBe(200);
      expect(stack.emulator.stats.grants.refresh_token).toBe(1);
    } finally {
      stack.emulator.setTokenLifetime(5400);
    }
  });
});
