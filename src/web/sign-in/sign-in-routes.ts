import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Passport } from 'passport';
import { LockBusyError, type Lock, type LockTiming } from '../../auth/lock';
import { safeReturnTo } from '../../auth/return-to';
import { SignInError, type SignInErrorCode } from '../../auth/sign-in-error';
import { signOut, type SignOutResult } from '../../auth/sign-out';
import type { TokenStore } from '../../auth/token-store';
import type { ProcoreOAuthClient } from '../../procore/contracts';
import type { SessionAuth, SignedInUser } from '../../session/session-data';
import type { PendingSignIns } from './pending-sign-ins';
import { signInErrorFor, type ProcoreSignIn, type ProcoreSignInInfo } from './procore-strategy';
import { endSession, regenerateSession, saveSession, type SessionCookie } from './session-lifecycle';

/** Why a sign-in ended without a session: the error codes, or the person said no at Procore. */
export type SignInRefusal = SignInErrorCode | 'cancelled';

/** What happened on the sign-in routes, for whoever wants to know (metrics, an audit trail). */
export interface SignInEvents {
  /** A session was created for `user`; `replaced` when it replaced a signed-in session (another tab). */
  signedIn?(req: Request, user: SignedInUser, details: { replaced: boolean }): void;
  /** A callback ended without a session. */
  signInRefused?(req: Request, reason: SignInRefusal): void;
  /** A person signed out; `revocation` says how revoking the grant at Procore went. */
  signedOut?(req: Request, user: SignedInUser, details?: { revocation: Revocation }): void;
}

/** How ending a grant went: auth/sign-out's outcome, or the refresh lock stayed taken. */
export type Revocation = SignOutResult['outcome'] | 'lock_busy';

export interface SignInRoutesOptions {
  passport: InstanceType<typeof Passport>;
  /** The state store the `procore` strategy uses: its pending sign-ins survive the session regeneration. */
  pendingSignIns: PendingSignIns;
  /** Procore's revocation endpoint, for sign-out. */
  oauth: Pick<ProcoreOAuthClient, 'revoke'>;
  tokenStore: TokenStore;
  /** The refresh lock and its timing: sign-out takes it, so no refresh can write tokens after the delete. */
  lock: Lock;
  lockTiming: LockTiming;
  sessionCookie: SessionCookie;
  now?: () => number;
  events?: SignInEvents;
}

/** Where a finished sign-in goes when it was not started from a particular page. */
const DASHBOARD = '/projects';

/**
 * The sign-in routes:
 * - `GET /auth/procore`: a new pending sign-in (remembering `next`), then off to Procore;
 * - `GET /auth/callback`: Procore sends the person back; passport-oauth2 checks the `state` and
 *   exchanges the code; we make a new session holding the user (tokens go to the token store);
 * - `POST /logout`: the grant is signed out (auth/sign-out: lock, revoke, delete), the session deleted.
 * Failures become `SignInError`s; the error handler shows their pages.
 */
export function createSignInRoutes(options: SignInRoutesOptions): Router {
  const router = Router();
  const now = options.now ?? Date.now;
  const events = options.events ?? {};

  const refuse = (req: Request, next: NextFunction, error: SignInError): void => {
    events.signInRefused?.(req, error.code);
    next(error);
  };

  // The state store remembers `?next=` with the new pending sign-in.
  router.get('/auth/procore', options.passport.authenticate('procore', { session: false }) as RequestHandler);

  router.get('/auth/callback', (req: Request, res: Response, next: NextFunction) => {
    res.set('Cache-Control', 'no-store');
    const { error, error_description: description } = req.query;
    if (error === 'access_denied') {
      events.signInRefused?.(req, 'cancelled');
      res.redirect(303, '/?sign_in=cancelled');
      return;
    }
    if (typeof error === 'string') {
      const procoreSaid = typeof description === 'string' ? description.slice(0, 200) : error.slice(0, 100);
      refuse(req, next, new SignInError('refused_by_procore', { procoreSaid }));
      return;
    }
    if (typeof req.query.code !== 'string' || req.query.code === '') {
      refuse(req, next, new SignInError('incomplete'));
      return;
    }
    const authenticate = options.passport.authenticate('procore', { session: false }, (failure: unknown, signIn: ProcoreSignIn | false, info?: ProcoreSignInInfo) => {
      if (failure) {
        refuse(req, next, signInErrorFor(failure));
        return;
      }
      if (!signIn) {
        // A callback opened again (reload, history) after it signed the person in: nothing to do.
        if (req.session.auth) {
          res.redirect(303, DASHBOARD);
          return;
        }
        refuse(req, next, new SignInError('unverified'));
        return;
      }
      completeSignIn(req, res, signIn, info?.state?.returnTo ?? '/').catch(next);
    }) as RequestHandler;
    void authenticate(req, res, next);
  });

  async function completeSignIn(req: Request, res: Response, signIn: ProcoreSignIn, returnTo: string): Promise<void> {
    const previous = req.session.auth;
    // Other tabs' sign-ins still under way: they must survive the new session id.
    const pendingSignIns = options.pendingSignIns.live(req);
    // A new session id at the moment privileges change: a session fixed before sign-in is useless.
    await regenerateSession(req);
    const tokenSetId = options.tokenStore.newId();
    await options.tokenStore.put(tokenSetId, { ...signIn.tokenSet, ownerId: signIn.user.id });
    const user: SignedInUser = { id: signIn.user.id, login: signIn.user.login, name: signIn.user.name };
    req.session.auth = { tokenSetId, user, signedInAt: now() };
    if (pendingSignIns.length > 0) req.session.pendingSignIns = pendingSignIns;
    await saveSession(req);
    // Another tab signed in first: its grant is replaced by this one.
    if (previous) await endGrant(req, previous);
    events.signedIn?.(req, user, { replaced: previous !== undefined });
    req.log.info({ userId: user.id, replaced: previous !== undefined }, 'signed in');
    const target = safeReturnTo(returnTo);
    res.redirect(303, target === '/' ? DASHBOARD : target);
  }

  /**
   * Signs a grant out (auth/sign-out: under the refresh lock, revoke at Procore, delete the tokens).
   * A failed revocation or a lock that stayed taken is logged: the person is signed out here anyway
   * (the session and its token set are deleted by `endSession`).
   */
  async function endGrant(req: Request, auth: SessionAuth): Promise<Revocation> {
    const { tokenStore: store, lock, lockTiming, oauth } = options;
    try {
      const result = await signOut({ tokenSetId: auth.tokenSetId, store, lock, lockTiming, oauth });
      if (result.outcome === 'revoke_failed') req.log.warn({ err: result.error, userId: auth.user.id }, 'token revocation at Procore failed; signing out locally');
      return result.outcome;
    } catch (error) {
      if (!(error instanceof LockBusyError)) throw error;
      req.log.warn({ err: error, userId: auth.user.id }, 'the refresh lock stayed taken; signing out locally without revoking');
      await store.delete(auth.tokenSetId);
      return 'lock_busy';
    }
  }

  router.post('/logout', async (req: Request, res: Response) => {
    const auth = req.session.auth;
    if (auth) {
      const revocation = await endGrant(req, auth);
      events.signedOut?.(req, auth.user, { revocation });
      req.log.info({ userId: auth.user.id }, 'signed out');
    }
    await endSession(req, res, options.tokenStore, options.sessionCookie);
    res.redirect(303, '/?signed_out=1');
  });

  return router;
}
