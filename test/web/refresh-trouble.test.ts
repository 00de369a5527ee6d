import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_USER, NORTHWIND_COMPANY_ID, SUMMIT_COMPANY_ID } from '../../emulator';
import { REFRESH_PAUSE_MS } from '../../src/procore-auth/token-refresher';
import { HttpClient } from '../support/http-client';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;

beforeEach(async () => {
  // Access tokens live 40 seconds: refreshed once 10 s are left (a quarter of their life).
  stack = await startStack({ emulator: { tokenLifetimeSeconds: 40 }, env: { ADMIN_USER_IDS: String(DEMO_USER.id) } });
});

afterEach(async () => {
  await stack?.close();
});

async function signedIn(): Promise<HttpClient> {
  const client = new HttpClient();
  expect((await client.signIn(stack.app.url, DEMO_USER)).status).toBe(200);
  stack.emulator.resetStats();
  return client;
}

/** Requests to the token endpoint since sign-in (refreshes: answered or refused). */
const refreshRequests = (): number =>
  stack.emulator.stats.requests.filter((request) => request.path === '/oauth/token').length;

/** Log lines at `level` (pino: 40 warn, 50 error) whose message contains `text`. */
function logged(level: number, text: string): string[] {
  return stack.app.logs.lines.filter((line) => {
    const entry = JSON.parse(line) as { level: number; msg?: string };
    return entry.level === level && (entry.msg ?? '').includes(text);
  });
}

describe('short-lived access tokens', () => {
  it('when tokens live 40 seconds, then three views right after sign-in cause no refresh, and a view with 10 s left causes one', async () => {
    const client = await signedIn();
    for (const path of ['/account', `/projects?company_id=${NORTHWIND_COMPANY_ID}`, '/account']) {
      expect((await client.get(`${stack.app.url}${path}`)).status).toBe(200);
      await stack.clock.advance(1_000);
    }
    expect(stack.emulator.stats.tokenRequests.refresh_token).toBe(0);
    await stack.clock.advance(28_000);
    expect((await client.get(`${stack.app.url}/account`)).status).toBe(200);
    expect(stack.emulator.stats.tokenRequests.refresh_token).toBe(1);
  });
});

describe("when Procore's token endpoint is down", () => {
  it('when the access token still works, then pages answer with live data, the refresh is not retried on every view, and it happens once the endpoint is back', async () => {
    const client = await signedIn();
    await stack.clock.advance(32_000); // 8 s left: inside the margin
    stack.emulator.setTokenEndpointDown(true);
    const first = await client.get(`${stack.app.url}/projects?company_id=${NORTHWIND_COMPANY_ID}`);
    expect(first.status).toBe(200);
    expect(first.body).not.toContain('id="stale-banner"');
    expect((await client.get(`${stack.app.url}/projects?company_id=${SUMMIT_COMPANY_ID}`)).status).toBe(200);
    expect((await client.get(`${stack.app.url}/account`)).status).toBe(200);
    expect(refreshRequests()).toBe(1);
    expect(logged(40, 'a token refresh failed (unavailable)')).toHaveLength(1);

    stack.emulator.setTokenEndpointDown(false);
    await stack.clock.advance(REFRESH_PAUSE_MS);
    expect((await client.get(`${stack.app.url}/account`)).status).toBe(200);
    expect(stack.emulator.stats.grants.refresh_token).toBe(1);
  });
});

describe("when Procore refuses this app's credentials", () => {
  it('when the client secret is refused on a refresh, then nobody is signed out, pages say so with 502, /admin and /readyz show it, and everything works again once it is accepted', async () => {
    const client = await signedIn();
    const secret = stack.emulator.clientSecret;
    stack.emulator.setClientSecret('rotated-in-the-developer-portal');
    await stack.clock.advance(41_000); // the access token has run out

    for (let view = 0; view < 2; view += 1) {
      const page = await client.get(`${stack.app.url}/account`);
      expect(page.status).toBe(502);
      expect(page.body).toContain('Procore refused this app&#39;s credentials');
      await stack.clock.advance(REFRESH_PAUSE_MS);
    }
    expect(refreshRequests()).toBe(2);
    expect(logged(50, "Procore refused this app's client credentials (invalid_client)")).toHaveLength(1);
    const ready = await fetch(`${stack.app.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ checks: { redis: 'ok', procoreCredentials: 'refused' } });
    const admin = await client.get(`${stack.app.url}/admin`);
    expect(admin.body).toContain('id="credentials-alert"');
    expect(admin.body).toContain('Nobody is signed out');

    stack.emulator.setClientSecret(secret);
    const again = await client.get(`${stack.app.url}/account`);
    expect(again.status).toBe(200);
    expect(new URL(again.url).pathname).toBe('/account');
    expect(stack.emulator.stats.grants.refresh_token).toBe(1);
    expect(await (await fetch(`${stack.app.url}/readyz`)).json()).toMatchObject({
      checks: { procoreCredentials: 'ok' },
    });
  });
});

describe('signing out', () => {
  it('when the access token has expired, then sign-out refreshes it first and revokes with the new access token (the only token Procore documents for revoke)', async () => {
    const client = await signedIn();
    const page = await client.get(`${stack.app.url}/account`);
    await stack.clock.advance(41_000);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    await client.post(`${stack.app.url}/logout`, { _csrf: csrf });
    const calls = stack.emulator.stats.requests.filter(
      (request) => request.path === '/oauth/token' || request.path === '/oauth/revoke',
    );
    expect(calls.map((request) => [request.path, request.status])).toEqual([
      ['/oauth/token', 200],
      ['/oauth/revoke', 200],
    ]);
    // What was revoked was a live access token, and it is revoked now (its refresh token with it).
    const revoked = String(calls[1]!.body.token);
    const me = await fetch(`${stack.procore.url}/rest/v1.0/me`, { headers: { authorization: `Bearer ${revoked}` } });
    expect(me.status).toBe(401);
    expect(await me.json()).toMatchObject({ message: 'The access token was revoked' });
    expect(await stack.redis.keys(`${stack.keyPrefix}tokens:*`)).toEqual([]);
  });
});
