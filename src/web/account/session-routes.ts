import { Router, type RequestHandler } from 'express';
import { isSessionHandle, type Operators } from '../../operators';
import { requestContext } from '../request-context';
import { sessionEnderFor, type SessionEnderDeps } from './session-ender';

export interface SessionRoutesOptions extends SessionEnderDeps {
  requireSignIn: RequestHandler[];
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

  router.post('/account/sessions/end', ...options.requireSignIn, async (req, res) => {
    const handle = (req.body as Record<string, unknown> | undefined)?.session;
    const auth = req.session.auth!;
    const ended = isSessionHandle(handle)
      ? await operators.endSession(requestContext(req), auth.user, handle, req.sessionID, sessionEnderFor(req, options))
      : false;
    res.redirect(303, `/account?sessions_ended=${ended ? 1 : 0}#sessions`);
  });

  router.post('/account/sessions/end-others', ...options.requireSignIn, async (req, res) => {
    const auth = req.session.auth!;
    const ended = await operators.endOtherSessions(requestContext(req), auth.user, req.sessionID, sessionEnderFor(req, options));
    res.redirect(303, `/account?sessions_ended=${ended}#sessions`);
  });

  return router;
}
