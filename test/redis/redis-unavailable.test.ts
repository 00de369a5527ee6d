import { describe, expect, it } from 'vitest';
import { callRedis, createRedisClient, RedisUnavailableError } from '../../src/redis';
import { freePort } from '../support/redis-server';
import { useTestRedis } from '../support/test-redis';

const testRedis = useTestRedis();
const prefix = testRedis.prefix;

describe('deciding "Redis is unavailable" where Redis is called', () => {
  it('when nothing listens at the Redis address, then a call fails fast with a RedisUnavailableError carrying the status and the cause', async () => {
    const port = await freePort();
    const down = createRedisClient({ mode: 'single', url: `redis://127.0.0.1:${port}` });
    down.on('error', () => undefined);
    try {
      const failure = await callRedis(down, () => down.get(`${prefix}anything`)).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(RedisUnavailableError);
      expect(failure).toMatchObject({ code: 'redis_unavailable', connectionStatus: down.status });
      expect((failure as Error).cause).toBeInstanceOf(Error);
    } finally {
      down.disconnect();
    }
  });

  it('when Redis answers with an error about the command itself, then that error passes through unchanged', async () => {
    await testRedis.redis.set(`${prefix}list`, 'a string, not a list');
    const failure = await callRedis(testRedis.redis, () => testRedis.redis.lpush(`${prefix}list`, 'x')).catch(
      (error: unknown) => error,
    );
    expect(failure).not.toBeInstanceOf(RedisUnavailableError);
    expect((failure as Error).message).toMatch(/^WRONGTYPE/);
  });

  it('when the call succeeds, then its answer comes back as is', async () => {
    expect(await callRedis(testRedis.redis, () => testRedis.redis.ping())).toBe('PONG');
  });
});
