import { randomBytes } from 'node:crypto';

/** How long a holder may keep a lock at most, and how long a caller waits to get it. */
export interface LockTiming {
  ttlMs: number; // The lease: after this the lock lapses by itself (its holder crashed or hung).
  waitTimeoutMs: number; // How long `acquire` keeps trying before it gives up.
}

/** A held lock. `owner` is a random token only this holder knows; release checks it. */
export interface LockLease {
  readonly key: string;
  readonly owner: string;
  readonly waited: boolean; // True when someone else held the lock at first and this caller had to wait for it.
}

/** One lock interface for the web app (Redis, across instances) and the CLI (a lock file). */
export interface Lock {
  acquire(key: string, timing: LockTiming): Promise<LockLease | undefined>;
  /** Frees the lock if this lease still holds it; a lease that lapsed and was taken by someone else changes nothing. */
  release(lease: LockLease): Promise<void>;
}

/** The lock could not be taken within its wait timeout. */
export class LockBusyError extends Error {
  override readonly name = 'LockBusyError';

  constructor(readonly key: string) {
    super('Someone else held the lock for longer than the wait timeout');
  }
}

/** Time as a lock sees it; tests pass a fake clock. */
export interface LockClock {
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Waiting on a lock: try again after 10 ms, doubling the pause up to 50 ms, until `waitTimeoutMs` has passed. */
const FIRST_PAUSE_MS = 10;
const MAX_PAUSE_MS = 50;

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The waiting loop every lock shares. An implementation only says how to take a lock once
 * (atomically, with a lease) and how to free it if it still owns it.
 */
export abstract class PollingLock implements Lock {
  protected readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  protected constructor(clock: LockClock = {}) {
    this.now = clock.now ?? Date.now;
    this.sleep = clock.sleep ?? realSleep;
  }

  protected abstract tryAcquire(key: string, owner: string, ttlMs: number): Promise<boolean>; // atomically, with a lease
  protected abstract releaseIfOwner(key: string, owner: string): Promise<void>;

  async acquire(key: string, { ttlMs, waitTimeoutMs }: LockTiming): Promise<LockLease | undefined> {
    const owner = randomBytes(16).toString('base64url');
    const deadline = this.now() + waitTimeoutMs;
    let pauseMs = FIRST_PAUSE_MS;
    for (let attempt = 0; ; attempt += 1) {
      if (await this.tryAcquire(key, owner, ttlMs)) return { key, owner, waited: attempt > 0 };
      const leftMs = deadline - this.now();
      if (leftMs <= 0) return undefined;
      await this.sleep(Math.min(pauseMs, leftMs));
      pauseMs = Math.min(pauseMs * 2, MAX_PAUSE_MS);
    }
  }

  release(lease: LockLease): Promise<void> {
    return this.releaseIfOwner(lease.key, lease.owner);
  }
}
