import { Cluster } from 'ioredis';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import type { RedisClient } from '../redis';

/**
 * rate-limit-redis loads its Lua scripts once (SCRIPT LOAD) and then runs them by SHA. Two gaps
 * are closed here, without changing its behaviour otherwise:
 * - a failed script load (Redis was away at that moment) stays a rejected promise inside the
 *   store, so every later request would fail even after Redis is back: load it again after a failure;
 * - on a Redis Cluster, SCRIPT LOAD must reach the node that owns the key, so it is sent to every
 *   master (the SHA is the same everywhere) and EVALSHA is routed by key by ioredis.
 */
class ReloadingRedisStore extends RedisStore {
  override async increment(key: string) {
    try {
      return await super.increment(key);
    } catch (error) {
      this.incrementScriptSha = this.loadIncrementScript();
      this.incrementScriptSha.catch(() => undefined); // awaited by the next increment
      throw error;
    }
  }

  override async get(key: string) {
    try {
      return await super.get(key);
    } catch (error) {
      this.getScriptSha = this.loadGetScript();
      this.getScriptSha.catch(() => undefined);
      throw error;
    }
  }
}

function isScriptLoad(command: string[]): boolean {
  return command[0]?.toUpperCase() === 'SCRIPT' && command[1]?.toUpperCase() === 'LOAD';
}

/** A rate-limit-redis store on the app's own ioredis client (single node, Sentinel or Cluster). */
export function createRateLimitStore(redis: RedisClient, prefix: string): RedisStore {
  if (redis instanceof Cluster) {
    return new ReloadingRedisStore({
      prefix,
      sendCommandCluster: async ({ command }) => {
        const [name, ...args] = command;
        if (isScriptLoad(command)) {
          const shas = await Promise.all(redis.nodes('master').map((node) => node.call(name!, ...args)));
          return shas[0] as RedisReply;
        }
        return (await redis.call(name!, ...args)) as RedisReply;
      },
    });
  }
  return new ReloadingRedisStore({
    prefix,
    sendCommand: async (name: string, ...args: string[]) => (await redis.call(name, ...args)) as RedisReply,
  });
}
