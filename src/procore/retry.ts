import { afterRetryAfter, pastReset } from './rate-limit';

/**
 * When to try a Procore call again, and how long to wait first. Pure: no clock, no I/O.
 *
 * - Only idempotent calls are retried (token calls never are: codes and refresh tokens are single-use).
 * - 429 and 503 wait what Procore asked for (`Retry-After` plus jitter, else until just past the
 *   rate-limit window's reset); when it asked for longer than `maxRetryDelayMs`, we do not wait at
 *   all and fail with the delay attached.
 * - Other 5xx, network errors and timeouts: exponential backoff with full jitter.
 */
export interface RetryPolicy {
  /** Retries after the first attempt (attempts = maxRetries + 1). */
  maxRetries: number;
  /** Upper bound on one wait. */
  maxRetryDelayMs: number;
  /** Base of the exponential backoff. */
  baseDelayMs: number;
}

export const DEFAULT_MAX_RETRIES = 2;
export const DEFAULT_MAX_RETRY_DELAY_MS = 10_000;
export const DEFAULT_RETRY_BASE_DELAY_MS = 200;

export type AttemptFailure =
  | {
      kind: 'status';
      status: number;
      /** From `Retry-After`. */
      retryAfterMs?: number;
      /** Until `X-Rate-Limit-Reset`, when the caller judged it relevant. */
      resetInMs?: number;
    }
  | { kind: 'network' }
  | { kind: 'timeout' };

export type RetryDecision =
  | { retry: true; delayMs: number }
  | {
      retry: false;
      /** What Procore asked us to wait, so the caller can tell its own caller. */
      retryAfterMs?: number;
    };

/** Statuses worth another attempt. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}

/** Statuses where Procore tells us how long to wait. */
export function isThrottleStatus(status: number): boolean {
  return status === 429 || status === 503;
}

/**
 * Full-jitter exponential backoff: a uniform random delay in [0, min(cap, base * 2^(retry-1))).
 * `retryNumber` is 1 for the first retry.
 */
export function backoffDelayMs(retryNumber: number, policy: RetryPolicy, random: () => number): number {
  const exponential = policy.baseDelayMs * 2 ** Math.max(0, retryNumber - 1);
  const ceiling = Math.min(policy.maxRetryDelayMs, exponential);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.floor(r * ceiling);
}

/**
 * Decides after a failed attempt. `attempt` is the number of attempts already made (1-based).
 */
export function decideRetry(
  failure: AttemptFailure,
  attempt: number,
  policy: RetryPolicy,
  idempotent: boolean,
  random: () => number,
): RetryDecision {
  const asked =
    failure.kind === 'status' && isThrottleStatus(failure.status)
      ? (failure.retryAfterMs ?? failure.resetInMs)
      : undefined;
  const noRetry: RetryDecision = asked === undefined ? { retry: false } : { retry: false, retryAfterMs: asked };

  if (!idempotent) return noRetry;
  if (failure.kind === 'status' && !isRetryableStatus(failure.status)) return noRetry;
  if (attempt > policy.maxRetries) return noRetry;

  if (asked !== undefined && failure.kind === 'status') {
    if (asked > policy.maxRetryDelayMs) return noRetry;
    const delayMs = failure.retryAfterMs !== undefined ? afterRetryAfter(asked, random) : pastReset(asked, random);
    return { retry: true, delayMs };
  }
  return { retry: true, delayMs: backoffDelayMs(attempt, policy, random) };
}
