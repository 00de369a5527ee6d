import { sessionHandle, type ListedSession } from '../../operators';

/** One row of "Your sessions" on /account. No session id or token: the handle only names the row. */
export interface SessionRow {
  handle: string;
  current: boolean;
  signedInAt: Date;
  lastActiveAt: Date;
  browser: string;
  ip: string;
}

/** The current session first, then the most recently active. */
export function sessionRows(sessions: readonly ListedSession[], currentSid: string): SessionRow[] {
  const current = sessionHandle(currentSid);
  return sessions
    .map((session) => ({
      handle: session.handle,
      current: session.handle === current,
      signedInAt: new Date(session.signedInAt),
      lastActiveAt: new Date(session.lastActiveAt),
      browser: session.browser,
      ip: session.lastIp || session.ip || 'unknown',
    }))
    .sort((a, b) => Number(b.current) - Number(a.current) || b.lastActiveAt.getTime() - a.lastActiveAt.getTime());
}

/** What the redirect after ending sessions says (`?sessions_ended=N`). */
export function sessionsNotice(ended: unknown): string | undefined {
  if (typeof ended !== 'string' || !/^\d{1,4}$/.test(ended)) return undefined;
  const count = Number(ended);
  if (count === 0) return 'That session had already ended.';
  return count === 1 ? 'Signed out 1 other session.' : `Signed out ${count} other sessions.`;
}
