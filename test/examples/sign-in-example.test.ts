import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createEmulator, DEMO_USER, type Emulator, type RunningEmulator } from '../../emulator';
import type { SessionAuth } from '../../src/procore-auth';
import { TokenCipher } from '../../src/procore-auth';
import { RedisTokenStore } from '../../src/procore-auth/token-store';
import { HttpClient } from '../support/http-client';
import { testRunEnv } from '../support/leftover-processes';
import { freePort } from '../support/redis-server';

const ROOT = path.resolve(__dirname, '..', '..');
const EXAMPLE = path.join('examples', 'sign-in.ts');
const KEY = randomBytes(32);

let emulator: Emulator;
let procore: RunningEmulator;
let example: ChildProcess;
let output = '';
let url: string;
let redis: Redis;

beforeAll(async () => {
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  emulator = createEmulator({ redirectUris: [`${url}/auth/callback`] });
  procore = await emulator.listen(0);
  redis = new Redis(inject('redisUrl'));
  example = spawn(process.execPath, ['--import', 'tsx', EXAMPLE], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...{ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...testRunEnv() },
      ...{
        PORT: String(port),
        APP_URL: url,
        REDIS_URL: inject('redisUrl'),
        SESSION_SECRET: randomBytes(32).toString('base64url'),
      },
      ...{
        TOKEN_ENCRYPTION_KEY: KEY.toString('base64'),
        PROCORE_CLIENT_ID: emulator.clientId,
        PROCORE_CLIENT_SECRET: emulator.clientSecret,
      },
      ...{ PROCORE_LOGIN_URL: procore.url, PROCORE_API_URL: procore.url },
    },
  });
  example.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  example.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const listening = new Promise<void>((resolve, reject) => {
    example.stdout!.on('data', () => output.includes('Listening on') && resolve());
    example.once('exit', () => reject(new Error(`The example exited:\n${output}`)));
  });
  await listening;
}, 30_000);

afterAll(async () => {
  example?.kill('SIGKILL');
  await procore?.close();
  const keys = await redis.keys('example:*');
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

/** The token set the example's session names, through the folder's own store. */
async function tokenSetIdOf(client: HttpClient): Promise<string> {
  const sid = client.sessionId(url, 'connect.sid');
  const stored = JSON.parse((await redis.get(`example:sess:${sid}`))!) as { auth: SessionAuth };
  return stored.auth.tokenSetId;
}

describe('examples/sign-in.ts, run as `npx tsx examples/sign-in.ts` against the emulator', () => {
  it('when it is counted, then it stays within 80 lines', () => {
    expect(readFileSync(path.join(ROOT, EXAMPLE), 'utf8').trimEnd().split('\n').length).toBeLessThanOrEqual(80);
  });

  it('when nobody is signed in, then GET / answers 200 with a sign-in link', async () => {
    const home = await new HttpClient().get(`${url}/`);
    expect(home.status).toBe(200);
    expect(home.body).toContain('href="/auth/procore"');
  });

  it('when a person signs in, lets the token expire and signs out, then each view shows their name, Procore saw one refresh and the grant was revoked', async () => {
    const client = new HttpClient();
    const signedIn = await client.signIn(url, DEMO_USER);
    expect(new URL(signedIn.url).pathname).toBe('/me');
    expect(signedIn.body).toContain(`Signed in as ${DEMO_USER.name}.`);

    // Expire the access token: at Procore, and in the stored set the example reads its expiry from.
    const tokenSetId = await tokenSetIdOf(client);
    const store = new RedisTokenStore(redis, new TokenCipher([KEY]), { keyPrefix: 'example:', ttlMs: 60_000 });
    const tokens = (await store.get(tokenSetId))!;
    await store.put(tokenSetId, { ...tokens, expiresAt: Date.now() - 1_000 });
    emulator.expireAccessTokens();
    emulator.resetStats();

    const views = await Promise.all([client.get(`${url}/me`), client.get(`${url}/me`), client.get(`${url}/me`)]);
    for (const view of views) expect(view.body).toContain(`Signed in as ${DEMO_USER.name}.`);
    expect((await client.get(`${url}/me`)).status).toBe(200);
    expect(emulator.stats.tokenRequests.refresh_token).toBe(1);

    const form = (await client.get(`${url}/me`)).body;
    const refreshed = (await store.get(tokenSetId))!;
    expect((await client.post(`${url}/logout`, {})).status).toBe(403);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form)![1]!;
    const signedOut = await client.post(`${url}/logout`, { _csrf: csrf });
    expect(new URL(signedOut.url).pathname).toBe('/');
    expect(signedOut.body).toContain('You are signed out.');
    expect(emulator.stats.revocations).toBe(1);
    expect(await store.get(tokenSetId)).toBeUndefined();
    // The grant is over at Procore: its last refresh token no longer works.
    const refresh = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: refreshed.refreshToken!,
      client_id: emulator.clientId,
      client_secret: emulator.clientSecret,
    });
    const refused = await fetch(`${procore.url}/oauth/token`, { method: 'POST', body: refresh });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toBe('invalid_grant');
    expect(new URL((await client.get(`${url}/me`)).url).pathname).toBe('/');
    expect(output).not.toMatch(/^\s+at\s/m);
  });
});
