import { Router } from 'express';
import type { Operators } from '../../operators';
import type { ProcoreApiClient, ProcoreOAuthClient } from '../../procore/contracts';
import { layoutOf } from '../view-models/layout';
import { accountPage } from './account-page';
import { sessionRows, sessionsNotice } from './session-rows';

export interface AccountPageRoutesOptions {
  api: ProcoreApiClient;
  oauth: ProcoreOAuthClient;
  /** The person's session index ("Your sessions"). */
  operators: Pick<Operators, 'sessions'>;
  now?: () => number;
}

/** `GET /account`: who is signed in and how long the sign-in lasts. Never shows a token. */
export function createAccountPageRoutes(options: AccountPageRoutesOptions): Router {
  const router = Router();
  const now = options.now ?? Date.now;
  router.get('/', async (req, res) => {
    const procore = res.locals.procore;
    const auth = req.session.auth!;
    const ended = req.session.sessionsEnded;
    if (ended !== undefined) delete req.session.sessionsEnded;
    const [me, info, sessions] = await Promise.all([
      procore.call((accessToken) => options.api.me({ accessToken })),
      procore.call((accessToken) => options.oauth.tokenInfo(accessToken)).catch(() => undefined),
      options.operators.sessions.list(auth.user.id),
    ]);
    const expiresAt = info ? now() + info.expires_in_seconds * 1000 : await procore.accessTokenExpiresAt();
    res.render(
      'account',
      accountPage(layoutOf(res.locals.viewer, 'Account', 'account'), {
        me,
        signedInAt: auth.signedInAt,
        accessTokenExpiresAt: expiresAt,
        sessions: sessionRows(sessions, req.sessionID),
        sessionsNotice: sessionsNotice(ended),
      }),
    );
  });
  return router;
}
