import type { RateLimitState } from './types';

/** Below this, `X-Rate-Limit-Reset` cannot be Unix seconds (it would be before 2001): read it as seconds from now. */
const EPOCH_SECONDS_FLOOR = 1_000_000_000;

function parseNonNegativeInteger(value: string | null): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (!/^\d+$/.test(trimmed)) return undefined;
  const parsed = Number(trimmed);
  return Number.isSafeInteger(parsed) ? parsed : undefined;
}

/**
 * Reads `X-Rate-Limit-Limit`, `X-Rate-Limit-Remaining` and `X-Rate-Limit-Reset` (Unix seconds).
 * Returns undefined unless all three are present and numeric.
 */
export function parseRateLimit(headers: Headers, now: number): RateLimitState | undefined {
  const limit = parseNonNegativeInteger(headers.get('x-rate-limit-limit'));
  const remaining = parseNonNegativeInteger(headers.get('x-rate-limit-remaining'));
  const reset = parseNonNegativeInteger(headers.get('x-rate-limit-reset'));
  if (limit === undefined || remaining === undefined || reset === undefined) return undefined;
  const resetAt = reset < EPOCH_SECONDS_FLOOR ? now + reset * 1000 : reset * 1000;
  return { limit, remaining, resetAt };
}

/**
 * `Retry-After` in milliseconds from `now`: either delay-seconds or an HTTP date (RFC 9110).
 * A date in the past means 0. Returns undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  // An HTTP date always names a month (and a weekday); this keeps Date.parse from reading '-5' as a year.
  if (!/[a-z]{3}/i.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** How long until the window resets, never negative. */
export function msUntilReset(state: RateLimitState, now: number): number {
  return Math.max(0, state.resetAt - now);
}

/** "Pause requests until after that time": the reset is whole seconds, so a little past it. */
export const RESET_MARGIN_MS = 100;
/** Up to this much more, at random, so instances and tabs do not all call again in the same instant. */
export const RESET_JITTER_MS = 200;

function unit(random: () => number): number {
  return Math.min(Math.max(random(), 0), 1);
}

/** How long to wait for a reset `resetInMs` away: until just past it, with some jitter. */
export function pastReset(resetInMs: number, random: () => number): number {
  return resetInMs + RESET_MARGIN_MS + Math.floor(unit(random) * RESET_JITTER_MS);
}

/** A fifth of the wait at most, and at least this much: "retry with backoff and jitter". */
const RETRY_AFTER_MIN_JITTER_MS = 250;

/**
 * A wait `Retry-After` asked for, with jitter on top (never less than asked): people whose calls
 * were refused together do not all come back in the same instant.
 */
export function afterRetryAfter(retryAfterMs: number, random: () => number): number {
  return retryAfterMs + Math.floor(unit(random) * Math.max(RETRY_AFTER_MIN_JITTER_MS, retryAfterMs / 5));
}
