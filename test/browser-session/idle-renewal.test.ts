import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { createSessionMiddleware, renewalStepMs } from '../../src/browser-session/session-middleware';
import { sessionIdOf } from '../support/http-client';
import { useTestRedis } from '../support/test-redis';

const IDLE_MINUTES = 30;
const IDLE_MS = IDLE_MINUTES * 60_000;
const testRedis = useTestRedis();
const prefix = testRedis.prefix;
let server: Server;
let baseUrl: string;
/** Lets a test hold a request between reading and saving the session. */
let hold: { reached: () => void; gate: Promise<void> } | undefined;

beforeAll(async () => {
  const config = loadConfig({
    REDIS_URL: inject('redisUrl'),
    REDIS_KEY_PREFIX: prefix,
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    SESSION_IDLE_MINUTES: String(IDLE_MINUTES),
    PROCORE_CLIENT_ID: 'id',
    PROCORE_CLIENT_SECRET: 'secret',
  });
  const app = express();
  const { keyPrefix } = config.redis;
  const { cookieName, secrets, idleTimeoutMs } = config.session;
  app.use(
    createSessionMiddleware({
      redis: testRedis.redis,
      keyPrefix,
      cookieName,
      secrets,
      idleTimeoutMs,
      secure: config.secureCookies,
    }),
  );
  app.get('/sign-in', (req, res) => {
    req.session.lastCompanyId = 1;
    res.send('ok');
  });
  app.get('/page', async (req, res) => {
    if (hold) {
      hold.reached();
      await hold.gate;
    }
    res.send(String(req.session.lastCompanyId ?? 'none'));
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

async function signIn(): Promise<{ cookie: string; key: string }> {
  const response = await fetch(`${baseUrl}/sign-in`);
  const cookie = response.headers.getSetCookie()[0]!.split(';')[0]!;
  const sid = sessionIdOf(cookie.split('=')[1]!);
  return { cookie, key: `${prefix}sess:${sid}` };
}

/** Makes the stored session look as if it was last saved `ageMs` ago (its idle deadline and TTL). */
async function age(key: string, ageMs: number): Promise<void> {
  const stored = JSON.parse((await testRedis.redis.get(key))!) as { cookie: { expires: string } };
  stored.cookie.expires = new Date(Date.now() + IDLE_MS - ageMs).toISOString();
  await testRedis.redis.set(key, JSON.stringify(stored), 'PX', IDLE_MS - ageMs);
}

describe('coarse idle renewal of sessions', () => {
  it('when a session is used again within a minute of its last save, then neither Redis nor the cookie is written', async () => {
    const { cookie, key } = await signIn();
    await age(key, 20_000);
    const before = await testRedis.redis.get(key);
    const response = await fetch(`${baseUrl}/page`, { headers: { cookie } });
    expect(await response.text()).toBe('1');
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(await testRedis.redis.get(key)).toBe(before);
    expect(await testRedis.redis.pttl(key)).toBeLessThanOrEqual(IDLE_MS - 20_000);
  });

  it('when the stored idle deadline is more than a step old, then one request moves it (Redis TTL and cookie expiry) to a full idle timeout again', async () => {
    expect(renewalStepMs(IDLE_MS)).toBe(60_000);
    const { cookie, key } = await signIn();
    await age(key, 61_000);
    const response = await fetch(`${baseUrl}/page`, { headers: { cookie } });
    expect(await response.text()).toBe('1');
    const [setCookie] = response.headers.getSetCookie();
    const cookieExpires = Date.parse(/Expires=([^;]+)/.exec(setCookie!)![1]!);
    expect(cookieExpires).toBeGreaterThan(Date.now() + IDLE_MS - 5_000);
    expect(setCookie!.split(';')[0]).toBe(cookie);
    expect(await testRedis.redis.pttl(key)).toBeGreaterThan(IDLE_MS - 5_000);
    const stored = JSON.parse((await testRedis.redis.get(key))!) as {
      cookie: { expires: string };
      lastCompanyId: number;
      renewedAt: number;
    };
    expect(new Date(stored.cookie.expires).getTime()).toBeGreaterThan(Date.now() + IDLE_MS - 5_000);
    expect(stored.lastCompanyId).toBe(1);

    // The next request within the minute writes nothing again.
    const after = await testRedis.redis.get(key);
    const next = await fetch(`${baseUrl}/page`, { headers: { cookie } });
    expect(next.headers.getSetCookie()).toEqual([]);
    expect(await testRedis.redis.get(key)).toBe(after);
  });

  it('when the session is deleted (signed out elsewhere) while a renewing request is running, then that request does not bring it back', async () => {
    const { cookie, key } = await signIn();
    await age(key, 5 * 60_000);
    let release!: () => void;
    let reached!: () => void;
    const inRoute = new Promise<void>((resolve) => (reached = resolve));
    hold = { reached, gate: new Promise((resolve) => (release = resolve)) };
    const pending = fetch(`${baseUrl}/page`, { headers: { cookie } });
    // The request has read the session and waits in its route when the sign-out deletes it.
    await inRoute;
    await testRedis.redis.del(key);
    release();
    hold = undefined;
    expect((await pending).status).toBe(200);
    expect(await testRedis.redis.exists(key)).toBe(0);
  });

  it('when a session id is unknown to Redis, then a new session is made and only saved once it holds something', async () => {
    const response = await fetch(`${baseUrl}/page`, {
      headers: { cookie: 'procore-dashboard.sid=s%3Anot-a-session.abc' },
    });
    expect(await response.text()).toBe('none');
    expect(response.headers.getSetCookie()).toEqual([]);
    const { key } = await signIn();
    expect(await testRedis.redis.pttl(key)).toBeGreaterThan(IDLE_MS - 5_000);
  });
});
