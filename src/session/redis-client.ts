import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { AppConfig } from '../config';

export type RedisClient = Redis | Cluster;

/**
 * Commands fail fast instead of queueing while Redis is away (`enableOfflineQueue: false`),
 * so a page answers a clear 503 rather than hanging; ioredis keeps reconnecting in the background.
 */
const SHARED_OPTIONS: RedisOptions = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  connectTimeout: 5_000,
  commandTimeout: 5_000,
  retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  lazyConnect: true,
};

export function createRedisClient(redis: AppConfig['redis'], connectionName = 'procore-dashboard'): RedisClient {
  switch (redis.mode) {
    case 'sentinel':
      return new Redis({ ...SHARED_OPTIONS, sentinels: redis.sentinels, name: redis.name, connectionName });
    case 'cluster':
      return new Cluster(redis.nodes, { redisOptions: { ...SHARED_OPTIONS, connectionName }, enableOfflineQueue: false, lazyConnect: true });
    case 'single':
      return new Redis(redis.url, { ...SHARED_OPTIONS, connectionName });
  }
}

/** Connects (the client is lazy) and waits for a PING, or throws with a message that says how to fix it. */
export async function connectRedis(client: RedisClient, description: string): Promise<void> {
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    client.disconnect();
    throw new Error(
      `Redis is not reachable at ${description}. Start one (for example: redis-server --daemonize yes) or set REDIS_URL to a running Redis.`,
      { cause: error },
    );
  }
}

export function describeRedis(redis: AppConfig['redis']): string {
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
export function redactRedisUrl(url: string): string {
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
