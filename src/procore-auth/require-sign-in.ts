import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { SignedOutError } from './errors';
import { ProcoreAccess } from './procore-access';
import type { TokenRefresher } from './token-refresher';

declare global {
  namespace Express {
    interface Locals {
      procore: ProcoreAccess; // Set by `requireSignIn` on protected routes: fresh access tokens for this request.
    }
  }
}

export interface RequireSignInOptions {
  refresher: TokenRefresher;
  absoluteTimeoutMs: number; // How long a sign-in lasts at most.
  home: string; // The signed-out page: a GET comes back to it with `?next=` (where to return after signing in).
  now: () => number;
  /** Sees every error a Procore call of the request ends in (e.g. a person's "last Procore error"). */
  onProcoreError?: (req: Request, error: unknown) => void;
}

/** Sends a person without a (young enough) sign-in to `home`; else sets `res.locals.procore`. */
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
