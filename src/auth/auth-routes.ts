import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Passport } from 'passport';
import type { ProcoreOAuthClient } from '../procore/contracts';
import { isProcoreError, type ProcoreError } from '../procore/errors';
import { HttpError } from '../web/http-error';
import type { ProcoreSignIn } from './procore-strategy';
import { safeReturnTo } from './return-to';
import { endSession, regenerateSession, saveSession, type SessionCookie } from './session-lifecycle';
import type { TokenStore } from './token-store';

export interface AuthRoutesOptions {
  passport: InstanceType<typeof Passport>;
  oauth: ProcoreOAuthClient;
  tokenStore: TokenStore;
  sessionCookie: SessionCookie;
  now?: () => number;
  /** Called after a session is created (metrics). */
  onSignIn?: () => void;
}

const TRY_AGAIN = { retryHref: '/auth/procore', retryLabel: 'Try signing in again' };

/** passport-oauth2 wraps token-endpoint errors; find our ProcoreError inside. */
function procoreErrorIn(error: unknown): ProcoreError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth += 1) {
    if (isProcoreError(current)) return current;
    const wrapper = current as { oauthError?: unknown; cause?: unknown };
    current = wrapper.oauthError ?? wrapper.cause;
  }
  return undefined;
}

function signInFailure(error: unknown): HttpError {
  const procoreError = procoreErrorIn(error);
  if (procoreError?.code === 'invalid_grant') {
    return new HttpError(400, 'That sign-in link has expired', 'Procore sign-in codes work once and only for 10 minutes. Please sign in again.', {
      ...TRY_AGAIN,
      cause: error,
    });
  }
  if (procoreError?.code === 'invalid_client') {
    return new HttpError(502, 'Procore did not accept this app', "Procore rejected this dashboard's client id or secret. Ask whoever runs it to check PROCORE_CLIENT_ID and PROCORE_CLIENT_SECRET.", {
      cause: error,
    });
  }
  if (procoreError?.isTransient) {
    return new HttpError(503, 'Procore is not answering', 'Procore did not answer in time. Please try signing in again in a moment.', {
      ...TRY_AGAIN,
      cause: error,
    });
  }
  return new HttpError(502, 'Sign-in failed', 'Procore gave an answer we could not use. Please try again.', { ...TRY_AGAIN, cause: error });
}

export function createAuthRoutes(options: AuthRoutesOptions): Router {
  const router = Router();
  const now = options.now ?? Date.now;

  // Starting a sign-in: remember where to come back to, then off to Procore with a fresh `state`.
  router.get('/auth/procore', (req: Request, res: Response, next: NextFunction) => {
    const returnTo = safeReturnTo(req.query.next);
    if (returnTo !== '/') req.session.returnTo = returnTo;
    options.passport.authenticate('procore', { session: false })(req, res, next);
  });

  router.get('/auth/callback', (req: Request, res: Response, next: NextFunction) => {
    res.set('Cache-Control', 'no-store');
    const { error, error_description: description } = req.query;
    if (error === 'access_denied') {
      next(new HttpError(403, 'Sign-in cancelled', 'You chose not to let this dashboard use your Procore account. You can sign in whenever you like.', TRY_AGAIN));
      return;
    }
    if (typeof error === 'string') {
      const reason = typeof description === 'string' ? description.slice(0, 200) : error.slice(0, 100);
      next(new HttpError(400, 'Procore could not sign you in', `Procore said: ${reason}`, TRY_AGAIN));
      return;
    }
    if (typeof req.query.code !== 'string' || req.query.code === '') {
      next(new HttpError(400, 'Sign-in link incomplete', 'This address is missing the code Procore adds when you sign in. Please start again.', TRY_AGAIN));
      return;
    }
    options.passport.authenticate('procore', { session: false }, (failure: unknown, signIn: ProcoreSignIn | false) => {
      if (failure) {
        next(signInFailure(failure));
        return;
      }
      if (!signIn) {
        next(
          new HttpError(403, "We couldn't verify this sign-in", 'The sign-in was started in another browser or tab, or took too long. Please start again from here.', TRY_AGAIN),
        );
        return;
      }
      completeSignIn(req, res, signIn).catch(next);
    })(req, res, next);
  });

  async function completeSignIn(req: Request, res: Response, signIn: ProcoreSignIn): Promise<void> {
    const returnTo = safeReturnTo(req.session.returnTo);
    // A new session id at the moment privileges change: a session fixed before sign-in is useless.
    await regenerateSession(req);
    const tokenSetId = options.tokenStore.newId();
    await options.tokenStore.put(tokenSetId, { ...signIn.tokenSet, ownerId: signIn.user.id });
    req.session.auth = {
      tokenSetId,
      user: { id: signIn.user.id, login: signIn.user.login, name: signIn.user.name },
      signedInAt: now(),
    };
    await saveSession(req);
    options.onSignIn?.();
    req.log.info({ userId: signIn.user.id }, 'signed in');
    res.redirect(303, returnTo === '/' ? '/projects' : returnTo);
  }

  router.post('/logout', async (req: Request, res: Response) => {
    const auth = req.session.auth;
    if (auth) {
      const tokens = await options.tokenStore.get(auth.tokenSetId).catch(() => undefined);
      if (tokens) {
        // Revoking the refresh token ends the whole grant at Procore; a failure must not keep the user signed in.
        await options.oauth.revoke(tokens.refreshToken ?? tokens.accessToken).catch((error: unknown) => {
          req.log.warn({ err: error, userId: auth.user.id }, 'token revocation at Procore failed; signing out locally');
        });
      }
      req.log.info({ userId: auth.user.id }, 'signed out');
    }
    await endSession(req, res, options.tokenStore, options.sessionCookie);
    res.redirect(303, '/?signed_out=signed_out');
  });

  return router;
}
