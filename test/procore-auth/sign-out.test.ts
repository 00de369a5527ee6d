import { describe, expect, it } from 'vitest';
import type { LockTiming } from '../../src/procore-auth/lock';
import { SignedOutError } from '../../src/procore-auth/errors';
import { signOut } from '../../src/procore-auth/sign-out';
import { TokenRefresher } from '../../src/procore-auth/token-refresher';
import type { StoredTokens } from '../../src/procore-auth/token-store';
import { ProcoreError } from '../../src/procore/errors';
import type { TokenSet } from '../../src/procore/token-set';
import { FakeClock } from '../support/fake-clock';
import { authBacking, useTestRedis } from '../support/test-redis';

const testRedis = useTestRedis();

const timing: LockTiming = { ttlMs: 5_000, waitTimeoutMs: 8_000 };

/** A point a fake Procore call stops at until the test lets it go on. */
function gate() {
  let reached!: () => void;
  let open!: () => void;
  const reachedPromise = new Promise<void>((resolve) => (reached = resolve));
  const openPromise = new Promise<void>((resolve) => (open = resolve));
  return {
    /** Resolves once a call is waiting at the gate. */
    reached: reachedPromise,
    open,
    async pass(): Promise<void> {
      reached();
      await openPromise;
    },
  };
}

/** A stand-in for Procore's token and revoke endpoints; either call can be held at a gate. */
function fakeProcore(clock: FakeClock) {
  return {
    revoked: [] as string[],
    refreshed: [] as string[],
    refreshGate: undefined as ReturnType<typeof gate> | undefined,
    revokeGate: undefined as ReturnType<typeof gate> | undefined,
    failRevoke: undefined as ProcoreError | undefined,
    async refresh(refreshToken: string): Promise<TokenSet> {
      this.refreshed.push(refreshToken);
      await this.refreshGate?.pass();
      const n = this.refreshed.length;
      return {
        accessToken: `access-${n}`,
        refreshToken: `refresh-${n}`,
        expiresAt: clock.now() + 5_400_000,
        issuedAt: clock.now(),
      };
    },
    async revoke(token: string): Promise<void> {
      await this.revokeGate?.pass();
      if (this.failRevoke) throw this.failRevoke;
      this.revoked.push(token);
    },
  };
}

const signedIn = (clock: FakeClock, expiresInMs: number): StoredTokens => ({
  accessToken: 'access-0',
  refreshToken: 'refresh-0',
  expiresAt: clock.now() + expiresInMs,
  issuedAt: clock.now() - 1_000,
  ownerId: 7,
});

