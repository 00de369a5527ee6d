import { isProcoreError } from '../procore/errors';
import { needsRefresh } from '../procore/token-set';
import { LockBusyError, type Lock, type LockTiming } from './lock';
import type { ProcoreEndpoints } from './procore-endpoints';
import type { TokenStore } from './token-store';

export interface SignOutOptions {
  tokenSetId: string;
  store: TokenStore;
  lock: Lock; // The refresh lock (the same lock and timing the TokenRefresher uses).
  lockTiming: LockTiming;
  oauth: Pick<ProcoreEndpoints, 'revoke' | 'refresh'>;
  now?: () => number;
  /** When Procore cannot revoke: 'delete' (the web app, the default) deletes the tokens anyway, so nobody stays
   * signed in; 'keep' (the CLI) keeps them and throws, so the logout can be retried. */
  onRevokeFailure?: 'delete' | 'keep';
}

export type SignOutResult =
  | { outcome: 'not_signed_in' } // no token set was stored (already signed out, or it expired)
  | { outcome: 'revoked' }
  | { outcome: 'revoke_failed'; error: unknown }; // Procore could not revoke; the tokens were deleted here all the same

/**
 * Signs a token set out (web app and CLI): under the refresh lock, re-read it, revoke it at Procore with its access token
 * (as Procore documents; the refresh token dies with it; an expiring one is refreshed first, the new pair saved), delete it.
 * A refresh in another request either finished before (its new pair gets revoked) or waits and then finds no token set:
 * it never writes a pair after the delete. Throws LockBusyError when the lock stays taken past its wait timeout.
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
      const live =
        tokens.refreshToken && needsRefresh(tokens, (options.now ?? Date.now)())
          ? { ...(await options.oauth.refresh(tokens.refreshToken)), ownerId: tokens.ownerId }
          : tokens;
      if (live !== tokens) await store.put(tokenSetId, live);
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
