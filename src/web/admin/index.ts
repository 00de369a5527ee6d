import type { SignInEvents } from '../sign-in/sign-in-routes';

export { createAdminRoutes } from './routes';

export { heartbeat, observeOperatorErrors, operatorSignInEvents, recordProcoreErrors, reportRateLimits, trackActivity } from './hooks';

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
