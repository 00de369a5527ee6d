import type { Request, RequestHandler, Response } from 'express';
import { safeReturnTo } from '../procore-auth';
import { sessionHandle } from '../operators';

/**
 * Why a browser that was signed in no longer is, said on the sign-in page (`/?signed_out=…`):
 * - `idle`: its session lapsed after SESSION_IDLE_MINUTES without a request;
 * - `other_session`: it was signed out from another of the person's sessions (/account);
 * - `session_expired`: it reached SESSION_MAX_HOURS;
 * - `form_after_sign_out`: a form of a signed-in page was sent after signing out (in another tab).
 */
export type SignOutNoticeReason = 'idle' | 'other_session' | 'session_expired' | 'form_after_sign_out';

export interface SignOutNoticeOptions {
  /** The session cookie's name and flags: the hint cookie is named after it and set alike. */
  sessionCookie: { name: string; secure: boolean };
  idleTimeoutMs: number;
  absoluteTimeoutMs: number;
  /** Whether a session (by handle) was ended from another of its person's sessions. */
  wasEndedElsewhere(handle: string): Promise<boolean>;
  now?: () => number;
}

/** `<session handle>.<signed in at, epoch ms>`: no secret, only what the notice needs. */
const HINT = /^([A-Za-z0-9_-]{22})\.(\d{1,15})$/;

function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

/** Where the person was when they sent a form: the page it came from (same origin only), else the list. */
function formPage(req: Request): string {
  const referrer = req.get('referer');
  if (!referrer) return '/projects';
  try {
    const url = new URL(referrer);
    if (url.host !== req.get('host')) return '/projects';
    const back = safeReturnTo(`${url.pathname}${url.search}`);
    return back === '/' ? '/projects' : back;
  } catch {
    return '/projects';
  }
}

/**
 * Remembers in a small cookie (HttpOnly, as long as a session can last) that this browser was
 * signed in, so that when its session is gone the sign-in page can say why instead of nothing; and
 * answers a form sent without a session (it carries a CSRF field, so a signed-in page made it) with
 * "you were signed out, sign in again" and the way back, instead of the CSRF refusal. A sign-out
 * the person asks for (`POST /logout`) clears the cookie: nothing to explain afterwards.
 * Mounted after the session middleware and the body parser, before the CSRF check.
 */
export function signOutNotice(options: SignOutNoticeOptions): RequestHandler {
  const now = options.now ?? Date.now;
  const name = `${options.sessionCookie.name}.was`;
  const flags = { httpOnly: true, sameSite: 'lax' as const, secure: options.sessionCookie.secure, path: '/' };
  const forget = (res: Response): void => {
    res.clearCookie(name, flags);
  };

  const reasonFor = async (hint: string | undefined): Promise<SignOutNoticeReason | undefined> => {
    const match = hint ? HINT.exec(hint) : null;
    if (!match) return undefined;
    if (await options.wasEndedElsewhere(match[1]!)) return 'other_session';
    return now() - Number(match[2]) >= options.absoluteTimeoutMs ? 'session_expired' : 'idle';
  };

  return (req, res, next) => {
    const hint = readCookie(req, name);
    const auth = req.session?.auth;
    if (auth) {
      if (req.method === 'POST' && req.path === '/logout') forget(res);
      // Compared without hashing: the handle is worked out only when the cookie is (re)written.
      else if (!hint?.endsWith(`.${auth.signedInAt}`)) {
        res.cookie(name, `${sessionHandle(req.sessionID)}.${auth.signedInAt}`, {
          ...flags,
          maxAge: options.absoluteTimeoutMs + options.idleTimeoutMs,
        });
      }
      next();
      return;
    }
    const sentForm =
      req.method === 'POST' && typeof (req.body as Record<string, unknown> | undefined)?._csrf === 'string';
    // The sign-in machinery, and a page that already says why (the error handler's own sign-outs).
    if ((!hint && !sentForm) || req.path.startsWith('/auth/') || req.query.signed_out !== undefined) {
      if (hint) forget(res);
      next();
      return;
    }
    if (sentForm && req.path === '/logout') {
      // Already signed out: what they asked for is done.
      if (hint) forget(res);
      res.redirect(303, '/?signed_out=1');
      return;
    }
    reasonFor(hint)
      .then((reason) => {
        if (hint) forget(res);
        const back = sentForm
          ? formPage(req)
          : req.method === 'GET'
            ? safeReturnTo(req.path === '/' ? req.query.next : req.originalUrl)
            : '/';
        const why = reason ?? (sentForm ? 'form_after_sign_out' : undefined);
        if (!why) {
          next();
          return;
        }
        res.redirect(
          303,
          `/?signed_out=${why}${sentForm ? '&form=1' : ''}${back === '/' ? '' : `&next=${encodeURIComponent(back)}`}`,
        );
      })
      .catch(next);
  };
}
