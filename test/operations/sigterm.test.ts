import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createEmulator, DEMO_USER, type Emulator, type RunningEmulator } from '../../emulator';
import { HttpClient } from '../support/http-client';
import { freePort } from '../support/redis-server';
import { useTestRedis } from '../support/test-redis';
import { spawnApp, type ChildApp } from './child-app';

const API_LATENCY_MS = 1_000;

let emulator: Emulator;
let procore: RunningEmulator;
let app: ChildApp | undefined;
let appUrl: string;
let metricsUrl: string;
const { prefix: keyPrefix } = useTestRedis();

beforeAll(async () => {
  const port = await freePort();
  const metricsPort = await freePort();
  appUrl = `http://127.0.0.1:${port}`;
  metricsUrl = `http://127.0.0.1:${metricsPort}`;
  emulator = createEmulator({ redirectUris: [`${appUrl}/auth/callback`], apiLatencyMs: API_LATENCY_MS });
  procore = await emulator.listen(0);
  app = spawnApp({
    NODE_ENV: 'test',
    PORT: String(port),
    APP_URL: appUrl,
    PROCORE_LOGIN_URL: procore.url,
    PROCORE_API_URL: procore.url,
    PROCORE_CLIENT_ID: emulator.clientId,
    PROCORE_CLIENT_SECRET: emulator.clientSecret,
    PROCORE_TIMEOUT_MS: '5000',
    REDIS_URL: inject('redisUrl'),
    REDIS_KEY_PREFIX: keyPrefix,
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    METRICS_PORT: String(metricsPort),
    LOG_LEVEL: 'info',
  });
  await app.waitForOutput('procore-dashboard is listening');
});

afterAll(async () => {
  if (app && app.child.exitCode === null) app.child.kill('SIGKILL');
  await procore?.close();
});

describe('SIGTERM with requests in flight', () => {
  it('when SIGTERM arrives while slow requests run, then they complete with 200, new connections are refused, and the process exits 0', async () => {
    const client = new HttpClient();
    expect((await client.signIn(appUrl, DEMO_USER)).status).toBe(200);
    expect((await fetch(`${metricsUrl}/metrics`)).status).toBe(200);

    const started = performance.now();
    const seenBefore = emulator.stats.requests.length;
    const inFlight = Array.from({ length: 5 }, () =>
      client.get(`${appUrl}/account`).then((page) => ({ status: page.status, ms: performance.now() - started })),
    );
    // In flight for sure: Procore holds all five (its latency) when SIGTERM arrives.
    while (
      emulator.stats.requests.slice(seenBefore).filter((request) => request.path.startsWith('/rest/')).length < 5
    ) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    app!.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 100));

    // The listener is closed: a new connection is refused while the old requests still run.
    await expect(fetch(`${appUrl}/healthz`, { headers: { connection: 'close' } })).rejects.toThrow();

    const results = await Promise.all(inFlight);
    expect(results.map((result) => result.status)).toEqual([200, 200, 200, 200, 200]);
    for (const result of results) expect(result.ms).toBeGreaterThanOrEqual(API_LATENCY_MS - 50);

    const code = await app!.exited;
    const totalMs = performance.now() - started;
    expect(code, app!.stderr()).toBe(0);
    expect(totalMs).toBeLessThan(API_LATENCY_MS + 4_000); // not the 10 s grace: idle keep-alive connections are closed at once
    expect(app!.stdout()).toContain('shutting down: finishing in-flight requests');
    expect(app!.stderr()).toBe('');
    console.info(`SIGTERM: 5 in-flight requests finished with 200, exit 0 after ${Math.round(totalMs)} ms`);
  });
});
