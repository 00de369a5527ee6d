import { isProcoreError } from '../procore/errors';
import { needsRefresh } from '../procore/token-set';
import { LockBusyError, type Lock, type LockTiming } from './lock';
import type { ProcoreEndpoints } from './procore-endpoints';
import type { TokenStore } from './token-store';

export interface SignOutOptions {
  tokenSetId: string;
  store: TokenStore;
  /** The refresh lock (the same lock and timing the TokenRefresher uses). */
  lock: Lock;
  lockTiming: LockTiming;
  oauth: Pick<ProcoreEndpoints, 'revoke' | 'refresh'>;
  now?: () => number;
  /**
   * When Procore cannot revoke: 'delete' (the web app, the default) deletes the tokens anyway, so
   * nobody stays signed in; 'keep' (the CLI) keeps them and throws, so the logout can be retried.
   */
  onRevokeFailure?: 'delete' | 'keep';
}

export type SignOutResult =
  /** No token set was stored (already signed out, or it expired). */
  | { outcome: 'not_signed_in' }
  | { outcome: 'revoked' }
  /** Procore could not revoke; the tokens were deleted here all the same. */
  | { outcome: 'revoke_failed'; error: unknown };

/**
 * Signs a token set out, for the web app and the CLI alike: under the refresh lock, re-read the
 * token set, revoke it at Procore with its access token (as Procore documents it; the refresh token
 * dies with it; an expiring one is refreshed first, the new pair saved), delete it, release the lock. A refresh finishing in another request either completed
 * before (and its new pair is what gets revoked) or waits for the lock and then finds no token set:
 * it can never write a new pair after the delete. Throws LockBusyError when the lock stays taken
 * past its wait timeout.
 */
export async function signOut(options: SignOutOptions): Promise<SignOutResult> {
  const { tokenSetId, store, lock } = options;
  const lease = await lock.acquire(store.lockKeyFor(tokenSetId), options.lockTiming);
  if (!lease) throw new LockBusyError(store.lockKeyFor(tokenSetId));
  try {
    const tokens = await store.get(tokenSetId);
    if (!tokens) return { outcome: 'not_signed_in' };
    let result: SignOutResult = { outcome: 'revoked' };
    try {
      let live = tokens;
      if (live.refreshToken && needsRefresh(live, (options.now ?? Date.now)())) {
        live = { ...(await options.oauth.refresh(live.refreshToken)), ownerId: tokens.ownerId };
        await store.put(tokenSetId, live);
      }
      await options.oauth.revoke(live.accessToken);
    } catch (error) {
      if (isProcoreError(error, 'invalid_grant')) return (await store.delete(tokenSetId), result); // the grant had ended already
      if (options.onRevokeFailure === 'keep') throw error;
      result = { outcome: 'revoke_failed', error };
    }
    await store.delete(tokenSetId);
    return result;
  } finally {
    await lock.release(lease).catch(() => undefined); // it expires by itself anyway
  }
}
