import { describe, expect, it } from 'vitest';
import { needsRefresh, tokenSetFromResponse } from '../../src/procore/token-set';

describe('token expiry arithmetic', () => {
  const receivedAt = Date.UTC(2026, 10, 22, 12, 0, 0);

  it('when Procore says expires_in 5400, then the token expires 5400 s after we received it', () => {
    const tokens = tokenSetFromResponse(
      {
        access_token: 'a',
        token_type: 'bearer',
        expires_in: 5400,
        refresh_token: 'r',
        created_at: receivedAt / 1000 - 30,
      },
      receivedAt,
    );
    expect(tokens.expiresAt).toBe(receivedAt + 5_400_000);
    expect(tokens.issuedAt).toBe(receivedAt - 30_000);
    expect(tokens.refreshToken).toBe('r');
  });

  it('when an older server says expires_in 7200, then that is what we use (never an assumed lifetime)', () => {
    expect(
      tokenSetFromResponse({ access_token: 'a', token_type: 'bearer', expires_in: 7200 }, receivedAt).expiresAt,
    ).toBe(receivedAt + 7_200_000);
  });

  it('when the grant is client credentials, then the token set has no refresh token', () => {
    expect(
      tokenSetFromResponse({ access_token: 'a', token_type: 'bearer', expires_in: 5400 }, receivedAt),
    ).not.toHaveProperty('refreshToken');
  });

  it.each([
    ['two minutes left', 120_000, false],
    ['61 seconds left', 61_000, false],
    ['exactly a minute left', 60_000, true],
    ['ten seconds left', 10_000, true],
    ['already expired', -5_000, true],
  ])('when a 5,400-second token has %s, then needsRefresh is %s', (_label, remaining, expected) => {
    expect(
      needsRefresh({ expiresAt: receivedAt + remaining, issuedAt: receivedAt + remaining - 5_400_000 }, receivedAt),
    ).toBe(expected);
  });

  it.each([
    ['40 seconds', 40, 10_000],
    ['60 seconds', 60, 15_000],
    ['4 minutes', 240, 60_000],
    ['5,400 seconds', 5400, 60_000],
  ])(
    'when a token lives %s, then it is refreshed %d ms before it expires (a quarter of its life, a minute at most)',
    (_label, lifetimeSeconds, marginMs) => {
      const tokens = tokenSetFromResponse(
        { access_token: 'a', token_type: 'bearer', expires_in: lifetimeSeconds, created_at: receivedAt / 1000 },
        receivedAt,
      );
      expect(needsRefresh(tokens, tokens.expiresAt - marginMs - 1)).toBe(false);
      expect(needsRefresh(tokens, tokens.expiresAt - marginMs)).toBe(true);
    },
  );

  it("when Procore's clock is ahead of ours, then the token still counts as issued when we received it (its margin never shrinks to nothing)", () => {
    const tokens = tokenSetFromResponse(
      { access_token: 'a', token_type: 'bearer', expires_in: 40, created_at: receivedAt / 1000 + 3600 },
      receivedAt,
    );
    expect(tokens.issuedAt).toBe(receivedAt);
    expect(needsRefresh(tokens, tokens.expiresAt - 10_000)).toBe(true);
  });
});
