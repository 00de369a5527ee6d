import session from 'express-session';
import type { RequestHandler } from 'express';
import type { AppConfig } from '../config';
import type { RedisClient } from '../redis';
import { RedisSessionStore } from './redis-session-store';
import './session-data';

export function sessionKeyPrefix(config: Pick<AppConfig, 'redis'>): string {
  return `${config.redis.keyPrefix}sess:`;
}

/**
 * Sessions live in Redis. The cookie only carries the signed session id. Idle timeout: the cookie
 * and the Redis TTL roll forward on every request and lapse after SESSION_IDLE_MINUTES of silence;
 * the absolute lifetime is checked in web/sign-in/require-sign-in.
 */
export function createSessionMiddleware(config: AppConfig, redis: RedisClient): RequestHandler {
  const store = new RedisSessionStore(redis, sessionKeyPrefix(config));
  return session({
    name: config.session.cookieName,
    secret: [...config.session.secrets],
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.secureCookies,
      path: '/',
      maxAge: config.session.idleTimeoutMs,
    },
  });
}
