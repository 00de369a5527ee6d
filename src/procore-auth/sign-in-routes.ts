import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Passport } from 'passport';
import { endBrowserSession, regenerateSession, saveSession, type SessionCookie } from './browser-session';
import { SignInError, type SignInErrorCode } from './errors';
import { LockBusyError } from './lock';
import type { PendingSignIns } from './pending-sign-ins';
import { signInErrorFor, type ProcoreSignIn, type ProcoreSignInInfo } from './procore-strategy';
import { safeReturnTo } from './return-to';
import type { SessionAuth, SignedInUser } from './session-data';
import type { SignOutResult } from './sign-out';
import type { TokenStore } from './token-store';

/** Why a sign-in ended without a session: the error codes, or the person said no at Procore. */
export type SignInRefusal = SignInErrorCode | 'cancelled';

/** How ending a grant went: sign-out's outcome, or the refresh lock stayed taken (deleted here, not revoked). */
export type Revocation = SignOutResult['outcome'] | 'lock_busy';

/** A grant that was ended, and why revoking it at Procore did not work when it did not. */
export interface GrantEnded {
  revocation: Revocation;
  error?: unknown;
}

/** A new signed-in session. */
export interface SignedIn {
  user: SignedInUser;
  sessionId: string; // express-session's id of the new session.
  tokenSetId: string;
  signedInAt: number;
  accessTokenExpiresAt: number; // When the new access token expires (epoch ms).
  replaced?: { sessionId: string; user: SignedInUser } & GrantEnded;
}

/** What happened on the sign-in routes, for whoever wants to know (logs, metrics, an audit trail). */
export interface SignInEvents {
  signedIn?: (req: Request, signedIn: SignedIn) => void;
  /** A callback ended without a session; `ownSignIn`: it answered one of this browser's pending sign-ins (else it may be anyone's link). */
  signInRefused?: (req: Request, reason: SignInRefusal, ownSignIn: boolean) => void;
  signedOut?: (req: Request, signedOut: { user: SignedInUser; sessionId: string } & GrantEnded) => void;
}

export interface SignInRoutesOptions {
  passport: InstanceType<typeof Passport>;
  /** The state store the `procore` strategy uses: its pending sign-ins survive the session regeneration. */
  pendingSignIns: PendingSignIns;
  tokenStore: TokenStore;
  signOut: (tokenSetId: string) => Promise<SignOutResult>; // throws LockBusyError
  sessionCookie: SessionCookie | undefined;
  paths: { home: string; afterSignIn: string };
  now: () => number;
  events: SignInEvents;
}

/** `GET /auth/procore`, `GET /auth/callback` and `POST /logout`; failures reach the app as `SignInError`s. */
export function createSignInRoutes(options: SignInRoutesOptions): Router {
  const router = Router();
  const { now, events, paths } = options;

  const refuse = (req: Request, next: NextFunction, error: SignInError, ownSignIn = false): void => {
    events.signInRefused?.(req, error.code, ownSignIn);
    next(error);
  };

  // The state store remembers `?next=` with the new pending sign-in.
  router.get('/auth/procore', options.passport.authenticate('procore', { session: false }) as RequestHandler);

  router.get('/auth/callback', (req: Request, res: Response, next: NextFunction) => {
    res.set('Cache-Control', 'no-store');
    const { error, error_description: description } = req.query;
    if (typeof error === 'string') {
      const ownSignIn = options.pendingSignIns.take(req, req.query.state) !== undefined; // else it may be anyone's link: not Procore's word
      if (ownSignIn && error === 'access_denied') {
        events.signInRefused?.(req, 'cancelled', true);
        res.redirect(303, `${paths.home}?sign_in=cancelled`);
        return;
      }
      const procoreSaid = ownSignIn && typeof description === 'string' ? description.slice(0, 200) : undefined;
      refuse(
        req,
        next,
        new SignInError('refused_by_procore', { procoreSaid, oauthError: error.slice(0, 40) }),
        ownSignIn,
      );
      return;
    }
    if (typeof req.query.code !== 'string' || req.query.code === '') {
      refuse(req, next, new SignInError('incomplete'));
      return;
    }
    const authenticate = options.passport.authenticate(
      'procore',
      { session: false },
      (failure: unknown, signIn: ProcoreSignIn | false, info?: ProcoreSignInInfo) => {
        if (failure) {
          refuse(req, next, signInErrorFor(failure), true);
          return;
        }
        if (!signIn) {
          // A callback opened again (reload, history) after it signed the person in: nothing to do.
          if (req.session.auth) {
            res.redirect(303, paths.afterSignIn);
            return;
          }
          refuse(req, next, new SignInError('unverified'));
          return;
        }
        completeSignIn(req, res, signIn, info?.state?.returnTo ?? '/').catch(next);
      },
    ) as RequestHandler;
    void authenticate(req, res, next);
  });

  async function completeSignIn(req: Request, res: Response, signIn: ProcoreSignIn, returnTo: string): Promise<void> {
    const previous = req.session.auth;
    const previousSessionId = req.sessionID;
    // Other tabs' sign-ins still under way: they must survive the new session id.
    const pendingSignIns = options.pendingSignIns.live(req);
    // A new session id at the moment privileges change: a session fixed before sign-in is useless.
    await regenerateSession(req);
    const tokenSetId = options.tokenStore.newId();
    await options.tokenStore.put(tokenSetId, { ...signIn.tokenSet, ownerId: signIn.user.id });
    const user: SignedInUser = { id: signIn.user.id, login: signIn.user.login, name: signIn.user.name };
    const signedInAt = now();
    req.session.auth = { tokenSetId, user, signedInAt };
    if (pendingSignIns.length > 0) req.session.pendingSignIns = pendingSignIns;
    await saveSession(req);
    // Another tab signed in first: its grant is replaced by this one.
    const replaced = previous && { sessionId: previousSessionId, user: previous.user, ...(await endGrant(previous)) };
    events.signedIn?.(req, {
      user,
      sessionId: req.sessionID,
      tokenSetId,
      signedInAt,
      accessTokenExpiresAt: signIn.tokenSet.expiresAt,
      replaced,
    });
    const target = safeReturnTo(returnTo);
    res.redirect(303, target === '/' ? paths.afterSignIn : target);
  }

  /** Signs a grant out; a failed revocation or a lock that stayed taken is reported, the person signed out anyway. */
  async function endGrant(auth: SessionAuth): Promise<GrantEnded> {
    try {
      const result = await options.signOut(auth.tokenSetId);
      return result.outcome === 'revoke_failed'
        ? { revocation: result.outcome, error: result.error }
        : { revocation: result.outcome };
    } catch (error) {
      if (!(error instanceof LockBusyError)) throw error;
      await options.tokenStore.delete(auth.tokenSetId);
      return { revocation: 'lock_busy', error };
    }
  }

  router.post('/logout', async (req: Request, res: Response) => {
    const auth = req.session.auth;
    if (auth) {
      const ended = await endGrant(auth);
      events.signedOut?.(req, { user: auth.user, sessionId: req.sessionID, ...ended });
    }
    await endBrowserSession(req, res, options.tokenStore, options.sessionCookie);
    res.redirect(303, `${paths.home}?signed_out=1`);
  });

  return router;
}
