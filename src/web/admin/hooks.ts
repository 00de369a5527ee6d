import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { SignedOutError } from '../../auth/signed-out-error';
import type { TokenStore } from '../../auth/token-store';
import type { Operators, Person } from '../../operators';
import { isProcoreError } from '../../procore/errors';
import type { RateLimitState } from '../../procore/types';
import type { SignInEvents, SignInRefusal } from '../sign-in/sign-in-routes';
import { clientIp, requestContext } from '../request-context';

/** The OAuth error behind a refusal, as Procore's `error` parameter or token-endpoint answer names it. */
const OAUTH_ERRORS: Partial<Record<SignInRefusal, string>> = {
  cancelled: 'access_denied',
  code_expired: 'invalid_grant',
  client_rejected: 'invalid_client',
  unverified: 'state mismatch',
};

function refusalDetail(req: Request, reason: SignInRefusal): string {
  const fromProcore = typeof req.query.error === 'string' && /^[a-z_]{1,40}$/.test(req.query.error) ? req.query.error : undefined;
  const oauthError = fromProcore ?? OAUTH_ERRORS[reason];
  return oauthError && oauthError !== reason ? `${reason} (${oauthError})` : reason;
}

/**
 * The session a request arrived with (set by `trackActivity`): a sign-in regenerates the session,
 * and the one it replaced (another tab's, or another person's in this browser) must leave the index.
 */
const arrivedWith = new WeakMap<Request, { sid: string; user: Person }>();

/** The sign-in routes' events, recorded in the audit trail, the session index and token health. */
export function operatorSignInEvents(operators: Operators, tokenStore: TokenStore): Required<SignInEvents> {
  return {
    signedIn(req, user, details) {
      const auth = req.session.auth;
      if (!auth) return;
      const replaced = arrivedWith.get(req);
      if (details.replaced && replaced && replaced.sid !== req.sessionID) {
        void operators.signedOut(requestContext(req), replaced.user, replaced.sid, 'replaced by a new sign-in in the same browser');
      }
      void operators.signedIn(requestContext(req), {
        user,
        sid: req.sessionID,
        tokenSetId: auth.tokenSetId,
        signedInAt: auth.signedInAt,
        accessTokenExpiresAt: tokenStore.get(auth.tokenSetId).then((tokens) => tokens?.expiresAt),
      });
    },
    signInRefused(req, reason) {
      void operators.signInRefused(requestContext(req), refusalDetail(req, reason));
    },
    signedOut(req, user) {
      void operators.signedOut(requestContext(req), user, req.sessionID);
    },
  };
}

/**
 * For `requireSignIn`: every error a signed-in person's Procore call ends in, even one a page then
 * handles (a saved list shown instead, a 401 cured by a refresh), becomes their "last Procore error"
 * when its status is 401, 403, 429 or 5xx.
 */
export function recordProcoreErrors(operators: Operators): (req: Request, error: unknown) => void {
  return (req, error) => {
    const userId = req.session?.auth?.user.id;
    if (userId !== undefined && isProcoreError(error) && error.status !== undefined) operators.procoreError(userId, error.status);
  };
}

/**
 * Looks at errors on their way to the error handler: a session Procore ended (a refresh refused
 * for good, tokens no longer accepted) goes to the audit trail. Always passes the error on unchanged.
 */
export function observeOperatorErrors(operators: Operators): ErrorRequestHandler {
  return (error: unknown, req, _res, next) => {
    const auth = req.session?.auth;
    if (auth && error instanceof SignedOutError && (error.reason === 'grant_revoked' || error.reason === 'access_denied')) {
      const cause: unknown = error.cause;
      // OAuth errors by their registered name (invalid_grant, ...); REST errors by our code, never Procore's free text.
      const name = isProcoreError(cause) ? (['invalid_grant', 'invalid_client', 'oauth_error'].includes(cause.code) ? (cause.oauthError ?? cause.code) : cause.code) : undefined;
      const detail = isProcoreError(cause) ? `${name}${cause.status ? ` (${cause.status})` : ''}` : error.reason;
      const type = error.reason === 'grant_revoked' ? 'refresh-failed' : 'token-revoked';
      void operators.signedOutByProcore(requestContext(req), auth.user, req.sessionID, type, detail);
    }
    next(error);
  };
}

/**
 * This instance's heartbeat, at most every 15 seconds, on any request: mounted before the health
 * routes, so the load balancer's probes keep an idle instance counted.
 */
export function heartbeat(operators: Operators): RequestHandler {
  return (_req, _res, next) => {
    operators.heartbeat();
    next();
  };
}

/**
 * For the protected routes: once a request that called Procore has been answered, what Procore
 * said about that person's own token window becomes their headroom on /admin.
 */
export function reportRateLimits(operators: Operators, rateLimitOf: (accessToken: string) => RateLimitState | undefined): RequestHandler {
  return (req, res, next) => {
    res.once('finish', () => {
      const userId = req.session?.auth?.user.id;
      const accessToken = res.locals.procore?.accessTokenUsed();
      const state = accessToken === undefined ? undefined : rateLimitOf(accessToken);
      if (userId !== undefined && state !== undefined) operators.rateLimitSeen(userId, state);
    });
    next();
  };
}

/** Per request, in memory only: a signed-in session's activity reaches the session index at most once a minute. */
export function trackActivity(operators: Operators): RequestHandler {
  return (req, _res, next) => {
    const auth = req.session?.auth;
    if (auth) {
      if (req.path === '/auth/callback') arrivedWith.set(req, { sid: req.sessionID, user: auth.user });
      // The address only when the once-a-minute record is written: req.ip parses X-Forwarded-For.
      operators.activity(auth.user, req.sessionID, auth.signedInAt, () => clientIp(req));
    }
    next();
  };
}
