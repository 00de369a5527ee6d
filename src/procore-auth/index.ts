/**
 * Sign in with Procore for an Express app: `createProcoreAuth(options)` gives the routes, `requireSignIn` (whose
 * `res.locals.procore` hands out fresh access tokens, refreshed single-flight under a lock because Procore's refresh
 * tokens work once), `handleSignedOut`, `signOut` and the token store. See README and examples/sign-in.ts.
 */
import type { ErrorRequestHandler, Request, RequestHandler, Response, Router } from 'express';
import { Passport } from 'passport';
import { endBrowserSession } from './browser-session';
import { SignedOutError } from './errors';
import type { Lock } from './lock';
import { PendingSignIns } from './pending-sign-ins';
import { createProcoreEndpoints, type ProcoreCall } from './procore-endpoints';
import { ProcoreStrategy } from './procore-strategy';
import type { RedisClient } from './redis-unavailable';
import { RedisLock } from './redis-lock';
import { requireSignIn } from './require-sign-in';
import { safeReturnTo } from './return-to';
import { createSignInRoutes, type SignInEvents } from './sign-in-routes';
import { signOut, type SignOutResult } from './sign-out';
import { TokenCipher } from './token-cipher';
import { refreshLockTiming, TokenRefresher, type RefreshDetail, type RefreshOutcome } from './token-refresher';
import { RedisTokenStore, type TokenStore } from './token-store';

export { SignedOutError, SignInError, type SignedOutReason, type SignInErrorCode } from './errors';
export { LockBusyError, PollingLock, type Lock, type LockClock, type LockLease, type LockTiming } from './lock';
export { ProcoreAccess } from './procore-access';
export type { ProcoreCall, ProcoreMe } from './procore-endpoints';
export { callRedis, redisCallError, RedisUnavailableError, type RedisClient } from './redis-unavailable';
export { RedisLock } from './redis-lock';
export { safeReturnTo } from './return-to';
export type { PendingSignIn, SessionAuth, SignedInUser } from './session-data';
export type { GrantEnded, Revocation, SignedIn, SignInEvents, SignInRefusal } from './sign-in-routes';
export { signOut, type SignOutResult } from './sign-out';
export { TokenCipher } from './token-cipher';
export { refreshLockTiming, TokenRefresher, type RefreshDetail, type RefreshOutcome } from './token-refresher';
export type { StoredTokens, TokenStore } from './token-store';

/** Observers of everything sign-in does; each one optional, none may throw. */
export interface ProcoreAuthEvents extends SignInEvents {
  refresh?: (outcome: RefreshOutcome, detail: RefreshDetail) => void;
  procoreError?: (req: Request, error: unknown) => void; // even one a refresh cured
  procoreCall?: (call: ProcoreCall) => void; // every HTTP exchange with Procore made here (refresh, revoke, me)
  sessionEndFailed?: (req: Request, error: unknown) => void; // Redis away: sent to the signed-out page anyway
}

export interface ProcoreAuthOptions {
  clientId: string;
  clientSecret: string;
  loginUrl: string; // Procore's login host, e.g. https://login.procore.com.
  apiUrl: string; // Procore's API host, e.g. https://api.procore.com.
  redirectUri: string; // This app's `/auth/callback` address exactly as registered with Procore.
  redis: RedisClient;
  keyPrefix: string; // Put in front of every Redis key this folder writes (token sets, locks), e.g. `myapp:`.
  tokenEncryptionKeys: readonly Buffer[]; // 32 bytes each: the first encrypts, all decrypt (rotation)
  sessionMaxMs?: number; // How long a sign-in lasts at most, and its token set with it. Default 12 hours.
  timeoutMs?: number; // Per call to Procore. Default 10 seconds.
  sessionCookie?: { name: string; secure: boolean }; // cleared on sign-out; default `connect.sid`
  paths?: { home?: string; afterSignIn?: string }; // the signed-out page (`/`); where a sign-in lands (`home`)
  now?: () => number; // The clock of token expiries, sign-in lifetimes and lock waits.
  events?: ProcoreAuthEvents;
}

export interface ProcoreAuth {
  routes: Router;
  requireSignIn: RequestHandler;
  handleSignedOut: ErrorRequestHandler;
  signOut: (tokenSetId: string) => Promise<SignOutResult>; // under the refresh lock: revoked at Procore, deleted here
  endBrowserSession: (req: Request, res: Response) => Promise<void>;
  tokenStore: TokenStore;
  lock: Lock; // The Redis lock refreshes and sign-outs take; usable for other single-flight work.
}

export function createProcoreAuth(options: ProcoreAuthOptions): ProcoreAuth {
  const now = options.now ?? Date.now;
  const events = options.events ?? {};
  const timeoutMs = options.timeoutMs ?? 10_000;
  const { home = '/', afterSignIn = home } = options.paths ?? {};
  const absoluteTimeoutMs = options.sessionMaxMs ?? 12 * 3_600_000;
  const endpoints = createProcoreEndpoints({ ...options, timeoutMs, now, onCall: events.procoreCall });
  const tokenStore = new RedisTokenStore(options.redis, new TokenCipher(options.tokenEncryptionKeys), {
    keyPrefix: options.keyPrefix,
    ttlMs: absoluteTimeoutMs,
  });
  // Waits for the lock on this clock; the lease itself lapses on Redis's (PX).
  const lock = new RedisLock(options.redis, { now });
  const lockTiming = refreshLockTiming(timeoutMs);
  const refresher = new TokenRefresher({
    store: tokenStore,
    oauth: endpoints,
    lock,
    lockTiming,
    now,
    onOutcome: events.refresh,
  });
  const pendingSignIns = new PendingSignIns({ now });
  const passport = new Passport();
  passport.use(
    new ProcoreStrategy({
      ...options,
      callbackUrl: options.redirectUri,
      timeoutMs,
      me: endpoints.me,
      stateStore: pendingSignIns,
      now,
    }),
  );
  const endThisBrowsersSession = (req: Request, res: Response): Promise<void> =>
    endBrowserSession(req, res, tokenStore, options.sessionCookie);
  const signOutTokenSet = (tokenSetId: string): Promise<SignOutResult> =>
    signOut({ tokenSetId, store: tokenStore, lock, lockTiming, oauth: endpoints, now });

  return {
    routes: createSignInRoutes({
      passport,
      pendingSignIns,
      tokenStore,
      signOut: signOutTokenSet,
      sessionCookie: options.sessionCookie,
      paths: { home, afterSignIn },
      now,
      events,
    }),
    requireSignIn: requireSignIn({ refresher, absoluteTimeoutMs, home, now, onProcoreError: events.procoreError }),
    handleSignedOut(error: unknown, req, res, next) {
      if (!(error instanceof SignedOutError) || res.headersSent) {
        next(error);
        return;
      }
      const back = req.method === 'GET' ? `&next=${encodeURIComponent(safeReturnTo(req.originalUrl))}` : '';
      endThisBrowsersSession(req, res)
        .catch((cleanupError: unknown) => events.sessionEndFailed?.(req, cleanupError))
        .finally(() => res.redirect(303, `${home}?signed_out=${error.reason}${back}`));
    },
    signOut: signOutTokenSet,
    endBrowserSession: endThisBrowsersSession,
    tokenStore,
    lock,
  };
}
