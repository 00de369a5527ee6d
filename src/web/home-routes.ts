import { Router } from 'express';
import { safeReturnTo, type SignedOutReason } from '../procore-auth';
import { homePage, layoutOf } from './view-models';
import type { SignOutNoticeReason } from './sign-out-notice';

/** "2 hours", "90 minutes", "1 hour". */
export function durationText(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes % 60 === 0) return minutes === 60 ? '1 hour' : `${minutes / 60} hours`;
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

/** `/?signed_out=…`: why the person is no longer signed in (1: they signed out themselves). */
function signedOutNotices(session: HomeRoutesOptions): Record<SignedOutReason | SignOutNoticeReason | '1', string> {
  return {
    '1': 'You have signed out.',
    grant_revoked: 'Your Procore sign-in is no longer valid (it was revoked or used elsewhere). Please sign in again.',
    refresh_refused: 'Procore refused to renew your sign-in several times in a row. Please sign in again.',
    tokens_missing: 'Your session has ended. Please sign in again.',
    access_denied: 'Procore no longer accepts your sign-in. Please sign in again.',
    session_expired: `You were signed out because a session lasts at most ${durationText(session.absoluteTimeoutMs)}. Please sign in again.`,
    idle: `You were signed out after ${durationText(session.idleTimeoutMs)} without activity. Please sign in again.`,
    other_session: 'You were signed out from another of your sessions. Please sign in again.',
    form_after_sign_out: 'You were signed out (in another tab or window, or from another session).',
  };
}
/** `/?sign_in=cancelled`: the person said no on Procore's page. */
const SIGN_IN_CANCELLED =
  'Sign-in cancelled: you chose not to let this dashboard use your Procore account. You can sign in whenever you like.';
/** `&form=1`: a form was sent while signed out (src/web/sign-out-notice.ts). */
const FORM_NOT_SENT =
  ' The form you sent was not used: sign in again to go back to the page you were on and send it again.';

function noticeFor(query: Record<string, unknown>, notices: Record<string, string>): string | undefined {
  if (query.sign_in === 'cancelled') return SIGN_IN_CANCELLED;
  const reason = query.signed_out;
  if (typeof reason !== 'string' || !Object.hasOwn(notices, reason)) return undefined;
  return `${notices[reason]}${query.form === '1' ? FORM_NOT_SENT : ''}`;
}

export interface HomeRoutesOptions {
  /** SESSION_IDLE_MINUTES and SESSION_MAX_HOURS, named in the notices. */
  idleTimeoutMs: number;
  absoluteTimeoutMs: number;
}

/** `GET /`: the sign-in page, or straight to the projects when already signed in. */
export function createHomeRoutes(options: HomeRoutesOptions): Router {
  const notices = signedOutNotices(options);
  const router = Router();
  router.get('/', (req, res) => {
    const next = safeReturnTo(req.query.next);
    if (req.session.auth) {
      res.redirect(303, next === '/' ? '/projects' : next);
      return;
    }
    res.render(
      'home',
      homePage(layoutOf(res.locals.viewer, 'Sign in'), {
        notice: noticeFor(req.query, notices),
        signInHref: next === '/' ? '/auth/procore' : `/auth/procore?next=${encodeURIComponent(next)}`,
      }),
    );
  });
  return router;
}
