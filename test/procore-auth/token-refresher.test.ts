import { describe, expect, it } from 'vitest';
import { SignedOutError } from '../../src/procore-auth/errors';
import {
  REFRESH_PAUSE_MS,
  TokenRefresher,
  type RefreshDetail,
  type RefreshOutcome,
} from '../../src/procore-auth/token-refresher';
import type { StoredTokens } from '../../src/procore-auth/token-store';
import { ProcoreError } from '../../src/procore/errors';
import type { TokenSet } from '../../src/procore/token-set';
import { FakeClock } from '../support/fake-clock';
import { authBacking, useTestRedis } from '../support/test-redis';

const testRedis = useTestRedis();

/** What the fake Procore needs of a clock. */
interface Time {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** A stand-in for Procore's token endpoint that rotates refresh tokens like Procore does; its time is the test's clock. */
function rotatingProcore(clock: Time, options: { delayMs?: number; fail?: ProcoreError } = {}) {
  const calls: string[] = [];
  let valid = new Set(['refresh-0']);
  let counter = 0;
  return {
    calls,
    async refresh(refreshToken: string): Promise<TokenSet> {
      calls.push(refreshToken);
      await clock.sleep(options.delayMs ?? 0);
      if (options.fail) throw options.fail;
      if (!valid.has(refreshToken))
        throw new ProcoreError('invalid_grant', 'refresh token already used', { status: 400 });
      counter += 1;
      valid = new Set([`refresh-${counter}`]);
      return {
        accessToken: `access-${counter}`,
        refreshToken: `refresh-${counter}`,
        expiresAt: clock.now() + 5_400_000,
        issuedAt: clock.now(),
      };
    },
  };
}

function setUp(
  procore: ReturnType<typeof rotatingProcore>,
  clock: FakeClock,
  options: { ttlMs?: number; waitTimeoutMs?: number; kind?: 'memory' | 'redis' } = {},
) {
  const { store, lock } = authBacking(options.kind ?? 'memory', clock, testRedis);
  const outcomes: RefreshOutcome[] = [];
  const details: Array<RefreshDetail & { outcome: RefreshOutcome }> = [];
  const make = () =>
    new TokenRefresher({
      store,
      oauth: procore,
      lock: lock(),
      lockTiming: { ttlMs: options.ttlMs ?? 5_000, waitTimeoutMs: options.waitTimeoutMs ?? 8_000 },
      // The Redis-backed instances wait on real time: Redis keeps its own clock for the lease.
      now: options.kind === 'redis' ? undefined : clock.now,
      onOutcome: (outcome, detail) => {
        outcomes.push(outcome);
        details.push({ outcome, ...detail });
      },
    });
  return { store, outcomes, details, make, lock };
}

const expiredAt = (clock: FakeClock): StoredTokens => ({
  accessToken: 'access-0',
  refreshToken: 'refresh-0',
  expiresAt: clock.now() - 1_000,
  issuedAt: clock.now() - 5_401_000,
  ownerId: 7,
});

describe('the token refresher', () => {
  it('when a refresh succeeds and another fails for good, then each outcome names the token set, its owner, the new expiry or the status, and no token', async () => {
    const clock = new FakeClock();
    const { store, make, details } = setUp(rotatingProcore(clock), clock);
    const id = store.newId();
    await store.put(id, expiredAt(clock));
    const refreshed = await make().fresh(id);
    const failing = setUp(
      rotatingProcore(clock, { fail: new ProcoreError('invalid_grant', 'revoked', { status: 401 }) }),
      clock,
    );
    const doomed = failing.store.newId();
    await failing.store.put(doomed, expiredAt(clock));
    await expect(failing.make().fresh(doomed)).rejects.toBeInstanceOf(SignedOutError);
    expect(details).toEqual([{ outcome: 'refreshed', tokenSetId: id, ownerId: 7, expiresAt: refreshed.expiresAt }]);
    expect(failing.details).toEqual([
      { outcome: 'failed', tokenSetId: doomed, ownerId: 7, status: 401, fatal: true, cause: 'invalid_grant' },
    ]);
    expect(JSON.stringify([details, failing.details])).not.toMatch(/access-|refresh-/);
  });

  it('when the access token is still fresh, then nothing is refreshed', async () => {
    const clock = new FakeClock();
    const procore = rotatingProcore(clock);
    const { store, make } = setUp(procore, clock);
    const id = store.newId();
    await store.put(id, { ...expiredAt(clock), expiresAt: clock.now() + 3_600_000 });
    expect((await make().fresh(id)).accessToken).toBe('access-0');
    expect(procore.calls).toEqual([]);
  });

  it('when the clock moves past the access token expiry, then the next call refreshes', async () => {
    const clock = new FakeClock();
    const procore = rotatingProcore(clock);
    const { store, make } = setUp(procore, clock);
    const id = store.newId();
    await store.put(id, { ...expiredAt(clock), expiresAt: clock.now() + 120_000 });
    const refresher = make();
    expect((await refresher.fresh(id)).accessToken).toBe('access-0');
    clock.advance(61_000); // within a minute of expiry: refreshed ahead of time
    expect((await refresher.fresh(id)).accessToken).toBe('access-1');
    expect(procore.calls).toEqual(['refresh-0']);
  });

  it('when many callers in one process need a refresh at once, then they share one refresh', async () => {
    const clock = new FakeClock();
    const procore = rotatingProcore(clock, { delayMs: 50 });
    const { store, make, outcomes } = setUp(procore, clock);
    const id = store.newId();
    await store.put(id, expiredAt(clock));
    const refresher = make();
    const results = await Promise.all(Array.from({ length: 25 }, () => refresher.fresh(id)));
    expect(new Set(results.map((tokens) => tokens.accessToken))).toEqual(new Set(['access-1']));
    expect(procore.calls).toEqual(['refresh-0']);
    expect(outcomes.filter((outcome) => outcome === 'refreshed')).toHaveLength(1);
    expect((await store.get(id))?.refreshToken).toBe('refresh-1');
  });

  it('when several instances need a refresh at once, then the lock lets one refresh and the others wait for its tokens', async () => {
    const clock = new FakeClock();
    const procore = rotatingProcore(clock, { delayMs: 200 });
    const { store, make, outcomes } = setUp(procore, clock);
    const id = store.newId();
    await store.put(id, expiredAt(clock));
    const instances = [make(), make(), make(), make()];
    const results = await Promise.all(instances.map((refresher) => refresher.fresh(id)));
    expect(results.map((tokens) => tokens.accessToken)).toEqual(['access-1', 'access-1', 'access-1', 'access-1']);
    expect(procore.calls).toHaveLength(1);
    expect(outcomes).toContain('waited');
  });

  it('when several instances share a real Redis, then one refreshes, the others wait for its tokens, and the lock is gone afterwards', async () => {
    const realTime: Time = { now: Date.now, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };
    const procore = rotatingProcore(realTime, { delayMs: 30 });
    const { store, make, outcomes } = setUp(procore, new FakeClock(), { kind: 'redis' });
    const id = store.newId();
    await store.put(id, {
      accessToken: 'access-0',
      refreshToken: 'refresh-0',
      expiresAt: Date.now() - 1_000,
      issuedAt: Date.now() - 5_401_000,
      ownerId: 7,
    });
    const results = await Promise.all([make(), make(), make(), make()].map((refresher) => refresher.fresh(id)));
    expect(results.map((tokens) => tokens.accessToken)).toEqual(['access-1', 'access-1', 'access-1', 'access-1']);
    expect(procore.calls).toHaveLength(1);
    expect(outcomes).toContain('waited');
    expect(await testRedis.redis.exists(store.lockKeyFor(id))).toBe(0);
  });

  it('when the lock is held by an instance that died, then the next caller refreshes once the lock expires', async () => {
    const clock = new FakeClock();
    const procore = rotatingProcore(clock);
    const { store, make, lock } = setUp(procore, clock, { ttlMs: 300, waitTimeoutMs: 3_000 });
    const id = store.newId();
    await store.put(id, expiredAt(clock));
    // An instance took the lock (its lease is 300 ms) and died without letting go.
    expect(await lock().acquire(store.lockKeyFor(id), { ttlMs: 300, waitTimeoutMs: 0 })).toBeDefined();
    const started = clock.now();
    const tokens = await make().fresh(id);
    expect(tokens.accessToken).toBe('access-1');
    expect(procore.calls).toEqual(['refresh-0']);
    expect(clock.now() - started).toBeGreaterThanOrEqual(300);
  });

  it('when the lock stays held past the wait timeout, then the caller gets a transient timeout and the token set is kept', async () => {
    const clock = new FakeClock();
    const procore = rotatingProcore(clock);
    const { store, make, lock } = setUp(procore, clock, { ttlMs: 60_000, waitTimeoutMs: 2_000 });
    const id = store.newId();
    await store.put(id, expiredAt(clock));
    expect(await lock().acquire(store.lockKeyFor(id), { ttlMs: 60_000, waitTimeoutMs: 0 })).toBeDefined();
    await expect(make().fresh(id)).rejects.toMatchObject({ code: 'timeout', isTransient: true });
    expect(procore.calls).toEqual([]);
    expect((await store.get(id))?.refreshToken).toBe('refresh-0');
  });

  it('when Procore answers invalid_grant, then the token set is deleted and the caller is signed out', async () => {
    const clock = new FakeClock();
    const procore = rotatingProcore(clock, { fail: new ProcoreError('invalid_grant', 'revoked', { status: 400 }) });
    const { store, make } = setUp(procore, clock);
    const id = store.newId();
    await store.put(id, expiredAt(clock));
    await expect(make().fresh(id)).rejects.toBeInstanceOf(SignedOutError);
    expect(await store.get(id)).toBeUndefined();
  });

  it('when the refresh times out, then the error is transient and the token set is kept', async () => {
    const clock = new FakeClock();
    const procore = rotatingProcore(clock, { fail: new ProcoreError('timeout', 'no answer') });
    const { store, make } = setUp(procore, clock);
    const id = store.newId();
    await store.put(id, expiredAt(clock));
    await expect(make().fresh(id)).rejects.toMatchObject({ code: 'timeout', isTransient: true });
    expect((await store.get(id))?.refreshToken).toBe('refresh-0');
  });

  it('when a rejected access token was already replaced by another request, then no second refresh happens', async () => {
    const clock = new FakeClock();
    const procore = rotatingProcore(clock);
    const { store, make } = setUp(procore, clock);
    const id = store.newId();
    await store.put(id, expiredAt(clock));
    const refresher = make();
    await refresher.fresh(id);
    const again = await refresher.replaceRejected(id, 'access-0');
    expect(again.accessToken).toBe('access-1');
    expect(procore.calls).toHaveLength(1);
  });
});

/** A token set whose 5,400-second access token has `leftMs` to live (inside the refresh margin when under a minute). */
const expiringIn = (clock: FakeClock, leftMs: number): StoredTokens => ({
  ...expiredAt(clock),
  expiresAt: clock.now() + leftMs,
  issuedAt: clock.now() + leftMs - 5_400_000,
});

describe('when an early refresh fails', () => {
  it('when Procore is down while the access token still works, then that token is handed out and the grant waits before trying again (not on every call)', async () => {
    const clock = new FakeClock();
    const outage: { fail?: ProcoreError } = {
      fail: new ProcoreError('unavailable', 'Procore answered 503', { status: 503 }),
    };
    const procore = rotatingProcore(clock, outage);
    const { store, make, details } = setUp(procore, clock);
    const id = store.newId();
    await store.put(id, expiringIn(clock, 30_000));
    const refresher = make();
    expect((await refresher.fresh(id)).accessToken).toBe('access-0');
    expect((await refresher.fresh(id)).accessToken).toBe('access-0');
    expect(procore.calls).toEqual(['refresh-0']);
    expect(details).toEqual([
      { outcome: 'failed', tokenSetId: id, ownerId: 7, status: 503, fatal: false, cause: 'unavailable' },
    ]);

    clock.advance(REFRESH_PAUSE_MS);
    outage.fail = undefined;
    expect((await refresher.fresh(id)).accessToken).toBe('access-1');
    expect(procore.calls).toEqual(['refresh-0', 'refresh-0']);
  });

  it('when the access token has expired as well, then the failure reaches the caller and the token set is kept', async () => {
    const clock = new FakeClock();
    const procore = rotatingProcore(clock, {
      fail: new ProcoreError('unavailable', 'Procore answered 503', { status: 503 }),
    });
    const { store, make } = setUp(procore, clock);
    const id = store.newId();
    await store.put(id, expiringIn(clock, 30_000));
    const refresher = make();
    await refresher.fresh(id);
    clock.advance(30_000);
    await expect(refresher.fresh(id)).rejects.toMatchObject({ code: 'unavailable' });
    expect((await store.get(id))?.refreshToken).toBe('refresh-0');
  });

  it("when Procore refuses the app's own credentials (invalid_client, unauthorized_client), then nobody is signed out, and once they are accepted the same grant refreshes", async () => {
    const clock = new FakeClock();
    const refused: { fail?: ProcoreError } = {
      fail: new ProcoreError('invalid_client', 'Procore rejected the client credentials', {
        status: 401,
        oauthError: 'invalid_client',
      }),
    };
    const procore = rotatingProcore(clock, refused);
    const { store, make } = setUp(procore, clock);
    const id = store.newId();
    await store.put(id, expiredAt(clock));
    const refresher = make();
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await expect(refresher.fresh(id)).rejects.toMatchObject({ code: 'invalid_client', isFatal: false });
      clock.advance(REFRESH_PAUSE_MS);
    }
    expect((await store.get(id))?.refreshToken).toBe('refresh-0');
    refused.fail = undefined;
    expect((await refresher.fresh(id)).accessToken).toBe('access-1');
  });

  it('when Procore answers another OAuth error, then the grant is tried three times, then signed out with a reason of its own', async () => {
    const clock = new FakeClock();
    const procore = rotatingProcore(clock, {
      fail: new ProcoreError('oauth_error', 'invalid_request', { status: 400, oauthError: 'invalid_request' }),
    });
    const { store, make } = setUp(procore, clock);
    const id = store.newId();
    await store.put(id, expiredAt(clock));
    const refresher = make();
    await expect(refresher.fresh(id)).rejects.toMatchObject({ code: 'oauth_error' });
    await expect(refresher.fresh(id)).rejects.toMatchObject({ code: 'oauth_error' });
    expect(await store.get(id)).toBeDefined();
    await expect(refresher.fresh(id)).rejects.toMatchObject({ name: 'SignedOutError', reason: 'refresh_refused' });
    expect(await store.get(id)).toBeUndefined();
    expect(procore.calls).toHaveLength(3);
  });

  it('when access tokens live 40 seconds, then three calls right after sign-in refresh nothing, and one does once a quarter of the lifetime is left', async () => {
    const clock = new FakeClock();
    const procore = rotatingProcore(clock);
    const { store, make } = setUp(procore, clock);
    const id = store.newId();
    await store.put(id, { ...expiredAt(clock), expiresAt: clock.now() + 40_000, issuedAt: clock.now() });
    const refresher = make();
    for (let view = 0; view < 3; view += 1) {
      expect((await refresher.fresh(id)).accessToken).toBe('access-0');
      clock.advance(1_000);
    }
    expect(procore.calls).toEqual([]);
    clock.advance(27_000);
    expect((await refresher.fresh(id)).accessToken).toBe('access-1');
  });
});