describe('signing out', () => {
  it('when signed in, then the access token is revoked at Procore (the token Procore documents; the refresh token dies with it) and the token set is deleted', async () => {
    const clock = new FakeClock();
    const procore = fakeProcore(clock);
    const { store, lock } = authBacking('memory', clock, testRedis);
    const id = store.newId();
    await store.put(id, signedIn(clock, 3_600_000));
    expect(
      await signOut({ tokenSetId: id, store, lock: lock(), lockTiming: timing, oauth: procore, now: clock.now }),
    ).toEqual({ outcome: 'revoked' });
    expect(procore.revoked).toEqual(['access-0']);
    expect(procore.refreshed).toEqual([]);
    expect(await store.get(id)).toBeUndefined();
  });

  it('when the access token has expired, then it is refreshed first under the lock (the new pair saved) and the new access token is revoked', async () => {
    const clock = new FakeClock();
    const procore = fakeProcore(clock);
    procore.failRevoke = new ProcoreError('unavailable', 'Procore is down', { status: 503 });
    const { store, lock } = authBacking('memory', clock, testRedis);
    const id = store.newId();
    await store.put(id, signedIn(clock, -1_000));
    // The CLI keeps its file when revoking fails: it holds the new pair, the spent refresh-0 is gone.
    await expect(
      signOut({
        tokenSetId: id,
        store,
        lock: lock(),
        lockTiming: timing,
        oauth: procore,
        now: clock.now,
        onRevokeFailure: 'keep',
      }),
    ).rejects.toBe(procore.failRevoke);
    expect(await store.get(id)).toMatchObject({ accessToken: 'access-1', refreshToken: 'refresh-1' });
    procore.failRevoke = undefined;
    clock.advance(5_400_000);
    expect(
      await signOut({ tokenSetId: id, store, lock: lock(), lockTiming: timing, oauth: procore, now: clock.now }),
    ).toEqual({ outcome: 'revoked' });
    expect(procore.refreshed).toEqual(['refresh-0', 'refresh-1']);
    expect(procore.revoked).toEqual(['access-2']);
    expect(await store.get(id)).toBeUndefined();
  });

  it('when the expired grant is already dead at Procore (invalid_grant on refresh), then nothing is left to revoke and the token set is deleted', async () => {
    const clock = new FakeClock();
    const procore = fakeProcore(clock);
    procore.refresh = () =>
      Promise.reject(new ProcoreError('invalid_grant', 'Procore rejected the grant', { status: 400 }));
    const { store, lock } = authBacking('memory', clock, testRedis);
    const id = store.newId();
    await store.put(id, signedIn(clock, -1_000));
    expect(
      await signOut({
        tokenSetId: id,
        store,
        lock: lock(),
        lockTiming: timing,
        oauth: procore,
        now: clock.now,
        onRevokeFailure: 'keep',
      }),
    ).toEqual({ outcome: 'revoked' });
    expect(procore.revoked).toEqual([]);
    expect(await store.get(id)).toBeUndefined();
  });

  it('when the token set has no refresh token, then its access token is revoked', async () => {
    const clock = new FakeClock();
    const procore = fakeProcore(clock);
    const { store, lock } = authBacking('memory', clock, testRedis);
    const id = store.newId();
    const { refreshToken: _none, ...accessOnly } = signedIn(clock, 3_600_000);
    await store.put(id, accessOnly);
    await signOut({ tokenSetId: id, store, lock: lock(), lockTiming: timing, oauth: procore, now: clock.now });
    expect(procore.revoked).toEqual(['access-0']);
  });

  it('when nothing is stored, then nothing is revoked and the answer says so', async () => {
    const clock = new FakeClock();
    const procore = fakeProcore(clock);
    const { store, lock } = authBacking('memory', clock, testRedis);
    expect(
      await signOut({
        tokenSetId: store.newId(),
        store,
        lock: lock(),
        lockTiming: timing,
        oauth: procore,
        now: clock.now,
      }),
    ).toEqual({ outcome: 'not_signed_in' });
    expect(procore.revoked).toEqual([]);
  });

  it('when Procore cannot revoke, then the token set is deleted all the same (nobody stays signed in), or kept for a retry when asked to', async () => {
    const clock = new FakeClock();
    const procore = fakeProcore(clock);
    procore.failRevoke = new ProcoreError('unavailable', 'Procore is down', { status: 503 });
    const { store, lock } = authBacking('memory', clock, testRedis);
    const web = store.newId();
    await store.put(web, signedIn(clock, 3_600_000));
    expect(
      await signOut({ tokenSetId: web, store, lock: lock(), lockTiming: timing, oauth: procore, now: clock.now }),
    ).toMatchObject({ outcome: 'revoke_failed', error: procore.failRevoke });
    expect(await store.get(web)).toBeUndefined();
    const cli = store.newId();
    await store.put(cli, signedIn(clock, 3_600_000));
    await expect(
      signOut({
        tokenSetId: cli,
        store,
        lock: lock(),
        lockTiming: timing,
        oauth: procore,
        now: clock.now,
        onRevokeFailure: 'keep',
      }),
    ).rejects.toBe(procore.failRevoke);
    expect(await store.get(cli)).toBeDefined();
  });

  it('when another caller holds the refresh lock past the wait timeout, then sign-out fails with LockBusyError and keeps the tokens', async () => {
    const clock = new FakeClock();
    const procore = fakeProcore(clock);
    const { store, lock } = authBacking('memory', clock, testRedis);
    const id = store.newId();
    await store.put(id, signedIn(clock, 3_600_000));
    await lock().acquire(store.lockKeyFor(id), { ttlMs: 60_000, waitTimeoutMs: 0 });
    await expect(
      signOut({ tokenSetId: id, store, lock: lock(), lockTiming: timing, oauth: procore, now: clock.now }),
    ).rejects.toMatchObject({ name: 'LockBusyError' });
    expect(procore.revoked).toEqual([]);
    expect(await store.get(id)).toBeDefined();
  });

  for (const kind of ['memory', 'redis'] as const) {
    it(`when a refresh in another request is under way, then sign-out waits, revokes the new pair and deletes it (${kind})`, async () => {
      const clock = new FakeClock(kind === 'redis' ? Date.now() : undefined);
      const procore = fakeProcore(clock);
      procore.refreshGate = gate();
      const { store, lock } = authBacking(kind, clock, testRedis);
      const id = store.newId();
      await store.put(id, signedIn(clock, -1_000));
      const refresher = new TokenRefresher({ store, oauth: procore, lock: lock(), lockTiming: timing, now: clock.now });
      const refreshing = refresher.fresh(id);
      await procore.refreshGate.reached;
      const signingOut = signOut({
        tokenSetId: id,
        store,
        lock: lock(),
        lockTiming: timing,
        oauth: procore,
        now: clock.now,
      });
      procore.refreshGate.open();
      expect((await refreshing).accessToken).toBe('access-1');
      expect(await signingOut).toEqual({ outcome: 'revoked' });
      // The spent pair is not what was revoked: the one the refresh wrote is.
      expect(procore.revoked).toEqual(['access-1']);
      expect(await store.get(id)).toBeUndefined();
    });

    it(`when sign-out holds the lock, then a refresh finishing in another request finds the token set gone and writes no new pair (${kind})`, async () => {
      const clock = new FakeClock(kind === 'redis' ? Date.now() : undefined);
      const procore = fakeProcore(clock);
      const { store, lock } = authBacking(kind, clock, testRedis);
      const id = store.newId();
      await store.put(id, signedIn(clock, 3_600_000));
      procore.revokeGate = gate();
      const signingOut = signOut({
        tokenSetId: id,
        store,
        lock: lock(),
        lockTiming: timing,
        oauth: procore,
        now: clock.now,
      });
      // Sign-out holds the lock and is revoking at Procore right now; another request got a 401 and needs a refresh.
      await procore.revokeGate.reached;
      const refresher = new TokenRefresher({ store, oauth: procore, lock: lock(), lockTiming: timing, now: clock.now });
      const refreshing = refresher.replaceRejected(id, 'access-0').catch((error: unknown) => error);
      procore.revokeGate.open();
      expect(await signingOut).toEqual({ outcome: 'revoked' });
      const outcome = await refreshing;
      expect(outcome).toBeInstanceOf(SignedOutError);
      expect(outcome).toMatchObject({ reason: 'tokens_missing' });
      expect(procore.revoked).toEqual(['access-0']);
      expect(procore.refreshed).toEqual([]);
      expect(await store.get(id)).toBeUndefined();
    });
  }
});
