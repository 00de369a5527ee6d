import type { Request } from 'express';
import type { Lock, LockTiming } from '../../auth/lock';
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
 * `destroy` (so its next request, on any instance, is signed out), and its token set is revoked at
 * Procore under the refresh lock (no refresh of it can be under way meanwhile), then deleted.
 */
export function sessionEnderFor(req: Request, deps: SessionEnderDeps): SessionEnder {
  return {
    destroySession: (sid) => new Promise<void>((resolve, reject) => req.sessionStore.destroy(sid, (error: unknown) => (error ? reject(error) : resolve()))),
    async revokeTokens(tokenSetId) {
      const lease = await deps.lock.acquire(deps.tokenStore.lockKeyFor(tokenSetId), deps.lockTiming);
      try {
        const tokens = await deps.tokenStore.get(tokenSetId);
        if (tokens) await deps.oauth.revoke(tokens.refreshToken ?? tokens.accessToken);
      } finally {
        await deps.tokenStore.delete(tokenSetId);
        if (lease) await deps.lock.release(lease).catch(() => undefined);
      }
    },
  };
}
