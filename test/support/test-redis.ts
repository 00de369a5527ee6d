import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, inject } from 'vitest';
import type { Lock } from '../../src/procore-auth/lock';
import { RedisLock } from '../../src/procore-auth/redis-lock';
import { TokenCipher } from '../../src/procore-auth/token-cipher';
import { RedisTokenStore, type TokenStore } from '../../src/procore-auth/token-store';
import type { FakeClock } from './fake-clock';
import { InMemoryLock, InMemoryTokenStore, type HeldLocks } from './in-memory-auth';

export interface TestRedis {
  /** Connected for the file's tests (from `beforeAll`). */
  readonly redis: Redis;
  /** A prefix only this test file writes under. */
  readonly prefix: string;
}

/** The run's Redis for this test file; its keys (and only those: no flush) are deleted afterwards. */
export function useTestRedis(): TestRedis {
  const prefix = `test:${randomBytes(6).toString('hex')}:`;
  let redis: Redis | undefined;
  beforeAll(() => {
    redis = new Redis(inject('redisUrl'));
  });
  afterAll(async () => {
    const keys = await redis!.keys(`${prefix}*`);
    if (keys.length > 0) await redis!.del(...keys);
    redis!.disconnect();
  });
  return {
    get redis() {
      return redis!;
    },
    prefix,
  };
}

/** A token store and a lock per app instance: in memory on a fake clock, or on real Redis (Redis keeps the leases' time). */
export function authBacking(
  kind: 'memory' | 'redis',
  clock: FakeClock,
  test: TestRedis,
): { store: TokenStore; lock: () => Lock } {
  if (kind === 'redis') {
    return {
      store: new RedisTokenStore(test.redis, new TokenCipher([randomBytes(32)]), {
        keyPrefix: test.prefix,
        ttlMs: 60_000,
      }),
      lock: () => new RedisLock(test.redis),
    };
  }
  const held: HeldLocks = new Map();
  return { store: new InMemoryTokenStore(), lock: () => new InMemoryLock(clock, held) };
}
