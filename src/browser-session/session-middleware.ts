import session from 'express-session';
import type { RequestHandler } from 'express';
import type { RedisClient } from '../redis';
import { RenewingSessionStore } from './renewing-session-store';

declare module 'express-session' {
  interface SessionData {
    /** When the idle deadline was last moved forward (epoch ms); saving it is what moves it. */
    renewedAt: number;
    /** A one-time message for the next page (why the list is an older copy, ...). */
    notice: string;
    /** The company the user looked at last. */
    lastCompanyId: number;
  }
}

/** How far the idle deadline may lag behind the last request: a minute, or a tenth of a short idle timeout. */
export function renewalStepMs(idleTimeoutMs: number): number {
  return Math.max(1_000, Math.min(60_000, Math.floor(idleTimeoutMs / 10)));
}

export interface SessionMiddlewareOptions {
  redis: RedisClient;
  /** The app's Redis key prefix; sessions live under `<keyPrefix>sess:`. */
  keyPrefix: string;
  cookieName: string;
  /** The first signs the cookie, every one verifies it (rotation). */
  secrets: readonly string[];
  idleTimeoutMs: number;
  /** Secure cookies (the app is served over https). */
  secure: boolean;
}

/**
 * Sessions live in Redis. The cookie only carries the signed session id. Idle timeout: the cookie
 * and the Redis TTL lapse after SESSION_IDLE_MINUTES of silence. They are moved forward in coarse
 * steps rather than on every request: once the stored deadline is more than `renewalStepMs` (a
 * minute) old, the request saves the session (Redis TTL) and sends the cookie again (its
 * Max-Age); in between, a request costs one Redis read and no write, and no Set-Cookie. So a
 * session ends between SESSION_IDLE_MINUTES minus a minute and SESSION_IDLE_MINUTES after its last
 * request. The absolute lifetime is checked by sign-in's requireSignIn (src/procore-auth).
 */
export function createSessionMiddleware(options: SessionMiddlewareOptions): RequestHandler {
  const store = new RenewingSessionStore(options.redis, `${options.keyPrefix}sess:`);
  const idleMs = options.idleTimeoutMs;
  const stepMs = renewalStepMs(idleMs);
  const sessions = session({
    name: options.cookieName,
    secret: [...options.secrets],
    store,
    resave: false,
    saveUninitialized: false,
    rolling: false,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: options.secure,
      path: '/',
      maxAge: idleMs,
    },
  });
  return (req, res, next) => {
    sessions(req, res, (error?: unknown) => {
      const current = req.session;
      // Read from Redis (its id came in the cookie), not made up for this request.
      if (error === undefined && current && req.headers.cookie?.includes(req.sessionID)) {
        store.markLoaded(current);
        // express-session compares Date.now() with cookie expiries; so does this.
        const now = Date.now();
        const expires = current.cookie.expires;
        if (expires && expires.getTime() - now <= idleMs - stepMs) current.renewedAt = now;
      }
      next(error);
    });
  };
}
