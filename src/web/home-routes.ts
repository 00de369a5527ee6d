import { Router } from 'express';
import { safeReturnTo } from '../auth/return-to';
import { homePage, layoutOf } from './view-models';
import { SIGNED_OUT_NOTICES, type SignedOutReason } from '../auth/signed-out-error';

const NOTICES: Record<string, string> = { ...SIGNED_OUT_NOTICES, signed_out: 'You have signed out.' };

/** `GET /`: the sign-in page, or straight to the projects when already signed in. */
export function createHomeRoutes(): Router {
  const router = Router();
  router.get('/', (req, res) => {
    const next = safeReturnTo(req.query.next);
    if (req.session.auth) {
      res.redirect(303, next === '/' ? '/projects' : next);
      return;
    }
    const reason = typeof req.query.signed_out === 'string' ? req.query.signed_out : undefined;
    res.render(
      'home',
      homePage(layoutOf(res.locals.viewer, 'Sign in'), {
        notice: reason && reason in NOTICES ? NOTICES[reason as SignedOutReason] : undefined,
        signInHref: next === '/' ? '/auth/procore' : `/auth/procore?next=${encodeURIComponent(next)}`,
      }),
    );
  });
  return router;
}
