import { callRedis, type RedisClient } from './redis-unavailable';
import { PollingLock, type LockClock } from './lock';

const RELEASE_IF_OWNER = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * The web app's lock, shared by every instance using the same Redis: `SET key owner NX PX ttl`
 * takes it with a lease Redis enforces, a Lua script frees it only for its owner.
 */
export class RedisLock extends PollingLock {
  constructor(
    private readonly redis: RedisClient,
    clock?: LockClock,
  ) {
    super(clock);
  }

  protected async tryAcquire(key: string, owner: string, ttlMs: number): Promise<boolean> {
    return (await callRedis(this.redis, () => this.redis.set(key, owner, 'PX', ttlMs, 'NX'))) === 'OK';
  }

  protected async releaseIfOwner(key: string, owner: string): Promise<void> {
    await callRedis(this.redis, () => this.redis.eval(RELEASE_IF_OWNER, 1, key, owner));
  }
}
