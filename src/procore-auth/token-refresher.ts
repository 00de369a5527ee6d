import { isProcoreError, ProcoreError } from '../procore/errors';
import { needsRefresh } from '../procore/token-set';
import type { Lock, LockTiming } from './lock';
import type { ProcoreEndpoints } from './procore-endpoints';
import { SignedOutError } from './errors';
import type { StoredTokens, TokenStore } from './token-store';

export type RefreshOutcome = 'refreshed' | 'failed' | 'waited' | 'shared';

/** What an outcome was about, for per-person health (operators); never carries a token. */
export interface RefreshDetail {
  tokenSetId: string;
  ownerId?: number; // the Procore user id the token set belongs to, when it was read
  expiresAt?: number; // the new access token's expiry (epoch ms), after `refreshed`
  status?: number; // Procore's HTTP status for a `failed` refresh, when it answered
  fatal?: boolean; // the failure ended the grant (the person must sign in again)
  cause?: string; // why it `failed`: Procore's OAuth error (invalid_grant, invalid_client…) or the failure's code (timeout…)
}

export interface TokenRefresherOptions {
  store: TokenStore;
  oauth: Pick<ProcoreEndpoints, 'refresh'>;
  lock: Lock;
  lockTiming: LockTiming; // see refreshLockTiming
  now?: () => number;
  onOutcome?: (outcome: RefreshOutcome, detail: RefreshDetail) => void;
}

/** The refresh lock's timings (web app and CLI): the lease outlives one token call, so it never lapses mid-refresh, and a
 * waiter outlives the lease (a holder that died is replaced) before giving up with a transient error. */
export function refreshLockTiming(procoreTimeoutMs: number): LockTiming {
  return { ttlMs: procoreTimeoutMs + 5_000, waitTimeoutMs: procoreTimeoutMs * 2 + 5_000 };
}

type StalenessCheck = (tokens: StoredTokens) => boolean;

/** The pause after a failed refresh while the access token still works; OAuth errors (not invalid_grant) that end a grant. */
export const REFRESH_PAUSE_MS = 5_000;
const OAUTH_ERROR_TRIES = 3;

/**
 * Keeps access tokens fresh without ever spending a refresh token twice (Procore's are single-use: two refreshes with
 * one log the person out). So one in-flight refresh per token set in this process and, across processes, a lock whose
 * holder re-reads the set and refreshes only if still stale. Sign-out takes the same lock, so no refresh writes a pair
 * after a sign-out deleted the set. invalid_grant ends a grant at once, oauth_error after OAUTH_ERROR_TRIES,
 * invalid_client (the app's own credentials) never.
 */
export class TokenRefresher {
  private readonly inFlight = new Map<string, Promise<StoredTokens>>();
  /** Per token set after a failed refresh: no new try before `until`; OAuth errors counted. */
  private readonly setbacks = new Map<string, { until: number; oauthErrors: number }>();
  private readonly now: () => number;

  constructor(private readonly options: TokenRefresherOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Tokens whose access token is good for at least the refresh margin. `known` saves a read. */
  async fresh(id: string, known?: StoredTokens): Promise<StoredTokens> {
    const current = known ?? (await this.options.store.get(id));
    if (!current) throw new SignedOutError('tokens_missing');
    if (!this.isStale(current) || (current.expiresAt > this.now() && (this.setbacks.get(id)?.until ?? 0) > this.now()))
      return current;
    return this.refreshWhile(id, (tokens) => this.isStale(tokens)).catch((error: unknown) => {
      if (error instanceof SignedOutError || current.expiresAt <= this.now()) throw error;
      return current;
    });
  }

  /**
   * Procore answered 401 to `rejectedAccessToken` although it looked valid (revoked elsewhere,
   * clock skew): refresh once, unless another request already replaced it.
   */
  async replaceRejected(id: string, rejectedAccessToken: string): Promise<StoredTokens> {
    return this.refreshWhile(id, (tokens) => tokens.accessToken === rejectedAccessToken || this.isStale(tokens));
  }

  private readonly isStale = (tokens: StoredTokens): boolean => needsRefresh(tokens, this.now());

  private refreshWhile(id: string, stillStale: StalenessCheck): Promise<StoredTokens> {
    const shared = this.inFlight.get(id);
    if (shared) return (this.options.onOutcome?.('shared', { tokenSetId: id }), shared);
    const refresh = this.refreshAcrossInstances(id, stillStale).finally(() => this.inFlight.delete(id));
    this.inFlight.set(id, refresh);
    return refresh;
  }

  private async refreshAcrossInstances(id: string, stillStale: StalenessCheck): Promise<StoredTokens> {
    const { store, lock, lockTiming } = this.options;
    const lease = await lock.acquire(store.lockKeyFor(id), lockTiming);
    if (!lease) {
      const current = await this.read(id, true);
      if (!stillStale(current)) return current; // whoever held the lock all along may have finished just now
      throw new ProcoreError('timeout', 'Another request was refreshing the Procore tokens and did not finish in time');
    }
    try {
      const current = await this.read(id, lease.waited);
      if (!stillStale(current)) return current; // someone refreshed while we waited for the lock
      return await this.refreshHoldingLock(id, current);
    } finally {
      await lock.release(lease).catch(() => undefined); // it expires by itself anyway
    }
  }

  /** The stored tokens (reporting 'waited' once their owner is known); gone means signed out. */
  private async read(id: string, waited: boolean): Promise<StoredTokens> {
    const current = await this.options.store.get(id);
    if (waited) this.options.onOutcome?.('waited', { tokenSetId: id, ownerId: current?.ownerId });
    if (!current) throw new SignedOutError('tokens_missing');
    return current;
  }

  private async refreshHoldingLock(id: string, current: StoredTokens): Promise<StoredTokens> {
    const { store, oauth } = this.options;
    if (!current.refreshToken) throw new SignedOutError('grant_revoked');
    try {
      const refreshed = await oauth.refresh(current.refreshToken);
      // The old refresh token is already dead at Procore: save the new pair before anything else.
      const next: StoredTokens = { ...refreshed, ownerId: current.ownerId };
      await store.put(id, next);
      this.setbacks.delete(id);
      this.options.onOutcome?.('refreshed', { tokenSetId: id, ownerId: current.ownerId, expiresAt: next.expiresAt });
      return next;
    } catch (error) {
      const procore = isProcoreError(error) ? error : undefined;
      const setback = {
        until: this.now() + REFRESH_PAUSE_MS,
        oauthErrors: (this.setbacks.get(id)?.oauthErrors ?? 0) + (procore?.code === 'oauth_error' ? 1 : 0),
      };
      const refused = setback.oauthErrors >= OAUTH_ERROR_TRIES ? 'refresh_refused' : undefined;
      const ended = procore?.isFatal ? 'grant_revoked' : refused;
      const cause = (!procore?.isTransient && procore?.oauthError) || (procore?.code ?? 'error');
      const detail = { tokenSetId: id, ownerId: current.ownerId, status: procore?.status, fatal: !!ended, cause };
      this.options.onOutcome?.('failed', detail);
      if (ended) {
        this.setbacks.delete(id);
        await store.delete(id).catch(() => undefined);
        throw new SignedOutError(ended, { cause: error });
      }
      this.setbacks.set(id, setback);
      throw error;
    }
  }
}
