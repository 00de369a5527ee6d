import { RedisStore } from 'connect-redis';
import type { SessionData } from 'express-session';
import { redisCallError, type RedisClient } from '../redis';

/** connect-redis' own callback type. */
type Callback = NonNullable<Parameters<RedisStore['get']>[1]>;

/** A session that cannot be serialised or read back: a problem of the data, not of Redis. */
class SessionDataError extends Error {
  override readonly name = 'SessionDataError';
}

const serializer = {
  parse(text: string): SessionData {
    try {
      return JSON.parse(text) as SessionData;
    } catch (cause) {
      throw new SessionDataError('A stored session could not be read', { cause });
    }
  },
  stringify(data: SessionData): string {
    try {
      return JSON.stringify(data);
    } catch (cause) {
      throw new SessionDataError('A session could not be stored', { cause });
    }
  },
};

/**
 * connect-redis' store, through its public methods only: a failure of Redis itself reaches
 * express-session (and so the error handler) as a RedisUnavailableError.
 */
export class RedisSessionStore extends RedisStore {
  constructor(
    private readonly redis: RedisClient,
    prefix: string,
  ) {
    super({ client: redis, prefix, serializer });
  }

  override get(sid: string, cb?: Callback): Promise<unknown> {
    return super.get(sid, this.translating(cb));
  }

  override set(sid: string, session: SessionData, cb?: Callback): Promise<unknown> {
    return super.set(sid, session, this.translating(cb));
  }

  override touch(sid: string, session: SessionData, cb?: Callback): Promise<unknown> {
    return super.touch(sid, session, this.translating(cb));
  }

  override destroy(sid: string, cb?: Callback): Promise<unknown> {
    return super.destroy(sid, this.translating(cb));
  }

  /** connect-redis calls back (or, without a callback, throws): either way with the translated error. */
  private translating(cb: Callback | undefined): Callback {
    // What the callback returns is what connect-redis' promise resolves to, so it is passed on as it is.
    return (error: unknown, data?: unknown): unknown => {
      if (!error) return cb ? cb(error, data) : data;
      const translated = error instanceof SessionDataError ? error : redisCallError(this.redis, error);
      if (cb) return cb(translated, data);
      throw translated;
    };
  }
}
