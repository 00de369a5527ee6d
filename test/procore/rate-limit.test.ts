import { describe, expect, it } from 'vitest';
import { msUntilReset, parseRateLimit, parseRetryAfter } from '../../src/procore/rate-limit';

const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);

describe('parseRateLimit', () => {
  it('when all three X-Rate-Limit headers are present, then limit, remaining and the reset time in ms are read', () => {
    const headers = new Headers({
      'X-Rate-Limit-Limit': '3600',
      'X-Rate-Limit-Remaining': '3599',
      'X-Rate-Limit-Reset': '1736945000',
    });
    expect(parseRateLimit(headers, NOW)).toEqual({ limit: 3600, remaining: 3599, resetAt: 1_736_945_000_000 });
  });

  it('when a header is missing or not a number, then there is no rate-limit state', () => {
    expect(parseRateLimit(new Headers(), NOW)).toBeUndefined();
    expect(
      parseRateLimit(new Headers({ 'X-Rate-Limit-Limit': '10', 'X-Rate-Limit-Remaining': '5' }), NOW),
    ).toBeUndefined();
    expect(
      parseRateLimit(
        new Headers({
          'X-Rate-Limit-Limit': '10',
          'X-Rate-Limit-Remaining': 'many',
          'X-Rate-Limit-Reset': '1736945000',
        }),
        NOW,
      ),
    ).toBeUndefined();
    expect(
      parseRateLimit(
        new Headers({ 'X-Rate-Limit-Limit': '10', 'X-Rate-Limit-Remaining': '-1', 'X-Rate-Limit-Reset': '1736945000' }),
        NOW,
      ),
    ).toBeUndefined();
  });

  it('when the reset is too small to be Unix seconds, then it is read as seconds from now', () => {
    const headers = new Headers({
      'X-Rate-Limit-Limit': '10',
      'X-Rate-Limit-Remaining': '0',
      'X-Rate-Limit-Reset': '30',
    });
    expect(parseRateLimit(headers, NOW)?.resetAt).toBe(NOW + 30_000);
  });

  it('msUntilReset is never negative', () => {
    expect(msUntilReset({ limit: 1, remaining: 0, resetAt: NOW - 5000 }, NOW)).toBe(0);
    expect(msUntilReset({ limit: 1, remaining: 0, resetAt: NOW + 5000 }, NOW)).toBe(5000);
  });
});

describe('parseRetryAfter', () => {
  it('when Retry-After is delay-seconds, then it is that many milliseconds', () => {
    expect(parseRetryAfter('1', NOW)).toBe(1000);
    expect(parseRetryAfter(' 120 ', NOW)).toBe(120_000);
    expect(parseRetryAfter('0', NOW)).toBe(0);
  });

  it('when Retry-After is an HTTP date, then it is the time from now until that date', () => {
    expect(parseRetryAfter(new Date(NOW + 7000).toUTCString(), NOW)).toBe(7000);
    expect(parseRetryAfter('Wed, 15 Jan 2025 12:00:30 GMT', NOW)).toBe(30_000);
  });

  it('when the HTTP date is in the past, then the wait is zero', () => {
    expect(parseRetryAfter('Wed, 15 Jan 2025 11:00:00 GMT', NOW)).toBe(0);
  });

  it('when Retry-After is absent, empty or unreadable, then there is no value', () => {
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
    expect(parseRetryAfter('', NOW)).toBeUndefined();
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(parseRetryAfter('-5', NOW)).toBeUndefined();
  });
});
