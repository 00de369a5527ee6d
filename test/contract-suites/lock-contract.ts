import { describe, expect, it } from 'vitest';
import type { Lock, LockLease } from '../../src/procore-auth/lock';

/** One lock implementation as the contract sees it. */
export interface LockSubject {
  /** Another handle on the same locks, as another app instance or process would have. */
  makeLock(): Lock;
  /** A key no other test uses. */
  key(): string;
  /** Lets `ms` pass for leases: moves a fake clock, or waits when the backend keeps its own time (Redis). */
  pass(ms: number): Promise<void>;
}

/** Short enough to let expire in a test that waits on real time, long enough for a round trip. */
const SHORT_LEASE_MS = 40;
const now = { ttlMs: 60_000, waitTimeoutMs: 0 };

/**
 * What every Lock does, run against each implementation (Redis, lock file, in memory), the way
 * oauth2-proxy runs one session-store suite against every store.
 */
export function describeLockContract(name: string, subject: () => LockSubject | Promise<LockSubject>): void {
  describe(`${name} keeps the Lock contract`, () => {
    it('when the lock is free, then acquire returns a lease for that key at once, without waiting', async () => {
      const { makeLock, key } = await subject();
      const k = key();
      const lease = await makeLock().acquire(k, now);
      expect(lease).toMatchObject({ key: k, waited: false });
      expect(lease!.owner).toEqual(expect.any(String));
    });

    it('when twenty callers race for one key, then exactly one holds it', async () => {
      const { makeLock, key } = await subject();
      const k = key();
      const leases = await Promise.all(Array.from({ length: 20 }, () => makeLock().acquire(k, now)));
      expect(leases.filter(Boolean)).toHaveLength(1);
    });

    it('when one key is held, then another key is still free', async () => {
      const { makeLock, key } = await subject();
      expect(await makeLock().acquire(key(), now)).toBeDefined();
      expect(await makeLock().acquire(key(), now)).toBeDefined();
    });

    it('when the holder releases, then the next caller gets the lock', async () => {
      const { makeLock, key } = await subject();
      const k = key();
      const lock = makeLock();
      const lease = (await lock.acquire(k, now))!;
      expect(await makeLock().acquire(k, now)).toBeUndefined();
      await lock.release(lease);
      expect(await makeLock().acquire(k, now)).toBeDefined();
    });

    it('when someone who does not hold the lock releases it, then the holder keeps it', async () => {
      const { makeLock, key } = await subject();
      const k = key();
      const lease = (await makeLock().acquire(k, now))!;
      const stranger: LockLease = { key: k, owner: 'someone-else', waited: false };
      await makeLock().release(stranger);
      expect(await makeLock().acquire(k, now)).toBeUndefined();
      await makeLock().release(lease);
      expect(await makeLock().acquire(k, now)).toBeDefined();
    });

    it('when a lease runs out without a release, then another caller takes over, and the late release of the first holder leaves the new holder alone', async () => {
      const { makeLock, key, pass } = await subject();
      const k = key();
      const first = (await makeLock().acquire(k, { ttlMs: SHORT_LEASE_MS, waitTimeoutMs: 0 }))!;
      expect(first).toBeDefined();
      await pass(SHORT_LEASE_MS + 20);
      const second = await makeLock().acquire(k, now);
      expect(second).toBeDefined();
      await makeLock().release(first);
      expect(await makeLock().acquire(k, now)).toBeUndefined();
    });

    it('when the lock stays held for longer than the wait timeout, then acquire gives up and returns undefined', async () => {
      const { makeLock, key } = await subject();
      const k = key();
      expect(await makeLock().acquire(k, now)).toBeDefined();
      expect(await makeLock().acquire(k, { ttlMs: 60_000, waitTimeoutMs: 50 })).toBeUndefined();
    });

    it('when the holder releases while another caller waits, then the waiter gets the lock and its lease says it waited', async () => {
      const { makeLock, key, pass } = await subject();
      const k = key();
      const holder = makeLock();
      const lease = (await holder.acquire(k, now))!;
      const waiting = makeLock().acquire(k, { ttlMs: 60_000, waitTimeoutMs: 60_000 });
      await pass(20);
      await holder.release(lease);
      expect(await waiting).toMatchObject({ key: k, waited: true });
    });
  });
}
