import { sessionHandle, type ListedSession } from '../../operators';
import { timeView, type TimeView } from '../view-models/local-time';

/** One row of "Your sessions" on /account. No session id or token: the handle only names the row. */
export interface SessionRow {
  handle: string;
  current: boolean;
  signedInAt: TimeView;
  lastActiveAt: TimeView;
  browser: string;
  ip: string;
}

/** The current session first, then the most recently active. */
export function sessionRows(sessions: readonly ListedSession[], currentSid: string): SessionRow[] {
  const current = sessionHandle(currentSid);
  return sessions
    .slice()
    .sort((a, b) => Number(b.handle === current) - Number(a.handle === current) || b.lastActiveAt - a.lastActiveAt)
    .map((session) => ({
      handle: session.handle,
      current: session.handle === current,
      signedInAt: timeView(session.signedInAt),
      lastActiveAt: timeView(session.lastActiveAt),
      browser: session.browser,
      ip: session.lastIp || session.ip || 'unknown',
    }));
}

/** What /account says once after ending sessions: how many this session ended (0: the one named had already ended). */
export function sessionsNotice(ended: number | undefined): string | undefined {
  if (ended === undefined) return undefined;
  if (ended === 0) return 'That session had already ended.';
  return ended === 1 ? 'Signed out 1 other session.' : `Signed out ${ended} other sessions.`;
}
