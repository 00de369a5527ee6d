import type { Request } from 'express';
import type { AppMetrics } from '../observability/metrics';
import type { RefreshWatch } from '../observability/refresh-watch';
import type { Operators } from '../operators';
import type { GrantEnded, ProcoreAuthEvents, SignedInUser } from '../procore-auth';
import { operatorSignInEvents } from './admin';

/** A grant ended without being revoked at Procore is worth a warning: it may live on there. */
function warnIfNotRevoked(req: Request, user: SignedInUser, { revocation, error }: GrantEnded): void {
  if (revocation === 'revoke_failed')
    req.log.warn({ err: error, userId: user.id }, 'token revocation at Procore failed; signing out locally');
  if (revocation === 'lock_busy')
    req.log.warn(
      { err: error, userId: user.id },
      'the refresh lock stayed taken; signing out locally without revoking',
    );
}

/** What the app does with sign-in's events: log them, count them, and let the operators record them. */
export function signInObservers(
  metrics: AppMetrics | undefined,
  operators: Operators,
  refreshWatch: RefreshWatch,
): ProcoreAuthEvents {
  const record = operatorSignInEvents(operators);
  return {
    signedIn(req, signedIn) {
      if (signedIn.replaced) warnIfNotRevoked(req, signedIn.replaced.user, signedIn.replaced);
      req.log.info({ userId: signedIn.user.id, replaced: signedIn.replaced !== undefined }, 'signed in');
      metrics?.onSignIn();
      record.signedIn?.(req, signedIn);
    },
    // Only a refusal of this browser's own sign-in is the audit trail's business: anyone can send a
    // browser to /auth/callback with any parameters, 12,000 times if they like.
    signInRefused(req, reason, ownSignIn) {
      if (ownSignIn) record.signInRefused?.(req, reason, ownSignIn);
      else metrics?.onStrayCallback(reason);
    },
    signedOut(req, signedOut) {
      warnIfNotRevoked(req, signedOut.user, signedOut);
      req.log.info({ userId: signedOut.user.id }, 'signed out');
      record.signedOut?.(req, signedOut);
    },
    refresh(outcome, detail) {
      metrics?.onRefreshOutcome(outcome);
      refreshWatch.observe(outcome, detail);
      record.refresh?.(outcome, detail);
    },
    procoreError: record.procoreError,
    procoreCall: metrics?.onProcoreCall,
    sessionEndFailed: (req, error) => req.log.warn({ err: error }, 'could not fully end the session'),
  };
}
