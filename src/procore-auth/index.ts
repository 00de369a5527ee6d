/**
 * Sign in with Procore for an Express app: one call, `createProcoreAuth(options)`, gives
 * - `routes`: `GET /auth/procore` (off to Procore), `GET /auth/callback` (back, signed in) and
 *   `POST /logout` (the grant revoked at Procore, the session ended). Mount them after
 *   express-session, and put CSRF protection in front of the POST;
 * - `requireSignIn`: middleware for pages that need a signed-in person. It sets
 *   `res.locals.procore`, whose `accessToken()` and `call(operation)` hand out an access token that
 *   is fresh: refreshed at most once at a time per person, in this process and (under a Redis
 *   lock) across instances, the new pair saved before it is used; Procore's refresh tokens work once;
 * - `handleSignedOut`: error middleware that turns a SignedOutError (the grant was revoked, the
 *   sign-in is too old) into the signed-out page instead of an error;
 * - `signOut(tokenSetId)` (lock, revoke, delete), `endBrowserSession(req, res)`, and the token store
 *   and lock, for apps that end other sessions or want the same lock for their own work.
 * Token sets live in Redis, AES-256-GCM encrypted and bound to their id; the session only names them.
 * Sign-in failures reach the app's error handler as SignInError (with `code` and `cause`).
 * Everything that happens is told to the optional `events` observers. See examples/sign-in.ts.
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
  /** A refresh (or a wait for another's): `refreshed`, `failed`, `waited`, `shared`. Never carries a token. */
  refresh?: (outcome: RefreshOutcome, detail: RefreshDetail) => void;
  /** Every error a Procore call made through `res.locals.procore` ends in, even one cured by a refresh. */
  procoreError?: (req: Request, error: unknown) => void;
  /** Every HTTP exchange with Procore made here (refresh, revoke, me). */
  procoreCall?: (call: ProcoreCall) => void;
  /** Ending a signed-out session failed (Redis away); the person is sent to the signed-out page anyway. */
  sessionEndFailed?: (req: Request, error: unknown) => void;
}

export interface ProcoreAuthOptions {
  clientId: string;
  clientSecret: string;
  /** Procore's login host, e.g. https://login.procore.com. */
  loginUrl: string;
  /** Procore's API host, e.g. https://api.procore.com. */
  apiUrl: string;
  /** This app's `/auth/callback` address exactly as registered with Procore. */
  redirectUri: string;
  redis: RedisClient;
  /** Put in front of every Redis key this folder writes (token sets, locks), e.g. `myapp:`. */
  keyPrefix: string;
  /** 32-byte keys for token sets at rest: the first encrypts, every one decrypts (rotation). */
  tokenEncryptionKeys: readonly Buffer[];
  /** How long a sign-in lasts at most, and its token set with it. Default 12 hours. */
  sessionMaxMs?: number;
  /** Per call to Procore. Default 10 seconds. */
  timeoutMs?: number;
  /** express-session's cookie, cleared on sign-out. Default `connect.sid`, Secure when the session's was. */
  sessionCookie?: { name: string; secure: boolean };
  /** `home`: the signed-out page (default `/`); `afterSignIn`: where a sign-in not started from a page lands (default `home`). */
  paths?: { home?: string; afterSignIn?: string };
  /** The clock of token expiries, sign-in lifetimes and lock waits. */
  now?: () => number;
  events?: ProcoreAuthEvents;
}

export interface ProcoreAuth {
  routes: Router;
  requireSignIn: RequestHandler;
  handleSignedOut: ErrorRequestHandler;
  /** Signs a token set out under the refresh lock: revoked at Procore, deleted here. */
  signOut: (tokenSetId: string) => Promise<SignOutResult>;
  /** Deletes this browser's token set and session and clears its cookie. */
  endBrowserSession: (req: Request, res: Response) => Promise<void>;
  tokenStore: TokenStore;
  /** The Redis lock refreshes and sign-outs take; usable for other single-flight work. */
  lock: Lock;
}

export function createProcoreAuth(options: ProcoreAuthOptions): ProcoreAuth {
  const now = options.now ?? Date.now;
  const events = options.events ?? {};
  const timeoutMs = options.timeoutMs ?? 10_000;
  const { home = '/', afterSignIn = home } = options.paths ?? {};
  const absoluteTimeoutMs = options.sessionMaxMs ?? 12 * 3_600_000;
  const { clientId, clientSecret } = options;
  const endpoints = createProcoreEndpoints({
    loginUrl: options.loginUrl,
    apiUrl: options.apiUrl,
    clientId,
    clientSecret,
    timeoutMs,
    now,
    onCall: events.procoreCall,
  });
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
      loginUrl: options.loginUrl,
      clientId,
      clientSecret,
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
