import type { SessionData } from 'express-session';
import { redisCallError, type RedisClient } from '../redis';
import { RedisSessionStore } from './redis-session-store';

/** connect-redis' own callback type. */
type Callback = NonNullable<Parameters<RedisSessionStore['get']>[1]>;

/**
 * The session store behind coarse idle renewal (see session-middleware):
 * - `touch` does nothing: an unchanged session costs no Redis write; the middleware renews the
 *   idle deadline by saving the session once it is a step old.
 * - A session read from Redis in this request is written back only while it still exists
 *   (`SET … XX`): a sign-out elsewhere that deleted it meanwhile stays done, however the
 *   requests interleave. New and regenerated sessions are created as usual.
 */
export class RenewingSessionStore extends RedisSessionStore {
  private readonly loaded = new WeakSet<object>();

  constructor(
    private readonly sessionRedis: RedisClient,
    private readonly sessionPrefix: string,
  ) {
    super(sessionRedis, sessionPrefix);
  }

  /** Marks a session as read from Redis in this request (only updated from now on, never created). */
  markLoaded(session: object): void {
    this.loaded.add(session);
  }

  override touch(_sid: string, _session: SessionData, cb?: Callback): Promise<unknown> {
    // Synchronously: express-session then sends the page in one write instead of two.
    cb?.(null);
    return Promise.resolve();
  }

  override set(sid: string, session: SessionData, cb?: Callback): Promise<unknown> {
    if (!this.loaded.has(session)) return super.set(sid, session, cb);
    const expires = session.cookie?.expires;
    const seconds = expires ? Math.ceil((new Date(expires).getTime() - Date.now()) / 1000) : 0;
    if (seconds <= 0) return this.destroy(sid, cb);
    let text: string;
    try {
      text = JSON.stringify(session);
    } catch (error) {
      cb?.(error);
      return Promise.resolve();
    }
    return this.sessionRedis.set(`${this.sessionPrefix}${sid}`, text, 'EX', seconds, 'XX').then(
      (): unknown => cb?.(null),
      (error: unknown): unknown => cb?.(redisCallError(this.sessionRedis, error)),
    );
  }
}
