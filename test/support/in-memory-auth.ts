import { randomBytes } from 'node:crypto';
import { PollingLock, type LockClock } from '../../src/auth/lock';
import type { StoredTokens, TokenStore } from '../../src/auth/token-store';

/**
 * In-memory implementations of the app's Lock and TokenStore for fast unit tests on a fake clock.
 * They live here, not in src/, because nothing in the app runs them; they pass the same contract
 * suites as the Redis and file implementations (test/contracts), so a test using them tests the
 * same behaviour.
 */
export class InMemoryLock extends PollingLock {
  /** Pass one map to several locks to get several "instances" sharing one lock space. */
  constructor(
    clock: Required<LockClock>,
    private readonly held = new Map<string, { owner: string; expiresAt: number }>(),
  ) {
    super(clock);
  }

  protected async tryAcquire(key: string, owner: string, ttlMs: number): Promise<boolean> {
    const holder = this.held.get(key);
    if (holder && holder.expiresAt > this.now()) return false;
    this.held.set(key, { owner, expiresAt: this.now() + ttlMs });
    return true;
  }

  protected async releaseIfOwner(key: string, owner: string): Promise<void> {
    if (this.held.get(key)?.owner === owner) this.held.delete(key);
  }
}

export class InMemoryTokenStore implements TokenStore {
  private readonly sets = new Map<string, StoredTokens>();

  newId(): string {
    return randomBytes(18).toString('base64url');
  }

  async get(id: string): Promise<StoredTokens | undefined> {
    const tokens = this.sets.get(id);
    return tokens && structuredClone(tokens);
  }

  async put(id: string, tokens: StoredTokens): Promise<void> {
    this.sets.set(id, structuredClone(tokens));
  }

  async delete(id: string): Promise<void> {
    this.sets.delete(id);
  }

  lockKeyFor(id: string): string {
    return `refresh-lock:${id}`;
  }
}
