import { isProcoreError, ProcoreError } from '../procore/errors';
import type { ProcoreOAuthClient } from '../procore/contracts';
import { needsRefresh, DEFAULT_REFRESH_MARGIN_MS } from '../procore/token-set';
import type { DistributedLock } from './redis-lock';
import { SignedOutError } from './signed-out-error';
import { refreshLockKey, type StoredTokens, type TokenStore } from './token-store';

export type RefreshOutcome = 'refreshed' | 'failed' | 'waited' | 'shared';

/** What an outcome was about, for per-person health (operators); never carries a token. */
export interface RefreshDetail {
  tokenSetId: string;
  /** The Procore user id the token set belongs to, when it was read. */
  ownerId?: number;
  /** The new access token's expiry (epoch ms), after `refreshed`. */
  expiresAt?: number;
  /** Procore's HTTP status for a `failed` refresh, when it answered. */
  status?: number;
  /** True when the failure ended the grant (the person must sign in again). */
  fatal?: boolean;
}

export interface TokenRefresherOptions {
  store: TokenStore;
  oauth: Pick<ProcoreOAuthClient, 'refresh'>;
  lock: DistributedLock;
  keyPrefix: string;
  /** Must outlive one token call (its timeout) so the lock never lapses while a refresh is under way. */
  lockTtlMs: number;
  /** How long a request waits for another instance's refresh before giving up with a transient error. */
  waitTimeoutMs: number;
  pollIntervalMs?: number;
  refreshMarginMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  onOutcome?: (outcome: RefreshOutcome, detail: RefreshDetail) => void;
}

type StalenessCheck = (tokens: StoredTokens) => boolean;

/**
 * Keeps access tokens fresh without ever spending a refresh token twice.
 *
 * Procore's refresh tokens are single-use: two refreshes with the same one log the user out.
 * So: one in-flight refresh per token set inside this process, and across processes a Redis lock;
 * the lock holder re-reads the token set and refreshes only if it is still stale (someone may
 * have refreshed while it waited), everyone else waits for the new tokens.
 */
export class TokenRefresher {
  private readonly inFlight = new Map<string, Promise<StoredTokens>>();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly marginMs: number;

  constructor(private readonly options: TokenRefresherOptions) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.marginMs = options.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS;
  }

  /** Tokens whose access token is good for at least the refresh margin. `known` saves a read. */
  async fresh(id: string, known?: StoredTokens): Promise<StoredTokens> {
    const current = known ?? (await this.options.store.get(id));
    if (!current) throw new SignedOutError('tokens_missing');
    if (!this.isStale(current)) return current;
    return this.refreshWhile(id, (tokens) => this.isStale(tokens));
  }

  /**
   * Procore answered 401 to `rejectedAccessToken` although it looked valid (revoked elsewhere,
   * clock skew): refresh once, unless another request already replaced it.
   */
  async replaceRejected(id: string, rejectedAccessToken: string): Promise<StoredTokens> {
    return this.refreshWhile(id, (tokens) => tokens.accessToken === rejectedAccessToken || this.isStale(tokens));
  }

  private isStale(tokens: StoredTokens): boolean {
    return needsRefresh(tokens, this.now(), this.marginMs);
  }

  private refreshWhile(id: string, stillStale: StalenessCheck): Promise<StoredTokens> {
    const shared = this.inFlight.get(id);
    if (shared) {
      this.options.onOutcome?.('shared', { tokenSetId: id });
      return shared;
    }
    const refresh = this.refreshAcrossInstances(id, stillStale).finally(() => this.inFlight.delete(id));
    this.inFlight.set(id, refresh);
    return refresh;
  }

  private async refreshAcrossInstances(id: string, stillStale: StalenessCheck): Promise<StoredTokens> {
    const { store, lock, keyPrefix, lockTtlMs, waitTimeoutMs } = this.options;
    const lockKey = refreshLockKey(keyPrefix, id);
    const deadline = this.now() + waitTimeoutMs;
    let waited = false;
    for (;;) {
      const owner = await lock.tryAcquire(lockKey, lockTtlMs);
      if (owner) {
        try {
          return await this.refreshHoldingLock(id, stillStale);
        } finally {
          await lock.release(lockKey, owner).catch(() => undefined); // it expires by itself anyway
        }
      }
      await this.sleep(this.options.pollIntervalMs ?? 50);
      const current = await store.get(id);
      if (!waited) {
        waited = true;
        this.options.onOutcome?.('waited', { tokenSetId: id, ownerId: current?.ownerId });
      }
      if (!current) throw new SignedOutError('tokens_missing');
      if (!stillStale(current)) return current;
      if (this.now() > deadline) {
        throw new ProcoreError('timeout', 'Another request was refreshing the Procore tokens and did not finish in time');
      }
    }
  }

  private async refreshHoldingLock(id: string, stillStale: StalenessCheck): Promise<StoredTokens> {
    const { store, oauth } = this.options;
    const current = await store.get(id);
    if (!current) throw new SignedOutError('tokens_missing');
    if (!stillStale(current)) return current; // someone refreshed while we waited for the lock
    if (!current.refreshToken) throw new SignedOutError('grant_revoked');
    try {
      const refreshed = await oauth.refresh(current.refreshToken);
      // The old refresh token is already dead at Procore: save the new pair before anything else.
      const next: StoredTokens = { ...refreshed, ownerId: current.ownerId };
      await store.put(id, next);
      this.options.onOutcome?.('refreshed', { tokenSetId: id, ownerId: current.ownerId, expiresAt: next.expiresAt });
      return next;
    } catch (error) {
      this.options.onOutcome?.('failed', {
        tokenSetId: id,
        ownerId: current.ownerId,
        status: isProcoreError(error) ? error.status : undefined,
        fatal: isProcoreError(error) && error.isFatal,
      });
      if (isProcoreError(error) && error.isFatal) {
        await store.delete(id).catch(() => undefined);
        throw new SignedOutError('grant_revoked', { cause: error });
      }
      throw error;
    }
  }
}
