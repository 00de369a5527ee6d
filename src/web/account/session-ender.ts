import { promisify } from 'node:util';
import type { Request } from 'express';
import type { SessionEnder } from '../../operators';
import type { ProcoreAuth } from '../../procore-auth';

export interface SessionEnderDeps {
  /** Sign-in's sign-out of a token set: under the refresh lock, revoked at Procore, then deleted. */
  signOut: ProcoreAuth['signOut'];
}

/**
 * Ends another session for good: its express-session entry goes through the session store's own
 * `destroy` (so its next request, on any instance, is signed out), and its token set is signed out
 * like any sign-out (under the refresh lock: revoked at Procore, then deleted).
 */
export function sessionEnderFor(req: Request, deps: SessionEnderDeps): SessionEnder {
  return {
    destroySession: (sid) =>
      promisify((id: string, done: (error?: unknown) => void) => req.sessionStore.destroy(id, done))(sid),
    async revokeTokens(tokenSetId) {
      const result = await deps.signOut(tokenSetId);
      if (result.outcome === 'revoke_failed')
        req.log.warn({ err: result.error }, "revoking an ended session's tokens at Procore failed; deleted here");
      return result.outcome === 'not_signed_in' ? 'already_gone' : result.outcome;
    },
  };
}
