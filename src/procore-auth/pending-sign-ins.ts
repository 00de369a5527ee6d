import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { safeReturnTo } from './return-to';
import type { PendingSignIn } from './session-data';

/** What a sign-in carries from its start to its callback. */
export interface SignInContext {
  returnTo: string;
}

/** Procore's authorization codes live 10 minutes; a sign-in started longer ago cannot finish. */
export const SIGN_IN_LIFETIME_MS = 10 * 60_000;
/** Sign-ins one browser may have under way at once (tabs); the oldest is forgotten first. */
export const MAX_PENDING_SIGN_INS = 5;

export interface PendingSignInsOptions {
  now?: () => number;
}

type StoreCallback = (error: Error | null, state?: string) => void;
type VerifyCallback = (error: Error | null, ok: boolean, info?: SignInContext | { message: string }) => void;

const REFUSED = {
  message: 'This sign-in was not started in this browser, was already finished, or is older than 10 minutes.',
};

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * passport-oauth2's state store keeping a few pending sign-ins per browser session, so signing in from two tabs works
 * in any order; a state is accepted once, within SIGN_IN_LIFETIME_MS. passport-oauth2 picks the three- and
 * four-parameter forms by their parameter count; @types/passport-oauth2 declares shorter ones, hence the optionals.
 */
export class PendingSignIns {
  private readonly now: () => number;

  constructor(options: PendingSignInsOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  store(req: Request, _meta?: unknown, callback?: StoreCallback): void {
    const state = randomBytes(24).toString('base64url');
    const pending = [...this.live(req), { state, startedAt: this.now(), returnTo: safeReturnTo(req.query.next) }];
    req.session.pendingSignIns = pending.slice(-MAX_PENDING_SIGN_INS);
    // A session holding only pending sign-ins lives as long as they do (not the idle timeout), and the
    // browser goes to Procore only once the state is saved: one that could not be kept could never come back.
    if (!req.session.auth) req.session.cookie.maxAge = SIGN_IN_LIFETIME_MS;
    req.session.save((error: unknown) => callback?.(error instanceof Error ? error : null, state));
  }

  verify(req: Request, providedState: string, _meta?: unknown, callback?: VerifyCallback): void {
    const context = this.take(req, providedState);
    callback?.(null, context !== undefined, context ?? REFUSED);
  }

  /** The pending sign-in `providedState` answers, used up; undefined when it answers none of this browser's. */
  take(req: Request, providedState: unknown): SignInContext | undefined {
    const live = this.live(req);
    const match =
      typeof providedState === 'string' ? live.find((pending) => sameSecret(pending.state, providedState)) : undefined;
    const rest = live.filter((pending) => pending !== match);
    if (rest.length > 0) req.session.pendingSignIns = rest;
    else delete req.session.pendingSignIns;
    return match && { returnTo: match.returnTo };
  }

  /** The pending sign-ins still usable; call before regenerating the session to carry them over. */
  live(req: Request): PendingSignIn[] {
    const oldest = this.now() - SIGN_IN_LIFETIME_MS;
    return (req.session.pendingSignIns ?? []).filter((pending) => pending.startedAt > oldest);
  }
}
