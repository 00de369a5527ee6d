import { promisify } from 'node:util';
import type { Request, Response } from 'express';
import type { TokenStore } from './token-store';

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

/** Deletes this browser's token set and session and clears its cookie (default `connect.sid`). */
export async function endBrowserSession(
  req: Request,
  res: Response,
  tokenStore: TokenStore,
  cookie?: SessionCookie,
): Promise<void> {
  const tokenSetId = req.session?.auth?.tokenSetId;
  const secure = cookie?.secure ?? req.session?.cookie.secure === true;
  if (tokenSetId) await tokenStore.delete(tokenSetId);
  if (req.session) await promisify(req.session.destroy.bind(req.session))();
  res.clearCookie(cookie?.name ?? 'connect.sid', { path: '/', httpOnly: true, sameSite: 'lax', secure });
}
