import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../../emulator';
import { HttpClient, type ClientResponse } from '../support/http-client';
import { startStack, type Stack, type TestApp } from '../support/stack';

let stack: Stack;
let httpsApp: TestApp;

beforeAll(async () => {
  stack = await startStack();
  // The same app configured for https behind a TLS-terminating proxy.
  httpsApp = await stack.startAnotherApp({ APP_URL: 'https://dashboard.example', TRUST_PROXY: 'true' });
});

afterAll(async () => {
  await stack?.close();
});

function csp(response: ClientResponse): Map<string, string[]> {
  const header = response.headers.get('content-security-policy') ?? '';
  return new Map(
    header
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

function expectStrictHeaders(response: ClientResponse, options: { https?: boolean } = {}): void {
  const policy = csp(response);
  expect(policy.get('default-src')).toEqual(["'self'"]);
  expect(policy.get('script-src')).toEqual(["'self'"]);
  expect(policy.get('script-src-attr')).toEqual(["'none'"]);
  expect(policy.get('object-src')).toEqual(["'none'"]);
  expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
  expect(policy.get('form-action')).toEqual(["'self'"]);
  expect(policy.get('base-uri')).toEqual(["'self'"]);
  expect(response.headers.get('content-security-policy')).not.toMatch(/unsafe-inline|unsafe-eval/);
  expect(policy.has('upgrade-insecure-requests')).toBe(options.https === true);
  expect(response.headers.get('referrer-policy')).toBe('same-origin');
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
  expect(response.headers.get('x-powered-by')).toBeNull();
  if (options.https) expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d{7,}/);
  else expect(response.headers.get('strict-transport-security')).toBeNull();
}

describe('response headers', () => {
  it('when a signed-in page is served, then it has a strict CSP, Referrer-Policy, no-store and no inline script', async () => {
    const client = new HttpClient();
    await client.signIn(stack.app.url, DEMO_USER);
    const page = await client.get(`${stack.app.url}/account`);
    expect(page.status).toBe(200);
    expectStrictHeaders(page);
    expect(page.headers.get('cache-control')).toBe('no-store');
    // No inline scripts or handlers for the CSP to have to allow.
    expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
    expect(page.body).not.toMatch(/\son[a-z]+=["']/i);
  });

  it('when the OAuth callback answers (success and failure), then it is no-store with the same strict headers', async () => {
    const client = new HttpClient();
    const page = await client.signIn(stack.app.url, DEMO_USER);
    const callbackHop = page.hops.find((hop) => hop.url.includes('/auth/callback'))!;
    expect(callbackHop.status).toBe(303);
    // Replay the callback by hand to see its headers (it is refused now, but with the same headers).
    const replay = await client.get(callbackHop.url, { follow: false });
    expect(replay.headers.get('cache-control')).toBe('no-store');
    expectStrictHeaders(replay);

    const fresh = new HttpClient();
    const callback = await fresh.signInUntilCallback(stack.app.url, DEMO_USER);
    const success = await fresh.get(callback.toString(), { follow: false });
    expect(success.status).toBe(303);
    expect(success.headers.get('cache-control')).toBe('no-store');
    expectStrictHeaders(success);
  });

  it('when static files are served, then they may be cached but keep the security headers', async () => {
    const response = await new HttpClient().get(`${stack.app.url}/static/app.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toMatch(/max-age=3600/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('session cookie over http (development)', () => {
  it('when the cookie is set, then it is HttpOnly, SameSite=Lax, Path=/, has no Domain and is not Secure', async () => {
    const response = await new HttpClient().get(`${stack.app.url}/auth/procore`, { follow: false });
    const cookie = response.headers.getSetCookie().find((line) => line.startsWith('procore-dashboard.sid='))!;
    expect(cookie).toBeDefined();
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=Lax/i);
    expect(cookie).toMatch(/;\s*Path=\/(;|$)/i);
    expect(cookie).not.toMatch(/;\s*Domain=/i);
    expect(cookie).not.toMatch(/;\s*Secure/i);
  });
});

describe('session cookie over https behind a proxy (APP_URL=https://…, TRUST_PROXY)', () => {
  it('when the proxy says the request came over https, then the cookie is __Host- prefixed, Secure, HttpOnly, Path=/ and has no Domain', async () => {
    const response = await new HttpClient().get(`${httpsApp.url}/auth/procore`, {
      follow: false,
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(response.status).toBe(302);
    const cookies = response.headers.getSetCookie();
    expect(cookies).toHaveLength(1);
    const cookie = cookies[0]!;
    expect(cookie).toMatch(/^__Host-procore-dashboard\.sid=/);
    expect(cookie).toMatch(/;\s*Secure/i);
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=Lax/i);
    expect(cookie).toMatch(/;\s*Path=\/(;|$)/i);
    expect(cookie).not.toMatch(/;\s*Domain=/i);
    // The redirect to Procore names the https callback.
    const authorize = new URL(response.headers.get('location')!);
    expect(authorize.searchParams.get('redirect_uri')).toBe('https://dashboard.example/auth/callback');
  });

  it('when a page is served for https, then HSTS and upgrade-insecure-requests are on', async () => {
    const response = await new HttpClient().get(`${httpsApp.url}/`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(response.status).toBe(200);
    expectStrictHeaders(response, { https: true });
  });

  it('when the request did not come over https, then no Secure cookie is sent over plain http', async () => {
    const response = await new HttpClient().get(`${httpsApp.url}/auth/procore`, { follow: false });
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it('when TRUST_PROXY is off, then a client cannot claim https with X-Forwarded-Proto', async () => {
    const untrusting = await stack.startAnotherApp({ APP_URL: 'https://dashboard.example', TRUST_PROXY: 'false' });
    try {
      const response = await new HttpClient().get(`${untrusting.url}/auth/procore`, {
        follow: false,
        headers: { 'x-forwarded-proto': 'https' },
      });
      expect(response.headers.getSetCookie()).toEqual([]);
    } finally {
      await untrusting.stop();
    }
  });
});
