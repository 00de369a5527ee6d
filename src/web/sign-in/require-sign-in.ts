import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ProcoreSession } from '../../auth/procore-session';
import { SignedOutError } from '../../auth/signed-out-error';
import type { TokenRefresher } from '../../auth/token-refresher';

declare global {
  namespace Express {
    interface Locals {
      /** Set by `requireSignIn` on protected routes. */
      procore: ProcoreSession;
    }
  }
}

export interface RequireSignInOptions {
  refresher: TokenRefresher;
  absoluteTimeoutMs: number;
  now?: () => number;
  /** Sees every error a Procore call of the request ends in (operators' token health). */
  onProcoreError?: (req: Request, error: unknown) => void;
}

/**
 * The middleware chain in front of every protected route:
 * 1. `ensureSignedIn`: a session with a user, younger than SESSION_MAX_HOURS; else to sign-in.
 * 2. `attachProcore`: `res.locals.procore`, which reads the token set and refreshes it (when it
 *    expires within a minute) before the first Procore call of the request.
 */
export function requireSignIn(options: RequireSignInOptions): RequestHandler[] {
  const now = options.now ?? Date.now;

  const ensureSignedIn = (req: Request, res: Response, next: NextFunction): void => {
    const auth = req.session.auth;
    if (!auth) {
      const target = req.method === 'GET' ? `/?next=${encodeURIComponent(req.originalUrl)}` : '/';
      res.redirect(303, target);
      return;
    }
    if (now() - auth.signedInAt > options.absoluteTimeoutMs) {
      next(new SignedOutError('session_expired'));
      return;
    }
    next();
  };

  const attachProcore = (req: Request, res: Response, next: NextFunction): void => {
    const { onProcoreError } = options;
    res.locals.procore = new ProcoreSession(req.session.auth!.tokenSetId, options.refresher, undefined, onProcoreError && ((error) => onProcoreError(req, error)));
    next();
  };

  return [ensureSignedIn, attachProcore];
}
