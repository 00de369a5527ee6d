import { promisify } from 'node:util';
import type { Request, Response } from 'express';
import type { TokenStore } from '../../auth/token-store';

/** A new session id for this request (its data is dropped: carry over what must survive). */
export function regenerateSession(req: Request): Promise<void> {
  return promisify(req.session.regenerate.bind(req.session))();
}

export function saveSession(req: Request): Promise<void> {
  return promisify(req.session.save.bind(req.session))();
}

/** The session cookie's name and flags, to clear it exactly as it was set. */
export interface SessionCookie {
  name: string;
  secure: boolean;
}

/** Deletes the token set and the session from Redis and clears the cookie. */
export async function endSession(req: Request, res: Response, tokenStore: TokenStore, cookie: SessionCookie): Promise<void> {
  const tokenSetId = req.session?.auth?.tokenSetId;
  if (tokenSetId) await tokenStore.delete(tokenSetId);
  if (req.session) await promisify(req.session.destroy.bind(req.session))();
  res.clearCookie(cookie.name, { path: '/', httpOnly: true, sameSite: 'lax', secure: cookie.secure });
}
