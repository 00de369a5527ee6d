/**
 * Procore's rate-limit headers on every response, and 429 + Retry-After once the window's budget
 * is spent. One fixed window for the whole emulator, opened by the first request after the last
 * window ended.
 */
import type { RequestHandler } from 'express';
import { genericError } from './responses';

export interface RateLimitSettings {
  limit: number;
  windowSeconds: number;
}

export function rateLimit(settings: RateLimitSettings, now: () => number): RequestHandler {
  const windowMs = settings.windowSeconds * 1000;
  let windowStart = Number.NEGATIVE_INFINITY;
  let used = 0;
  return (req, res, next) => {
    const at = now();
    if (at >= windowStart + windowMs) {
      windowStart = at;
      used = 0;
    }
    used += 1;
    const resetAt = windowStart + windowMs;
    res.set('X-Rate-Limit-Limit', String(settings.limit));
    res.set('X-Rate-Limit-Remaining', String(Math.max(0, settings.limit - used)));
    res.set('X-Rate-Limit-Reset', String(Math.ceil(resetAt / 1000)));
    if (used > settings.limit) {
      res.set('Retry-After', String(Math.max(1, Math.ceil((resetAt - at) / 1000))));
      genericError(res, req.path, 429, 'Rate limit exceeded. Try again after the time in Retry-After.');
      return;
    }
    next();
  };
}
