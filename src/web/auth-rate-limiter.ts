import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Logger } from 'pino';
import type { AppMetrics } from '../observability/metrics';
import type { RedisClient } from '../redis';
import { HttpError } from './http-error';
import { createRateLimitStore } from './rate-limit-store';

export interface AuthRateLimiterOptions {
  /** Requests to /auth/* per client address per minute (AUTH_RATE_LIMIT_PER_MINUTE). */
  limitPerMinute: number;
  redis: RedisClient;
  /** The app's Redis key prefix; the counters live under `<prefix>rate-limit:auth:`. */
  keyPrefix: string;
  logger: Logger;
  metrics?: AppMetrics;
}

/**
 * `/auth/*` per client IP (behind a proxy, TRUST_PROXY decides which address that is), counted in
 * Redis so every instance shares the budget. When Redis is away the limiter lets requests through
 * (with a warning) rather than turning sign-in into errors; sessions fail clearly on their own.
 */
export function createAuthRateLimiter(options: AuthRateLimiterOptions): RequestHandler {
  const { logger } = options;
  const warn = (error: unknown, message?: string): void =>
    logger.warn({ err: error }, message ?? 'rate limiter problem');
  return rateLimit({
    windowMs: 60_000,
    limit: options.limitPerMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    store: createRateLimitStore(options.redis, `${options.keyPrefix}rate-limit:auth:`),
    passOnStoreError: true,
    logger: { warn, error: warn },
    handler: (req, _res, next) => {
      options.metrics?.authRateLimited.inc();
      const resetTime = (req as { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const retryAfterSeconds = resetTime ? Math.max(1, Math.ceil((resetTime.getTime() - Date.now()) / 1000)) : 60;
      next(
        new HttpError(
          429,
          'Too many sign-in attempts',
          'Sign-in was tried too often from your network in a short time. Please wait a minute, then try again.',
          {
            retryHref: '/',
            retryLabel: 'Home',
            retryAfterSeconds,
          },
        ),
      );
    },
  });
}
