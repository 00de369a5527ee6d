import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_USER, NORTHWIND_COMPANY_ID } from '../../emulator';
import type { SessionAuth } from '../../src/procore-auth/session-data';
import { HttpClient } from '../support/http-client';
import { startStack, type Stack } from '../support/stack';

/** The part of a session blob in Redis these tests read and change. */
type StoredSession = { auth: SessionAuth };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let stack: Stack;

beforeEach(async () => {
  stack = await startStack({ env: { PROCORE_TIMEOUT_MS: '2000' } });
});

afterEach(async () => {
  await stack?.close();
});

/** Signs in with a 2-second access token, moves the clock past its expiry, then lets new tokens live long. */
async function signInWithExpiredToken(client: HttpClient): Promise<void> {
  stack.emulator.setTokenLifetime(2);
  const page = await client.signIn(stack.app.url, DEMO_USER);
  expect(page.status).toBe(200);
  await stack.clock.advance(2_100);
  stack.emulator.setTokenLifetime(5_400);
  stack.emulator.resetStats();
}

describe('keeping the access token fresh', () => {
  it('when the access token has expired, then the page still renders and Procore saw one refresh', async () => {
    const client = new HttpClient();
    await signInWithExpiredToken(client);
    // A company not seen yet, so the page needs Procore (cached pages need no token at all).
    const page = await client.get(`${stack.app.url}/projects?company_id=${NORTHWIND_COMPANY_ID}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('Northwind Civil Group');
    expect(stack.emulator.stats.grants.refresh_token).toBe(1);
    // The next page uses the stored new pair without refreshing again.
    expect((await client.get(`${stack.app.url}/account`)).status).toBe(200);
    expect(stack.emulator.stats.grants.refresh_token).toBe(1);
  });

  it('when 100 requests arrive at once with one expired session, then all answer 200 and Procore saw exactly one refresh', async () => {
    const client = new HttpClient();
    await signInWithExpiredToken(client);
    const responses = await Promise.all(Array.from({ length: 100 }, () => client.get(`${stack.app.url}/account`)));
    expect(responses.map((response) => response.status)).toEqual(Array(100).fill(200));
    expect(stack.emulator.stats.tokenRequests.refresh_token).toBe(1);
    expect((await client.get(`${stack.app.url}/projects`)).status).toBe(200);
    expect(stack.emulator.stats.tokenRequests.refresh_token).toBe(1);
  });

  it('when two app processes share Redis and Procore is slow, then 100 concurrent requests split between them make exactly one refresh and none fail', async () => {
    const second = await stack.spawnAnotherApp();
    const client = new HttpClient();
    await signInWithExpiredToken(client);
    stack.emulator.setLatency({ tokenMs: 500 });
    // The same session cookie works on both servers: they share the session store.
    const cookie = client.cookies(stack.app.url).get('procore-dashboard.sid')!;
    client.setCookie(second.url, 'procore-dashboard.sid', cookie);
    const requests = Array.from({ length: 100 }, (_, index) =>
      client.get(`${index % 2 === 0 ? stack.app.url : second.url}/account`),
    );
    const responses = await Promise.all(requests);
    expect(responses.filter((response) => response.status !== 200)).toEqual([]);
    expect(stack.emulator.stats.tokenRequests.refresh_token).toBe(1);
    expect(stack.emulator.stats.grants.refresh_token).toBe(1);
  });

  it('when the instance holding the refresh lock is killed mid-refresh, then the next request succeeds once the lock expires', async () => {
    const doomed = await stack.spawnAnotherApp();
    const client = new HttpClient();
    await signInWithExpiredToken(client);
    client.setCookie(doomed.url, 'procore-dashboard.sid', client.cookies(stack.app.url).get('procore-dashboard.sid')!);
    // Procore holds the doomed instance's refresh call (and never processes it), then we kill that instance.
    stack.emulator.inject({ match: 'POST /oauth/token', delayMs: 1_500, status: 503 });
    const stuck = client.get(`${doomed.url}/account`).catch(() => undefined);
    const deadline = Date.now() + 10_000;
    while (!(await stack.keys()).some((key) => key.includes('refresh-lock')) && Date.now() < deadline) {
      await sleep(20);
    }
    const lockKey = (await stack.keys()).find((key) => key.includes('refresh-lock'));
    expect(lockKey).toBeDefined();
    doomed.kill('SIGKILL');
    await doomed.exited;
    await stuck;
    // Whether or not the dead instance's call reached Procore, Procore did not process it.
    stack.emulator.clearFaults();
    expect(await stack.redis.pttl(lockKey!)).toBeGreaterThan(0); // the dead holder's lock is still there
    // Move Redis's clock for the lease (PROCORE_TIMEOUT_MS + 5 s): it lapses in 300 ms, while the next request waits for it.
    await stack.redis.pexpire(lockKey!, 300);

    const page = await client.get(`${stack.app.url}/account`);
    expect(page.status, page.body).toBe(200);
    expect(page.body).toContain(DEMO_USER.name);
    expect(stack.emulator.stats.grants.refresh_token).toBe(1);
  }, 45_000);
});

describe('when refreshing fails', () => {
  it('when Procore answers invalid_grant, then the session is deleted and the person is asked to sign in and brought back afterwards', async () => {
    const client = new HttpClient();
    await signInWithExpiredToken(client);
    const sessionKey = `${stack.keyPrefix}sess:${client.sessionId(stack.app.url)}`;
    stack.emulator.revokeAll();
    const wanted = `/projects?company_id=${NORTHWIND_COMPANY_ID}`;
    const page = await client.get(`${stack.app.url}${wanted}`);
    expect(new URL(page.url).pathname).toBe('/');
    expect(new URL(page.url).searchParams.get('signed_out')).toBe('grant_revoked');
    expect(page.body).toContain('Please sign in again');
    expect(await stack.redis.exists(sessionKey)).toBe(0);
    expect((await stack.keys()).filter((key) => key.includes(':tokens:'))).toEqual([]);

    const signInHref = /id="sign-in" href="([^"]+)"/.exec(page.body)![1]!.replace(/&amp;/g, '&');
    const again = await client.submitLoginForm(await client.get(`${stack.app.url}${signInHref}`), DEMO_USER);
    expect(new URL(again.url).pathname + new URL(again.url).search).toBe(wanted);
  });

  it('when the refresh call fails on the network, then the person sees a 503 page, the session is kept and works once Procore answers again', async () => {
    const client = new HttpClient();
    await signInWithExpiredToken(client);
    const sessionKey = `${stack.keyPrefix}sess:${client.sessionId(stack.app.url)}`;
    stack.emulator.inject({ match: 'POST /oauth/token', dropConnection: true });
    const failed = await client.get(`${stack.app.url}/account`);
    expect(failed.status).toBe(503);
    expect(failed.body).toContain('Procore is not answering');
    expect(await stack.redis.exists(sessionKey)).toBe(1);
    expect((await stack.keys()).some((key) => key.includes(':tokens:'))).toBe(true);

    const recovered = await client.get(`${stack.app.url}/account`);
    expect(recovered.status).toBe(200);
    expect(stack.emulator.stats.grants.refresh_token).toBe(1);
  });

  it('when Procore rejects a token that should still be valid, then one refresh and one retry make the page work', async () => {
    const client = new HttpClient();
    await client.signIn(stack.app.url, DEMO_USER);
    stack.emulator.expireAccessTokens(); // revoked elsewhere, or our clock is off
    stack.emulator.resetStats();
    const page = await client.get(`${stack.app.url}/account`);
    expect(page.status).toBe(200);
    expect(stack.emulator.stats.grants.refresh_token).toBe(1);
  });

  it('when Procore keeps answering 401 after a refresh, then the session ends', async () => {
    const client = new HttpClient();
    await client.signIn(stack.app.url, DEMO_USER);
    stack.emulator.inject({ match: 'GET /rest/v1.0/me', status: 401, times: 2 });
    const page = await client.get(`${stack.app.url}/account`);
    expect(new URL(page.url).pathname).toBe('/');
    expect(new URL(page.url).searchParams.get('signed_out')).toBe('access_denied');
    expect((await stack.keys()).filter((key) => key.includes(':tokens:'))).toEqual([]);
  });
});

describe('what Redis holds', () => {
  it('when a person has signed in and refreshed, then no key in Redis holds an access or refresh token in plain text', async () => {
    const client = new HttpClient();
    await signInWithExpiredToken(client);
    expect((await client.get(`${stack.app.url}/account`)).status).toBe(200);
    expect(stack.emulator.stats.grants.refresh_token).toBe(1);
    const issued = new Set<string>();
    for (const request of stack.emulator.stats.requests) {
      const bearer = String(request.headers.authorization ?? '').replace(/^Bearer /, '');
      if (bearer) issued.add(bearer);
      if (typeof request.body.refresh_token === 'string') issued.add(request.body.refresh_token);
    }
    expect(issued.size).toBeGreaterThanOrEqual(2);
    const keys = await stack.keys();
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      const type = await stack.redis.type(key);
      const read: Record<string, () => Promise<unknown>> = {
        string: () => stack.redis.get(key),
        hash: () => stack.redis.hgetall(key),
        zset: () => stack.redis.zrange(key, 0, -1, 'WITHSCORES'),
        stream: () => stack.redis.xrange(key, '-', '+'),
      };
      expect(read[type], `${key} is a ${type}`).toBeDefined();
      const value = JSON.stringify(await read[type]!());
      for (const token of issued) expect(value).not.toContain(token);
    }
  });

  it('when a session is created, then its Redis TTL follows the idle timeout and the token set lives no longer than the session may', async () => {
    const client = new HttpClient();
    await client.signIn(stack.app.url, DEMO_USER);
    const sessionKey = `${stack.keyPrefix}sess:${client.sessionId(stack.app.url)}`;
    const tokenSetId = (JSON.parse((await stack.redis.get(sessionKey))!) as StoredSession).auth.tokenSetId;
    const idleMs = 120 * 60_000;
    const sessionTtl = await stack.redis.pttl(sessionKey);
    const tokenTtl = await stack.redis.pttl(`${stack.keyPrefix}tokens:{${tokenSetId}}`);
    expect(sessionTtl).toBeGreaterThan(idleMs - 60_000);
    expect(sessionTtl).toBeLessThanOrEqual(idleMs);
    const maxMs = 12 * 3_600_000;
    expect(tokenTtl).toBeGreaterThan(maxMs - 60_000);
    expect(tokenTtl).toBeLessThanOrEqual(maxMs);
  });

  it('when a session is older than SESSION_MAX_HOURS, then it ends even though it was used recently', async () => {
    const client = new HttpClient();
    await client.signIn(stack.app.url, DEMO_USER);
    const sessionKey = `${stack.keyPrefix}sess:${client.sessionId(stack.app.url)}`;
    const session = JSON.parse((await stack.redis.get(sessionKey))!) as StoredSession;
    session.auth.signedInAt = Date.now() - 13 * 3_600_000;
    await stack.redis.set(sessionKey, JSON.stringify(session), 'KEEPTTL');
    const page = await client.get(`${stack.app.url}/projects`);
    expect(new URL(page.url).searchParams.get('signed_out')).toBe('session_expired');
    expect(page.body).toContain('You were signed out because a session lasts at most 12 hours.');
    expect(await stack.redis.exists(sessionKey)).toBe(0);
  });
});

describe('the account page', () => {
  it('when signed in, then /account shows who is signed in and when the token expires, and no token', async () => {
    const client = new HttpClient();
    await client.signIn(stack.app.url, DEMO_USER);
    stack.emulator.resetStats();
    const page = await client.get(`${stack.app.url}/account`);
    expect(page.status).toBe(200);
    expect(page.body).toContain(DEMO_USER.name);
    expect(page.body).toContain(DEMO_USER.login);
    expect(page.body).toContain('Access token valid until');
    const tokens = stack.emulator.stats.requests
      .map((request) => String(request.headers.authorization ?? '').replace(/^Bearer /, ''))
      .filter(Boolean);
    expect(tokens.length).toBeGreaterThan(0);
    for (const token of tokens) expect(page.body).not.toContain(token);
    expect(stack.emulator.stats.requests.some((request) => request.path === '/oauth/token/info')).toBe(true);
  });
});
