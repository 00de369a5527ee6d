import { randomBytes } from 'node:crypto';
import { PollingLock, type LockClock } from '../../src/procore-auth/lock';
import type { StoredTokens, TokenStore } from '../../src/procore-auth/token-store';

/**
 * In-memory implementations of the app's Lock and TokenStore for fast unit tests on a fake clock.
 * They live here, not in src/, because nothing in the app runs them; they pass the same contract
 * suites as the Redis and file implementations (test/contract-suites), so a test using them tests the
 * same behaviour.
 */
/** Who holds which lock key until when: the lock space several InMemoryLocks can share. */
export type HeldLocks = Map<string, { owner: string; expiresAt: number }>;

// The methods below answer at once; they return promises because the interfaces they implement
// are asynchronous (Redis, files), not because they wait for anything.
export class InMemoryLock extends PollingLock {
  /** Pass one map to several locks to get several "instances" sharing one lock space. */
  constructor(
    clock: Required<LockClock>,
    private readonly held: HeldLocks = new Map(),
  ) {
    super(clock);
  }

  protected tryAcquire(key: string, owner: string, ttlMs: number): Promise<boolean> {
    const holder = this.held.get(key);
    if (holder && holder.expiresAt > this.now()) return Promise.resolve(false);
    this.held.set(key, { owner, expiresAt: this.now() + ttlMs });
    return Promise.resolve(true);
  }

  protected releaseIfOwner(key: string, owner: string): Promise<void> {
    if (this.held.get(key)?.owner === owner) this.held.delete(key);
    return Promise.resolve();
  }
}

export class InMemoryTokenStore implements TokenStore {
  private readonly sets = new Map<string, StoredTokens>();

  newId(): string {
    return randomBytes(18).toString('base64url');
  }

  get(id: string): Promise<StoredTokens | undefined> {
    const tokens = this.sets.get(id);
    return Promise.resolve(tokens && structuredClone(tokens));
  }

  put(id: string, tokens: StoredTokens): Promise<void> {
    this.sets.set(id, structuredClone(tokens));
    return Promise.resolve();
  }

  delete(id: string): Promise<void> {
    this.sets.delete(id);
    return Promise.resolve();
  }

  lockKeyFor(id: string): string {
    return `refresh-lock:${id}`;
  }
}
