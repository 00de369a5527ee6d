import { describe, expect, it } from 'vitest';
import { backoffDelayMs, decideRetry, type RetryPolicy } from '../../src/procore/retry';

const policy: RetryPolicy = { maxRetries: 2, maxRetryDelayMs: 10_000, baseDelayMs: 200 };
const half = () => 0.5;
const almostOne = () => 0.999999;

describe('backoffDelayMs', () => {
  it('when retrying again and again, then the ceiling doubles from the base (full jitter below it)', () => {
    expect(backoffDelayMs(1, policy, almostOne)).toBe(199);
    expect(backoffDelayMs(2, policy, almostOne)).toBe(399);
    expect(backoffDelayMs(3, policy, almostOne)).toBe(799);
    expect(backoffDelayMs(3, policy, half)).toBe(400);
    expect(backoffDelayMs(3, policy, () => 0)).toBe(0);
  });

  it('when the exponential grows past maxRetryDelayMs, then the ceiling is the cap', () => {
    expect(backoffDelayMs(20, policy, almostOne)).toBe(9999);
  });

  it('when the random source misbehaves, then the delay stays within [0, ceiling]', () => {
    expect(backoffDelayMs(1, policy, () => 7)).toBe(200);
    expect(backoffDelayMs(1, policy, () => -3)).toBe(0);
  });
});

describe('decideRetry', () => {
  it('when a 429 says Retry-After 1 s, then the retry waits that long plus some jitter (at most a quarter second more)', () => {
    expect(decideRetry({ kind: 'status', status: 429, retryAfterMs: 1000 }, 1, policy, true, () => 0)).toEqual({
      retry: true,
      delayMs: 1000,
    });
    expect(decideRetry({ kind: 'status', status: 429, retryAfterMs: 1000 }, 1, policy, true, half)).toEqual({
      retry: true,
      delayMs: 1125,
    });
    expect(decideRetry({ kind: 'status', status: 429, retryAfterMs: 1000 }, 1, policy, true, almostOne)).toEqual({
      retry: true,
      delayMs: 1249,
    });
  });

  it('when a long Retry-After is asked for, then the jitter grows with it (a fifth of the wait at most)', () => {
    expect(decideRetry({ kind: 'status', status: 503, retryAfterMs: 5000 }, 1, policy, true, almostOne)).toEqual({
      retry: true,
      delayMs: 5999,
    });
  });

  it('when a 429 has no Retry-After but the window resets in 3 s, then the retry waits until just past the reset', () => {
    expect(decideRetry({ kind: 'status', status: 429, resetInMs: 3000 }, 1, policy, true, () => 0)).toEqual({
      retry: true,
      delayMs: 3100,
    });
    expect(decideRetry({ kind: 'status', status: 429, resetInMs: 3000 }, 1, policy, true, half)).toEqual({
      retry: true,
      delayMs: 3200,
    });
  });

  it('when Retry-After is longer than the cap, then there is no wait and the delay is handed back', () => {
    expect(decideRetry({ kind: 'status', status: 503, retryAfterMs: 60_000 }, 1, policy, true, half)).toEqual({
      retry: false,
      retryAfterMs: 60_000,
    });
  });

  it('when a 500, a network error or a timeout happens, then the retry uses jittered backoff', () => {
    expect(decideRetry({ kind: 'status', status: 500 }, 1, policy, true, half)).toEqual({ retry: true, delayMs: 100 });
    expect(decideRetry({ kind: 'network' }, 2, policy, true, half)).toEqual({ retry: true, delayMs: 200 });
    expect(decideRetry({ kind: 'timeout' }, 1, policy, true, half)).toEqual({ retry: true, delayMs: 100 });
  });

  it('when the retries are used up, then there is no further attempt', () => {
    expect(decideRetry({ kind: 'status', status: 502 }, 3, policy, true, half)).toEqual({ retry: false });
    expect(decideRetry({ kind: 'status', status: 429, retryAfterMs: 10 }, 3, policy, true, half)).toEqual({
      retry: false,
      retryAfterMs: 10,
    });
    expect(decideRetry({ kind: 'network' }, 1, { ...policy, maxRetries: 0 }, true, half)).toEqual({ retry: false });
  });

  it('when the request is not idempotent (a token call), then nothing is ever retried', () => {
    expect(decideRetry({ kind: 'status', status: 500 }, 1, policy, false, half).retry).toBe(false);
    expect(decideRetry({ kind: 'timeout' }, 1, policy, false, half).retry).toBe(false);
    expect(decideRetry({ kind: 'status', status: 429, retryAfterMs: 1 }, 1, policy, false, half)).toEqual({
      retry: false,
      retryAfterMs: 1,
    });
  });

  it('when the status is a 4xx other than 429, then it is not retried', () => {
    for (const status of [400, 401, 403, 404, 422]) {
      expect(decideRetry({ kind: 'status', status }, 1, policy, true, half)).toEqual({ retry: false });
    }
  });
});
