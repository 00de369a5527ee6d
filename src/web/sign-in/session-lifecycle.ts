import type { Request, Response } from 'express';
import type { TokenStore } from '../../auth/token-store';

export function regenerateSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((error: unknown) => (error ? reject(error) : resolve())));
}

export function saveSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.save((error: unknown) => (error ? reject(error) : resolve())));
}

/** Deletes the token set and the session from Redis and clears the cookie. */
export interface SessionCookie {
  name: string;
  secure: boolean;
}

export async function endSession(req: Request, res: Response, tokenStore: TokenStore, cookie: SessionCookie): Promise<void> {
  const tokenSetId = req.session?.auth?.tokenSetId;
  if (tokenSetId) await tokenStore.delete(tokenSetId);
  if (req.session) {
    await new Promise<void>((resolve, reject) => req.session.destroy((error: unknown) => (error ? reject(error) : resolve())));
  }
  res.clearCookie(cookie.name, { path: '/', httpOnly: true, sameSite: 'lax', secure: cookie.secure });
}
