import { Router } from 'express';
import { isSessionHandle, type Operators } from '../../operators';
import { requestContext } from '../request-context';
import { sessionEnderFor, type SessionEnderDeps } from './session-ender';

declare module 'express-session' {
  interface SessionData {
    /**
     * How many sessions the last "Sign out" on /account ended, shown there once. Kept in the
     * session, not in the address: a link could say anything.
     */
    sessionsEnded: number;
  }
}

export interface SessionRoutesOptions extends SessionEnderDeps {
  operators: Operators;
}

/**
 * "Your sessions" on /account: `POST /account/sessions/end` ends one other session (field
 * `session`, a handle from the list), `POST /account/sessions/end-others` every other one. Both
 * carry the CSRF token like every form; the current session is never ended here (Sign out does that).
 */
export function createSessionRoutes(options: SessionRoutesOptions): Router {
  const router = Router();
  const { operators } = options;

  router.post('/sessions/end', async (req, res) => {
    const handle = (req.body as Record<string, unknown> | undefined)?.session;
    const auth = req.session.auth!;
    const ended = isSessionHandle(handle)
      ? await operators.endOneOtherSession(
          requestContext(req),
          auth.user,
          handle,
          req.sessionID,
          sessionEnderFor(req, options),
        )
      : false;
    req.session.sessionsEnded = ended ? 1 : 0;
    res.redirect(303, '/account#sessions');
  });

  router.post('/sessions/end-others', async (req, res) => {
    const auth = req.session.auth!;
    const ended = await operators.endOtherSessions(
      requestContext(req),
      auth.user,
      req.sessionID,
      sessionEnderFor(req, options),
    );
    req.session.sessionsEnded = ended;
    res.redirect(303, '/account#sessions');
  });

  return router;
}
