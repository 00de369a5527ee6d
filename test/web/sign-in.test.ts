import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME_COMPANY_ID, DEMO_USER, NORTHWIND_COMPANY_ID } from '../../emulator';
import { csrfTokenIn, HttpClient, sessionIdOf } from '../support/http-client';
import { startStack, type Stack } from '../support/stack';
import type { SessionAuth } from '../../src/procore-auth/session-data';

/** What the app keeps in Redis for a session, as far as these tests read it. */
type StoredSession = { auth: SessionAuth };

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.close();
});

describe('signing in with Procore over HTTP', () => {
  it('when a person signs in on Procore, then they land on /projects and see their company projects', async () => {
    const client = new HttpClient();
    const page = await client.signIn(stack.app.url, DEMO_USER);

    expect(page.status).toBe(200);
    expect(new URL(page.url).pathname).toBe('/projects');
    expect(page.body).toContain('Acme Builders');
    expect(page.body).toContain('Dana Demo');
    // The whole journey: app → Procore authorize → Procore form post → app callback → projects.
    const paths = page.hops.map((hop) => new URL(hop.url).pathname);
    expect(paths).toEqual(['/auth/procore', '/oauth/authorize', '/oauth/authorize', '/auth/callback', '/projects']);
    expect(stack.emulator.stats.grants.authorization_code).toBeGreaterThanOrEqual(1);
  });

  it('when signed in, then the session lives in Redis and neither cookie nor page holds a token', async () => {
    const client = new HttpClient();
    stack.emulator.resetStats();
    const page = await client.signIn(stack.app.url, DEMO_USER);
    const tokenResponse = stack.emulator.stats.requests.find((request) => request.path === '/oauth/token');
    expect(tokenResponse).toBeDefined();

    const cookies = client.cookies(stack.app.url);
    // The session id, and a note that this browser was signed in (session handle and sign-in time, no secret).
    expect([...cookies.keys()].sort()).toEqual(['procore-dashboard.sid', 'procore-dashboard.sid.was']);
    expect(cookies.get('procore-dashboard.sid.was')).toMatch(/^[A-Za-z0-9_-]{22}\.\d+$/);
    const sessionId = sessionIdOf(cookies.get('procore-dashboard.sid')!);
    const stored = await stack.redis.get(`${stack.keyPrefix}sess:${sessionId}`);
    expect(stored).toBeTruthy();
    expect((JSON.parse(stored!) as StoredSession).auth.user.login).toBe(DEMO_USER.login);

    // Every token the emulator ever issued to this app: none may be in the cookie, page or session blob.
    const issued = stack.emulator.stats.requests
      .filter(
        (request) =>
          request.path === '/rest/v1.0/me' ||
          request.path === '/rest/v1.0/companies' ||
          request.path === '/rest/v1.0/projects',
      )
      .map((request) => String(request.headers.authorization).replace(/^Bearer /, ''));
    expect(issued.length).toBeGreaterThan(0);
    for (const token of new Set(issued)) {
      expect(cookies.get('procore-dashboard.sid')).not.toContain(token);
      expect(page.body).not.toContain(token);
      expect(stored).not.toContain(token);
    }
  });

  it('when the session cookie is set, then it is HttpOnly, SameSite=Lax, and not Secure over http', async () => {
    const client = new HttpClient();
    const start = await client.get(`${stack.app.url}/auth/procore`, { follow: false });
    const setCookie = start.headers.getSetCookie().join('\n');
    expect(setCookie).toMatch(/procore-dashboard\.sid=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).not.toMatch(/;\s*Secure/i);
  });

  it('when the sign-in starts, then Procore is asked with the exact redirect URI, a state and no scope', async () => {
    const client = new HttpClient();
    const start = await client.get(`${stack.app.url}/auth/procore`, { follow: false });
    const authorize = new URL(start.hops[0]!.location!);
    expect(authorize.origin + authorize.pathname).toBe(`${stack.procore.url}/oauth/authorize`);
    expect(authorize.searchParams.get('response_type')).toBe('code');
    expect(authorize.searchParams.get('client_id')).toBe(stack.emulator.clientId);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${stack.app.url}/auth/callback`);
    expect(authorize.searchParams.get('state')?.length).toBeGreaterThanOrEqual(16);
    expect(authorize.searchParams.has('scope')).toBe(false);
    expect(authorize.searchParams.has('code_challenge')).toBe(false);
  });

  it('when the session id existed before sign-in, then signing in gives a new one', async () => {
    const client = new HttpClient();
    await client.get(`${stack.app.url}/auth/procore`, { follow: false });
    const before = client.cookies(stack.app.url).get('procore-dashboard.sid');
    const loginPage = await client.get(`${stack.app.url}/auth/procore`);
    await client.submitLoginForm(loginPage, DEMO_USER);
    const after = client.cookies(stack.app.url).get('procore-dashboard.sid');
    expect(before).toBeTruthy();
    expect(after).toBeTruthy();
    expect(after).not.toBe(before);
  });

  it('when a protected page is asked for first, then after signing in the person is sent back to it', async () => {
    const client = new HttpClient();
    const wanted = `/projects?company_id=${NORTHWIND_COMPANY_ID}`;
    const home = await client.get(`${stack.app.url}${wanted}`);
    expect(new URL(home.url).pathname).toBe('/');
    const signInHref = /id="sign-in" href="([^"]+)"/.exec(home.body)![1]!.replace(/&amp;/g, '&');
    const loginPage = await client.get(`${stack.app.url}${signInHref}`);
    const page = await client.submitLoginForm(loginPage, DEMO_USER);
    expect(new URL(page.url).pathname + new URL(page.url).search).toBe(wanted);
    expect(page.body).toContain('Northwind Civil Group');
  });

  it('when the person switches company, then that company is shown and remembered', async () => {
    const client = new HttpClient();
    await client.signIn(stack.app.url, DEMO_USER);
    const northwind = await client.get(`${stack.app.url}/projects?company_id=${NORTHWIND_COMPANY_ID}`);
    expect(northwind.body).toMatch(/<h1>Northwind Civil Group<\/h1>/);
    const again = await client.get(`${stack.app.url}/projects`);
    expect(again.body).toMatch(/<h1>Northwind Civil Group<\/h1>/);
    const acme = await client.get(`${stack.app.url}/projects?company_id=${ACME_COMPANY_ID}`);
    expect(acme.body).toMatch(/<h1>Acme Builders<\/h1>/);
  });
});

describe('sign-in failures end on a clear page', () => {
  it('when the person clicks Deny on Procore, then they are back on the home page with a "Sign-in cancelled" notice, not an error page', async () => {
    const client = new HttpClient();
    const page = await client.signIn(stack.app.url, DEMO_USER, { action: 'deny' });
    expect(page.status).toBe(200);
    expect(new URL(page.url).pathname + new URL(page.url).search).toBe('/?sign_in=cancelled');
    expect(page.body).toMatch(/role="status">Sign-in cancelled/);
    expect(page.body).not.toContain('Error 403');
    expect(page.body).toContain('href="/auth/procore"');
    expect(page.body).not.toMatch(/at .*\(.*\.ts:\d+/);
  });

  it('when the state does not match, then the callback refuses with 403 and makes no token request', async () => {
    const client = new HttpClient();
    await client.get(`${stack.app.url}/auth/procore`, { follow: false });
    stack.emulator.resetStats();
    const page = await client.get(`${stack.app.url}/auth/callback?code=abc&state=forged`);
    expect(page.status).toBe(403);
    expect(page.body).toContain('couldn&#39;t verify this sign-in');
    expect(stack.emulator.stats.tokenRequests.authorization_code).toBe(0);
  });

  it('when a code is replayed, then the second callback gets a 400 page saying the link expired', async () => {
    const client = new HttpClient();
    const loginPage = await client.get(`${stack.app.url}/auth/procore`);
    const back = await client.submitLoginForm(loginPage, DEMO_USER);
    const callback = back.hops.find((hop) => hop.url.includes('/auth/callback'))!;
    // Start a new sign-in so a fresh state is in the session, then replay the old code with it.
    const second = await client.get(`${stack.app.url}/auth/procore`, { follow: false });
    const state = new URL(second.hops[0]!.location!).searchParams.get('state')!;
    const code = new URL(callback.url).searchParams.get('code')!;
    const replay = await client.get(
      `${stack.app.url}/auth/callback?code=${encodeURIComponent(code)}&state=${encodeURIComponent(state)}`,
    );
    expect(replay.status).toBe(400);
    expect(replay.body).toContain('That sign-in link has expired');
  });

  it('when the code is missing, then the callback answers 400', async () => {
    const page = await new HttpClient().get(`${stack.app.url}/auth/callback?state=x`);
    expect(page.status).toBe(400);
    expect(page.body).toContain('Sign-in link incomplete');
  });
});

describe('signing out', () => {
  it('when the person signs out, then Procore saw the revocation, the session and tokens are gone from Redis, and the old cookie opens nothing', async () => {
    const client = new HttpClient();
    const page = await client.signIn(stack.app.url, DEMO_USER);
    const cookie = client.cookies(stack.app.url).get('procore-dashboard.sid')!;
    const sessionId = sessionIdOf(cookie);
    const sessionKey = `${stack.keyPrefix}sess:${sessionId}`;
    const tokenSetId = (JSON.parse((await stack.redis.get(sessionKey))!) as StoredSession).auth.tokenSetId;
    const tokenKey = `${stack.keyPrefix}tokens:{${tokenSetId}}`;
    expect(await stack.redis.exists(tokenKey)).toBe(1);
    stack.emulator.resetStats();

    const done = await client.post(`${stack.app.url}/logout`, { _csrf: csrfTokenIn(page.body) });
    expect(done.hops.map((hop) => hop.location).filter(Boolean)).toEqual(['/?signed_out=1']);
    expect(new URL(done.url).pathname).toBe('/');
    expect(done.body).toContain('You have signed out.');
    expect(stack.emulator.stats.revocations).toBe(1);
    expect(await stack.redis.exists(sessionKey)).toBe(0);
    expect(await stack.redis.exists(tokenKey)).toBe(0);
    expect((await stack.keys()).filter((key) => key.includes(sessionId) || key.includes(tokenSetId))).toEqual([]);

    const replay = new HttpClient();
    replay.setCookie(stack.app.url, 'procore-dashboard.sid', cookie);
    const projects = await replay.get(`${stack.app.url}/projects`, { follow: false });
    expect(projects.status).toBe(303);
    expect(projects.headers.get('location')).toMatch(/^\/\?next=/);
  });

  it('when a refresh is under way in another request as the person signs out, then sign-out waits for it and no token set is left behind', async () => {
    const client = new HttpClient();
    const page = await client.signIn(stack.app.url, DEMO_USER);
    const sessionId = client.sessionId(stack.app.url);
    const tokenSetId = (JSON.parse((await stack.redis.get(`${stack.keyPrefix}sess:${sessionId}`))!) as StoredSession)
      .auth.tokenSetId;
    stack.emulator.expireAccessTokens();
    stack.emulator.resetStats();
    stack.emulator.setLatency({ tokenMs: 400 });
    try {
      // The account page refreshes the expired token; the token endpoint takes 400 ms to answer.
      const account = client.get(`${stack.app.url}/account`);
      while (!stack.emulator.stats.requests.some((request) => request.path === '/oauth/token'))
        await new Promise((resolve) => setTimeout(resolve, 10));
      const signedOut = await client.post(`${stack.app.url}/logout`, { _csrf: csrfTokenIn(page.body) });
      await account;
      expect(new URL(signedOut.url).pathname).toBe('/');
      expect(stack.emulator.stats.grants.refresh_token).toBe(1);
      // The refreshed pair is what got revoked, and nothing wrote it back after the delete.
      const revoked = stack.emulator.stats.requests.find((request) => request.path === '/oauth/revoke')!.body.token;
      const spent = stack.emulator.stats.requests.find((request) => request.path === '/oauth/token')!.body
        .refresh_token;
      expect(revoked).toBeTruthy();
      expect(revoked).not.toBe(spent);
      expect(await stack.redis.exists(`${stack.keyPrefix}tokens:{${tokenSetId}}`)).toBe(0);
    } finally {
      stack.emulator.setLatency({ tokenMs: 0 });
    }
  });

  it('when logout is posted without a CSRF token, then it is refused with 403 and the session survives', async () => {
    const client = new HttpClient();
    await client.signIn(stack.app.url, DEMO_USER);
    const refused = await client.post(`${stack.app.url}/logout`, {});
    expect(refused.status).toBe(403);
    const still = await client.get(`${stack.app.url}/projects`);
    expect(still.status).toBe(200);
  });
});
