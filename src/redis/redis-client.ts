import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { RedisClient } from '../procore-auth/redis-unavailable';

/** Where Redis is: one node, a Sentinel group, or a Cluster (REDIS_URL carries credentials and TLS). */
export type RedisConnection =
  | { mode: 'single'; url: string }
  | { mode: 'sentinel'; sentinels: Array<{ host: string; port: number }>; name: string; url: string }
  | { mode: 'cluster'; nodes: Array<{ host: string; port: number }>; url: string };

/**
 * Commands fail fast instead of queueing while Redis is away (`enableOfflineQueue: false`),
 * so a page answers a clear 503 rather than hanging; ioredis keeps reconnecting in the background.
 * A Redis that is there but does not answer (stopped, swapping, stuck on a slow command) keeps its
 * connection open, so only `commandTimeout` bounds the wait: 1 s, far above a healthy command's
 * time (well under a millisecond on a local network), lets a page that makes two calls answer its
 * 503 within 2.5 s.
 */
export const REDIS_COMMAND_TIMEOUT_MS = 1_000;

const SHARED_OPTIONS: RedisOptions = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  connectTimeout: 5_000,
  commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
  retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  lazyConnect: true,
};

/**
 * Username, password, database and TLS from REDIS_URL, so a Sentinel or Cluster deployment can
 * use `REDIS_URL=rediss://:password@ignored` for credentials while the nodes come from
 * REDIS_SENTINELS / REDIS_CLUSTER_NODES.
 */
export function connectionOptionsFromUrl(url: string): Pick<RedisOptions, 'username' | 'password' | 'db' | 'tls'> {
  const options: Pick<RedisOptions, 'username' | 'password' | 'db' | 'tls'> = {};
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return options;
  }
  if (parsed.username) options.username = decodeURIComponent(parsed.username);
  if (parsed.password) options.password = decodeURIComponent(parsed.password);
  const db = /^\/(\d+)$/.exec(parsed.pathname)?.[1];
  if (db !== undefined) options.db = Number(db);
  if (parsed.protocol === 'rediss:') options.tls = {};
  return options;
}

export function createRedisClient(redis: RedisConnection, connectionName = 'procore-dashboard'): RedisClient {
  switch (redis.mode) {
    case 'sentinel': {
      const { username, password, db, tls } = connectionOptionsFromUrl(redis.url);
      return new Redis({
        ...SHARED_OPTIONS,
        sentinels: redis.sentinels,
        name: redis.name,
        connectionName,
        username,
        password,
        db,
        ...(tls ? { tls, enableTLSForSentinelMode: true } : {}),
        // Keep asking the sentinels after a failover instead of giving up.
        sentinelRetryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
      });
    }
    case 'cluster': {
      // Cluster mode has no databases: only credentials and TLS carry over from REDIS_URL.
      const { username, password, tls } = connectionOptionsFromUrl(redis.url);
      const { retryStrategy: _perNodeRetries, ...nodeOptions } = SHARED_OPTIONS;
      return new Cluster(redis.nodes, {
        // Node connections are managed by the cluster client (it reconnects via slot refreshes).
        redisOptions: { ...nodeOptions, connectionName, username, password, ...(tls ? { tls } : {}) },
        enableOfflineQueue: false,
        lazyConnect: true,
        clusterRetryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
        slotsRefreshTimeout: 2_000,
        scaleReads: 'master',
      });
    }
    case 'single':
      return new Redis(redis.url, { ...SHARED_OPTIONS, connectionName });
  }
}

/**
 * Connects (the client is lazy) and waits for a PING, at most `timeoutMs`, or throws with a
 * message that says how to fix it.
 */
export async function connectRedis(
  client: RedisClient,
  target: RedisConnection | string,
  timeoutMs = 10_000,
): Promise<void> {
  const description = typeof target === 'string' ? target : describeRedis(target);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([
      (async () => {
        await client.connect();
        await client.ping();
      })(),
      deadline,
    ]);
  } catch (error) {
    client.disconnect();
    throw new Error(
      `Redis is not reachable at ${description}. Start one (for example: ${typeof target === 'string' ? startCommand(undefined) : startCommand(target)}) or set REDIS_URL ` +
        '(or REDIS_SENTINELS + REDIS_SENTINEL_NAME, or REDIS_CLUSTER_NODES) to a running Redis.',
      { cause: error },
    );
  } finally {
    clearTimeout(timer);
  }
}

/** `redis-server --daemonize yes`, with `--port` when REDIS_URL names a port other than Redis' own 6379. */
function startCommand(redis: RedisConnection | undefined): string {
  let port = '';
  if (redis?.mode === 'single') {
    try {
      port = new URL(redis.url).port;
    } catch {
      // An unparsable URL was refused by the configuration already; no port to name.
    }
  }
  return `redis-server --daemonize yes${port && port !== '6379' ? ` --port ${port}` : ''}`;
}

function describeRedis(redis: RedisConnection): string {
  switch (redis.mode) {
    case 'sentinel':
      return `sentinels ${redis.sentinels.map((node) => `${node.host}:${node.port}`).join(', ')} (master "${redis.name}")`;
    case 'cluster':
      return `cluster ${redis.nodes.map((node) => `${node.host}:${node.port}`).join(', ')}`;
    case 'single':
      return redactRedisUrl(redis.url);
  }
}

/** Hides a password in a Redis URL before it is printed or logged. */
function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return 'the configured REDIS_URL';
  }
}

/** True when Redis answers a PING right now. */
export async function isRedisReady(client: RedisClient): Promise<boolean> {
  try {
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  }
}
