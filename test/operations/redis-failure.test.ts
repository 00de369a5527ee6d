import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../../emulator';
import { HttpClient } from '../support/http-client';
import { startOwnedRedis, type OwnedRedis } from '../support/redis-server';
import { startStack, type Stack } from '../support/stack';

/** Every answer while Redis is away must come at least this fast (no hanging on a dead connection). */
const ANSWER_WITHIN_MS = 2_000;

let redis: OwnedRedis;
let stack: Stack;
let stopTraffic: () => Promise<void> = () => Promise.resolve();

beforeAll(async () => {
  redis = await startOwnedRedis();
  stack = await startStack({ redisUrl: redis.url });
  stack.redis.on('error', () => undefined); // the test's own inspection client: expected to lose Redis too
});

afterAll(async () => {
  await stopTraffic();
  await redis?.start().catch(() => undefined); // so the stack can clean its keys
  await stack?.close();
  await redis?.destroy();
});

interface Timed {
  status: number;
  ms: number;
  retryAfter: string | null;
  body: string;
}

async function timedGet(client: HttpClient, path: string): Promise<Timed> {
  const started = performance.now();
  const response = await client.get(`${stack.app.url}${path}`, { follow: false });
  return {
    status: response.status,
    ms: performance.now() - started,
    retryAfter: response.headers.get('retry-after'),
    body: response.body,
  };
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await check()) return performance.now() - started;
    if (performance.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('Redis goes away and comes back while requests run', () => {
  it('when Redis stops, then pages answer 503 fast, /readyz fails, /healthz passes; when it is back, the same session works again', async () => {
    // ioredis emits 'error' while reconnecting; without a listener that is an unhandled event.
    expect(stack.app.running.redis.listenerCount('error')).toBeGreaterThan(0);
    const client = new HttpClient();
    expect((await client.signIn(stack.app.url, DEMO_USER)).status).toBe(200);
    expect((await timedGet(client, '/account')).status).toBe(200);

    // Background traffic across the whole outage: signed-in pages, the home page and sign-in starts.
    const observed: Timed[] = [];
    let running = true;
    const traffic = (async () => {
      const anonymous = new HttpClient();
      while (running) {
        try {
          observed.push(
            await timedGet(client, '/account'),
            await timedGet(anonymous, '/'),
            await timedGet(anonymous, '/auth/procore'),
          );
        } catch (error) {
          observed.push({ status: -1, ms: 0, retryAfter: null, body: String(error) });
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    stopTraffic = async () => {
      running = false;
      await traffic;
    };

    // Traffic runs (pages answered) before the outage ...
    const answered = (status: number, from = 0): number =>
      observed.slice(from).filter((entry) => entry.status === status).length;
    await waitFor(() => Promise.resolve(answered(200) >= 3), 10_000);
    await redis.stop({ save: true });
    const outageFrom = observed.length;

    // While Redis is down.
    const page = await timedGet(client, '/account');
    expect(page.status).toBe(503);
    expect(page.ms).toBeLessThan(ANSWER_WITHIN_MS);
    expect(page.retryAfter).toBe('5');
    expect(page.body).toContain('Temporarily unavailable');
    expect(page.body).not.toMatch(/\s+at\s+\S+\s+\(|\.ts:\d+/);
    const ready = await fetch(`${stack.app.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'not ready', checks: { redis: 'unreachable' } });
    expect((await fetch(`${stack.app.url}/healthz`)).status).toBe(200);
    // The rate limiter lets it through (fail open). A browser without a session cookie has nothing
    // to load, but its new sign-in's state cannot be saved: no trip to Procore that could never
    // come back, a 503 instead; one with a cookie gets the 503 too.
    const signInStart = await timedGet(new HttpClient(), '/auth/procore');
    expect(signInStart.status).toBe(503);
    expect(signInStart.ms).toBeLessThan(ANSWER_WITHIN_MS);
    expect((await timedGet(client, '/auth/procore')).status).toBe(503);
    // ... and during it (refused pages) before Redis comes back.
    await waitFor(() => Promise.resolve(answered(503, outageFrom) >= 3), 10_000);
    // ... and until ioredis has tried to reconnect and said so (its first retry comes 200 ms after the drop).
    await waitFor(() => Promise.resolve(stack.app.logs.text.includes('redis connection problem')), 10_000);

    await redis.start();
    const recoveredAfterMs = await waitFor(async () => (await fetch(`${stack.app.url}/readyz`)).status === 200, 15_000);
    await stopTraffic();

    // The session was saved to disk by Redis and is still valid.
    const after = await timedGet(client, '/account');
    expect(after.status).toBe(200);
    expect(after.body).toContain(DEMO_USER.name);

    const statuses = new Set(observed.map((entry) => entry.status));
    const unexpected = observed.filter((entry) => ![200, 302, 503].includes(entry.status));
    expect(unexpected.map((entry) => `${entry.status}: ${entry.body.slice(0, 300)}`)).toEqual([]);
    expect(statuses.has(200)).toBe(true);
    expect(observed.some((entry) => entry.status === 503)).toBe(true);
    const slowest = observed.reduce((worst, entry) => (entry.ms > worst.ms ? entry : worst), observed[0]!);
    expect(slowest.ms, `slowest: ${slowest.status} ${slowest.body.slice(0, 200)}`).toBeLessThan(ANSWER_WITHIN_MS);
    expect(recoveredAfterMs).toBeLessThan(5_000);
    // The rate limiter failed open with a warning rather than an error page.
    expect(stack.app.logs.text).toContain('allowing request without rate-limiting');
    expect(stack.app.logs.text).toContain('redis connection problem');
    // ... and its recovery is logged once, after the problems.
    expect(stack.app.logs.lines.filter((line) => line.includes('redis connection is back'))).toHaveLength(1);
    expect(stack.app.logs.text.lastIndexOf('redis connection problem')).toBeLessThan(
      stack.app.logs.text.indexOf('redis connection is back'),
    );
    console.info(
      `redis outage: ${observed.length} requests, ${observed.filter((entry) => entry.status === 503).length} answered 503, ` +
        `slowest ${Math.round(Math.max(...observed.map((entry) => entry.ms)))} ms, ready again ${Math.round(recoveredAfterMs)} ms after restart`,
    );
  });

  it('when Redis is back, then sign-in, the rate limiter and new sessions work again', async () => {
    const client = new HttpClient();
    const page = await client.signIn(stack.app.url, DEMO_USER);
    expect(page.status).toBe(200);
    expect((await stack.keys()).some((key) => key.includes('rate-limit:auth:'))).toBe(true);
  });
});
