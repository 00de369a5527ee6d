import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../../emulator';
import { createRedisClient, connectionOptionsFromUrl } from '../../src/redis';
import { csrfTokenIn, HttpClient } from '../support/http-client';
import { testRunTempPrefix } from '../support/leftover-processes';
import { freePort, redisServerBinary } from '../support/redis-server';
import { startStack, type Stack } from '../support/stack';

const SLOTS = 16_384;

interface ClusterNodes {
  ports: number[];
  stop(): Promise<void>;
}

/** Three real redis-server masters in cluster mode, slots split between them. */
async function startCluster(): Promise<ClusterNodes> {
  const binary = redisServerBinary()!;
  // A folder naming the test run: the global teardown finds these servers by it if one is left.
  const dir = mkdtempSync(testRunTempPrefix('cluster'));
  const ports = [await freePort(), await freePort(), await freePort()];
  const children: ChildProcess[] = ports.map((port) =>
    spawn(
      binary,
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        join(dir, `nodes-${port}.conf`),
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'no',
        '--loglevel',
        'warning',
      ],
      { stdio: 'ignore' },
    ),
  );
  const admins: Redis[] = [];
  for (const port of ports) {
    const started = Date.now();
    for (;;) {
      const admin = new Redis(port, '127.0.0.1', {
        lazyConnect: true,
        retryStrategy: () => null,
        maxRetriesPerRequest: 0,
      });
      admin.on('error', () => undefined);
      try {
        await admin.connect();
        admins.push(admin);
        break;
      } catch (error) {
        admin.disconnect();
        if (Date.now() - started > 10_000) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }
  const share = Math.ceil(SLOTS / ports.length);
  for (const [index, admin] of admins.entries()) {
    await admin.call(
      'CLUSTER',
      'ADDSLOTSRANGE',
      String(index * share),
      String(Math.min(SLOTS, (index + 1) * share) - 1),
    );
  }
  for (const port of ports.slice(1)) await admins[0]!.call('CLUSTER', 'MEET', '127.0.0.1', String(port));
  const deadline = Date.now() + 20_000;
  for (;;) {
    const infos = await Promise.all(admins.map((admin) => admin.call('CLUSTER', 'INFO') as Promise<string>));
    if (infos.every((info) => info.includes('cluster_state:ok') && info.includes('cluster_known_nodes:3'))) break;
    if (Date.now() > deadline) throw new Error(`cluster did not form:\n${infos.join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  for (const admin of admins) admin.disconnect();
  return {
    ports,
    async stop() {
      await Promise.all(
        children.map(
          (child) =>
            new Promise<void>((resolve) =>
              child.exitCode !== null ? resolve() : (child.once('exit', () => resolve()), child.kill('SIGTERM')),
            ),
        ),
      );
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let cluster: ClusterNodes;
let stack: Stack;
let inspect: Cluster;

beforeAll(async () => {
  cluster = await startCluster();
  const nodes = cluster.ports.map((port) => `127.0.0.1:${port}`).join(',');
  stack = await startStack({ redisUrl: `redis://127.0.0.1:${cluster.ports[0]}`, env: { REDIS_CLUSTER_NODES: nodes } });
  stack.redis.on('error', () => undefined);
  inspect = new Cluster(cluster.ports.map((port) => ({ host: '127.0.0.1', port })));
});

afterAll(async () => {
  inspect?.disconnect();
  await stack?.close();
  await cluster?.stop();
});

async function allKeys(): Promise<string[]> {
  const keys: string[] = [];
  for (const node of inspect.nodes('master')) keys.push(...(await node.keys(`${stack.keyPrefix}*`)));
  return keys;
}

describe('Redis Cluster (three masters)', () => {
  it('when the app runs on a cluster, then it is a Cluster client and sign-in, refresh, rate limiting and sign-out all work', async () => {
    expect(stack.app.running.redis).toBeInstanceOf(Cluster);
    const client = new HttpClient();
    expect((await client.signIn(stack.app.url, DEMO_USER)).status).toBe(200);
    stack.emulator.expireAccessTokens();
    const account = await client.get(`${stack.app.url}/account`);
    expect(account.status).toBe(200);
    expect(stack.emulator.stats.grants.refresh_token).toBeGreaterThanOrEqual(1);
    // A few more people, so the keys have every chance to spread over the masters.
    for (let person = 0; person < 4; person += 1)
      expect((await new HttpClient().signIn(stack.app.url, DEMO_USER)).status).toBe(200);

    const keys = await allKeys();
    expect(keys.some((key) => key.includes(':sess:'))).toBe(true);
    expect(keys.some((key) => key.includes(':tokens:{'))).toBe(true);
    expect(keys.some((key) => key.includes(':rate-limit:auth:'))).toBe(true);
    // The keys are spread over the masters (11+ random keys on one node of three: p < 1e-4).
    const perNode = await Promise.all(
      inspect.nodes('master').map(async (node) => (await node.keys(`${stack.keyPrefix}*`)).length),
    );
    expect(perNode.filter((count) => count > 0).length).toBeGreaterThanOrEqual(2);

    const sessionKeys = async (): Promise<number> =>
      (await allKeys()).filter((key) => key.includes(':sess:') || key.includes(':tokens:')).length;
    const before = await sessionKeys();
    const done = await client.post(`${stack.app.url}/logout`, { _csrf: csrfTokenIn(account.body) });
    expect(new URL(done.url).pathname).toBe('/');
    // Its session and its token set are gone; the four other people's stay.
    expect(await sessionKeys()).toBe(before - 2);
  });

  it('when a person signs in twice on a cluster, then "Your sessions" lists both, ends the other, and the audit trail is one capped stream', async () => {
    const here = new HttpClient();
    const there = new HttpClient();
    await here.signIn(stack.app.url, DEMO_USER);
    await there.signIn(stack.app.url, DEMO_USER);
    const account = await here.get(`${stack.app.url}/account`);
    const others = [...account.body.matchAll(/name="session" value="([^"]+)"/g)].length;
    expect(others).toBeGreaterThanOrEqual(1);
    const ended = await here.post(`${stack.app.url}/account/sessions/end-others`, { _csrf: csrfTokenIn(account.body) });
    expect(ended.body).toMatch(/Signed out \d+ other sessions?\./);
    expect(ended.body).not.toContain('name="session"');
    expect((await there.get(`${stack.app.url}/projects`, { follow: false })).headers.get('location')).toMatch(
      /^\/\?signed_out=other_session&next=/,
    );
    const events = await inspect.xrevrange(`${stack.keyPrefix}audit`, '+', '-', 'COUNT', 1);
    expect(events[0]![1]).toContain('session-ended-elsewhere');
    // A person's index, details and counters share the hash tag {user:<id>}: one slot, so one script may touch them all.
    const slots = await Promise.all(
      ['user-sessions', 'user-session-info', 'person'].map((name) =>
        inspect.call('CLUSTER', 'KEYSLOT', `${stack.keyPrefix}${name}:{user:${DEMO_USER.id}}`),
      ),
    );
    expect(new Set(slots).size).toBe(1);
  });

  it('keys that must live together share a hash tag: a token set and its refresh lock are in one slot', async () => {
    const id = 'AbC123_xyz';
    const [tokenSlot, lockSlot] = await Promise.all([
      inspect.call('CLUSTER', 'KEYSLOT', `${stack.keyPrefix}tokens:{${id}}`),
      inspect.call('CLUSTER', 'KEYSLOT', `${stack.keyPrefix}refresh-lock:{${id}}`),
    ]);
    expect(tokenSlot).toBe(lockSlot);
    // The key prefix must not contain a hash tag of its own, or every key would land in one slot.
    expect(stack.keyPrefix).not.toMatch(/[{}]/);
  });
});

describe('createRedisClient', () => {
  it('when given Sentinels, then it asks them for the named master, with credentials and TLS from REDIS_URL', () => {
    const client = createRedisClient({
      mode: 'sentinel',
      sentinels: [{ host: 's1', port: 26379 }],
      name: 'mymaster',
      url: 'rediss://app:p%40ss@ignored:6379/2',
    });
    expect(client).toBeInstanceOf(Redis);
    const options = (client as Redis).options;
    expect(options.sentinels).toEqual([{ host: 's1', port: 26379 }]);
    expect(options.name).toBe('mymaster');
    expect(options).toMatchObject({
      username: 'app',
      password: 'p@ss',
      db: 2,
      enableOfflineQueue: false,
      lazyConnect: true,
      enableTLSForSentinelMode: true,
    });
    client.disconnect();
  });

  it('when given cluster nodes, then node connections fail fast too and offline queueing is off', () => {
    const client = createRedisClient({
      mode: 'cluster',
      nodes: [{ host: 'n1', port: 7000 }],
      url: 'redis://:secret@ignored:6379',
    }) as Cluster;
    expect(client).toBeInstanceOf(Cluster);
    expect(client.options.enableOfflineQueue).toBe(false);
    expect(client.options.redisOptions).toMatchObject({
      password: 'secret',
      commandTimeout: 1_000,
      maxRetriesPerRequest: 1,
    });
    client.disconnect();
  });

  it('reads credentials, database and TLS from a Redis URL', () => {
    expect(connectionOptionsFromUrl('redis://127.0.0.1:6379')).toEqual({});
    expect(connectionOptionsFromUrl('rediss://user:pw@host:6380/3')).toEqual({
      username: 'user',
      password: 'pw',
      db: 3,
      tls: {},
    });
  });
});
