import { promisify } from 'node:util';
import type { Request } from 'express';
import type { Lock, LockTiming } from '../../auth/lock';
import { signOut } from '../../auth/sign-out';
import type { TokenStore } from '../../auth/token-store';
import type { SessionEnder } from '../../operators';
import type { ProcoreOAuthClient } from '../../procore/contracts';

export interface SessionEnderDeps {
  tokenStore: TokenStore;
  oauth: Pick<ProcoreOAuthClient, 'revoke'>;
  lock: Lock;
  lockTiming: LockTiming;
}

/**
 * Ends another session for good: its express-session entry goes through the session store's own
 * `destroy` (so its next request, on any instance, is signed out), and its token set is signed out
 * like any sign-out (under the refresh lock: revoked at Procore, then deleted).
 */
export function sessionEnderFor(req: Request, deps: SessionEnderDeps): SessionEnder {
  return {
    destroySession: (sid) => promisify((id: string, done: (error?: unknown) => void) => req.sessionStore.destroy(id, done))(sid),
    async revokeTokens(tokenSetId) {
      const result = await signOut({ tokenSetId, store: deps.tokenStore, lock: deps.lock, lockTiming: deps.lockTiming, oauth: deps.oauth });
      if (result.outcome === 'revoke_failed') req.log.warn({ err: result.error }, "revoking an ended session's tokens at Procore failed; deleted here");
      return result.outcome === 'not_signed_in' ? 'already_gone' : result.outcome;
    },
  };
}
