import { Router, type RequestHandler } from 'express';
import type { ProcoreApiClient, ProcoreOAuthClient } from '../procore/contracts';
import { accountPage, layoutOf } from './view-models';

export interface AccountRoutesOptions {
  requireSignIn: RequestHandler[];
  api: ProcoreApiClient;
  oauth: ProcoreOAuthClient;
  now?: () => number;
}

/** `GET /account`: who is signed in and how long the sign-in lasts. Never shows a token. */
export function createAccountRoutes(options: AccountRoutesOptions): Router {
  const router = Router();
  const now = options.now ?? Date.now;
  router.get('/account', ...options.requireSignIn, async (req, res) => {
    const procore = res.locals.procore;
    const [me, info] = await Promise.all([
      procore.call((accessToken) => options.api.me({ accessToken })),
      procore.call((accessToken) => options.oauth.tokenInfo(accessToken)).catch(() => undefined),
    ]);
    const expiresAt = info ? now() + info.expires_in_seconds * 1000 : await procore.accessTokenExpiresAt();
    res.render('account', accountPage(layoutOf(res.locals.viewer, 'Account', 'account'), { me, signedInAt: req.session.auth!.signedInAt, accessTokenExpiresAt: expiresAt }));
  });
  return router;
}
