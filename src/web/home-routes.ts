import { Router } from 'express';
import { safeReturnTo } from '../auth/return-to';
import { homePage, layoutOf } from './view-models';
import type { SignedOutReason } from '../auth/signed-out-error';

/** `/?signed_out=…`: why the person is no longer signed in (1: they signed out themselves). */
const SIGNED_OUT_NOTICES: Record<SignedOutReason | '1', string> = {
  '1': 'You have signed out.',
  grant_revoked: 'Your Procore sign-in is no longer valid (it was revoked or used elsewhere). Please sign in again.',
  tokens_missing: 'Your session has ended. Please sign in again.',
  access_denied: 'Procore no longer accepts your sign-in. Please sign in again.',
  session_expired: 'Your session has expired. Please sign in again.',
};
/** `/?sign_in=cancelled`: the person said no on Procore's page. */
const SIGN_IN_CANCELLED = 'Sign-in cancelled: you chose not to let this dashboard use your Procore account. You can sign in whenever you like.';

function noticeFor(query: Record<string, unknown>): string | undefined {
  if (query.sign_in === 'cancelled') return SIGN_IN_CANCELLED;
  const reason = query.signed_out;
  return typeof reason === 'string' && Object.hasOwn(SIGNED_OUT_NOTICES, reason) ? SIGNED_OUT_NOTICES[reason as keyof typeof SIGNED_OUT_NOTICES] : undefined;
}

/** `GET /`: the sign-in page, or straight to the projects when already signed in. */
export function createHomeRoutes(): Router {
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
        notice: noticeFor(req.query),
        signInHref: next === '/' ? '/auth/procore' : `/auth/procore?next=${encodeURIComponent(next)}`,
      }),
    );
  });
  return router;
}
