import { describe, expect, it } from 'vitest';
import { createRedisClient, RedisUnavailableError } from '../../src/redis';
import { RedisSessionStore } from '../../src/browser-session/redis-session-store';
import { freePort } from '../support/redis-server';
import { useTestRedis } from '../support/test-redis';

const testRedis = useTestRedis();

/** express-session calls the store with callbacks: this is how it sees an answer. */
function getSession(store: RedisSessionStore, sid: string): Promise<{ error: unknown; session: unknown }> {
  return new Promise((resolve) => {
    void store.get(sid, (error, session) => resolve({ error, session }));
  });
}

describe('the session store tells a Redis outage from bad session data', () => {
  it('when Redis cannot be reached, then express-session gets a RedisUnavailableError', async () => {
    const down = createRedisClient({ mode: 'single', url: `redis://127.0.0.1:${await freePort()}` });
    down.on('error', () => undefined);
    try {
      const { error } = await getSession(new RedisSessionStore(down, `${testRedis.prefix}sess:`), 'some-session');
      expect(error).toBeInstanceOf(RedisUnavailableError);
    } finally {
      down.disconnect();
    }
  });

  it('when a stored session is not JSON, then the error is about the data, not an outage', async () => {
    await testRedis.redis.set(`${testRedis.prefix}sess:broken`, '{not json');
    const { error } = await getSession(new RedisSessionStore(testRedis.redis, `${testRedis.prefix}sess:`), 'broken');
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(RedisUnavailableError);
    expect((error as Error).name).toBe('SessionDataError');
  });

  it('when a session is stored, then it reads back as it was', async () => {
    const store = new RedisSessionStore(testRedis.redis, `${testRedis.prefix}sess:`);
    const session = { cookie: { originalMaxAge: 60_000 }, returnTo: '/projects' };
    const { error } = await new Promise<{ error: unknown }>(
      (resolve) => void store.set('fine', session as never, (error) => resolve({ error })),
    );
    expect(error).toBeFalsy();
    expect((await getSession(store, 'fine')).session).toEqual(session);
  });
});
