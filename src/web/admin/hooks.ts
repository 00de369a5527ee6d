import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { Operators } from '../../operators';
import { SignedOutError, type ProcoreAuthEvents, type SignInRefusal } from '../../procore-auth';
import { isProcoreError } from '../../procore/errors';
import type { RateLimitState } from '../../procore/types';
import { clientIp, requestContext } from '../request-context';

/** The OAuth error behind a refusal, as Procore's `error` parameter or token-endpoint answer names it. */
const OAUTH_ERRORS: Partial<Record<SignInRefusal, string>> = {
  cancelled: 'access_denied',
  code_expired: 'invalid_grant',
  client_rejected: 'invalid_client',
  unverified: 'state mismatch',
};

function refusalDetail(req: Request, reason: SignInRefusal): string {
  const fromProcore =
    typeof req.query.error === 'string' && /^[a-z_]{1,40}$/.test(req.query.error) ? req.query.error : undefined;
  const oauthError = fromProcore ?? OAUTH_ERRORS[reason];
  return oauthError && oauthError !== reason ? `${reason} (${oauthError})` : reason;
}

/**
 * The sign-in events the operators record: sign-ins and sign-outs in the audit trail, the session
 * index and token health (a sign-in that replaced another session ends that one in the index),
 * refresh outcomes and every Procore error a person's calls end in (their "last Procore error",
 * when its status is 401, 403, 429 or 5xx, even one a page then handles).
 */
export function operatorSignInEvents(operators: Operators): ProcoreAuthEvents {
  return {
    signedIn(req, { user, sessionId, tokenSetId, signedInAt, accessTokenExpiresAt, replaced }) {
      if (replaced && replaced.sessionId !== sessionId) {
        void operators.signedOut(
          requestContext(req),
          replaced.user,
          replaced.sessionId,
          'replaced by a new sign-in in the same browser',
        );
      }
      void operators.signedIn(requestContext(req), {
        user,
        sid: sessionId,
        tokenSetId,
        signedInAt,
        accessTokenExpiresAt,
      });
    },
    signInRefused(req, reason) {
      void operators.signInRefused(requestContext(req), refusalDetail(req, reason));
    },
    signedOut(req, { user, sessionId }) {
      void operators.signedOut(requestContext(req), user, sessionId);
    },
    refresh(outcome, detail) {
      operators.refreshReported({ outcome, ...detail });
    },
    procoreError(req, error) {
      const userId = req.session?.auth?.user.id;
      if (userId !== undefined && isProcoreError(error) && error.status !== undefined)
        operators.procoreError(userId, error.status);
    },
  };
}

/**
 * Looks at errors on their way to the error handler: a session Procore ended (a refresh refused
 * for good, tokens no longer accepted) goes to the audit trail. Always passes the error on unchanged.
 */
export function observeOperatorErrors(operators: Operators): ErrorRequestHandler {
  return (error: unknown, req, _res, next) => {
    const auth = req.session?.auth;
    if (
      auth &&
      error instanceof SignedOutError &&
      (error.reason === 'grant_revoked' || error.reason === 'access_denied')
    ) {
      const cause: unknown = error.cause;
      // OAuth errors by their registered name (invalid_grant, ...); REST errors by our code, never Procore's free text.
      const name = isProcoreError(cause)
        ? ['invalid_grant', 'invalid_client', 'oauth_error'].includes(cause.code)
          ? (cause.oauthError ?? cause.code)
          : cause.code
        : undefined;
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
export function reportRateLimits(
  operators: Operators,
  rateLimitOf: (accessToken: string) => RateLimitState | undefined,
): RequestHandler {
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
      // The address only when the once-a-minute record is written: req.ip parses X-Forwarded-For.
      operators.activity(auth.user, req.sessionID, auth.signedInAt, () => clientIp(req));
    }
    next();
  };
}
