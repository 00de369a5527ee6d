import { randomBytes } from 'node:crypto';
import { callRedis, type RedisClient } from '../redis';

/** A lease on a name, shared by every app instance using the same Redis. */
export interface DistributedLock {
  /** Returns an owner token when the lock was taken, undefined when someone else holds it. */
  tryAcquire(key: string, ttlMs: number): Promise<string | undefined>;
  /** Releases only if `owner` still holds it (a lock that expired and was re-taken is left alone). */
  release(key: string, owner: string): Promise<void>;
}

const RELEASE_IF_OWNER = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export class RedisLock implements DistributedLock {
  constructor(private readonly redis: RedisClient) {}

  async tryAcquire(key: string, ttlMs: number): Promise<string | undefined> {
    const owner = randomBytes(16).toString('base64url');
    const result = await callRedis(this.redis, () => this.redis.set(key, owner, 'PX', ttlMs, 'NX'));
    return result === 'OK' ? owner : undefined;
  }

  async release(key: string, owner: string): Promise<void> {
    await callRedis(this.redis, () => this.redis.eval(RELEASE_IF_OWNER, 1, key, owner));
  }
}
