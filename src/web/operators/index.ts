import { Router } from 'express';
import type { SignInEvents } from '../sign-in/sign-in-routes';
import { createAdminRoutes, type AdminRoutesOptions } from './admin-routes';
import { createSessionRoutes, type SessionRoutesOptions } from './session-routes';

export { heartbeat, observeOperatorErrors, operatorSignInEvents, recordProcoreErrors, trackActivity } from './hooks';

/** `/admin`, `/admin/audit.csv` and the session list's forms on /account. */
export function createOperatorRoutes(options: AdminRoutesOptions & SessionRoutesOptions): Router {
  const router = Router();
  router.use(createAdminRoutes(options));
  router.use(createSessionRoutes(options));
  return router;
}

/** Both observers hear every sign-in event (e.g. metrics and the audit trail). */
export function bothSignInEvents(first: SignInEvents, second: SignInEvents): SignInEvents {
  return {
    signedIn: (req, user, details) => {
      first.signedIn?.(req, user, details);
      second.signedIn?.(req, user, details);
    },
    signInRefused: (req, reason) => {
      first.signInRefused?.(req, reason);
      second.signInRefused?.(req, reason);
    },
    signedOut: (req, user) => {
      first.signedOut?.(req, user);
      second.signedOut?.(req, user);
    },
  };
}
