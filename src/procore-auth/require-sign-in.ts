import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { SignedOutError } from './errors';
import { ProcoreAccess } from './procore-access';
import type { TokenRefresher } from './token-refresher';

declare global {
  namespace Express {
    interface Locals {
      /** Set by `requireSignIn` on protected routes: fresh access tokens for this request. */
      procore: ProcoreAccess;
    }
  }
}

export interface RequireSignInOptions {
  refresher: TokenRefresher;
  /** How long a sign-in lasts at most. */
  absoluteTimeoutMs: number;
  /** The signed-out page: a GET comes back to it with `?next=` (where to return after signing in). */
  home: string;
  now: () => number;
  /** Sees every error a Procore call of the request ends in (e.g. a person's "last Procore error"). */
  onProcoreError?: (req: Request, error: unknown) => void;
}

/**
 * The middleware in front of every page that needs a signed-in person: without a session that has
 * a user (or with one older than `absoluteTimeoutMs`) it sends them to `home` (a SignedOutError);
 * else it sets `res.locals.procore`, which reads the token set and refreshes it (when it expires
 * within a minute) before the first Procore call of the request, not before.
 */
export function requireSignIn(options: RequireSignInOptions): RequestHandler {
  const { now, home, onProcoreError } = options;
  return (req: Request, res: Response, next: NextFunction): void => {
    const auth = req.session.auth;
    if (!auth) {
      res.redirect(303, req.method === 'GET' ? `${home}?next=${encodeURIComponent(req.originalUrl)}` : home);
      return;
    }
    if (now() - auth.signedInAt > options.absoluteTimeoutMs) {
      next(new SignedOutError('session_expired'));
      return;
    }
    res.locals.procore = new ProcoreAccess(auth.tokenSetId, options.refresher, {
      onError: onProcoreError && ((error) => onProcoreError(req, error)),
    });
    next();
  };
}
