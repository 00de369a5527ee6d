import type { CredentialsRefusal } from '../../observability/refresh-watch';
import type { AuditPage, PersonHealth, RateLimitSeen } from '../../operators';
import type { LayoutView } from '../view-models/layout';
import { localsOf } from '../view-models/locals';
import { timeView, type TimeView } from '../view-models/local-time';
import { formatCount } from '../view-models/number-format';
import { AUDIT_COLUMNS, auditCells, utcText } from './audit-rows';

export interface PersonRow {
  name: string;
  login: string;
  userId: number;
  sessions: string;
  /** Undefined: not known ("—"). Moments are written as on every page (local-time.ts), with seconds. */
  accessTokenExpires: TimeView | undefined;
  lastRefresh: TimeView | undefined;
  refreshes: string;
  refreshFailures: string;
  lockWaits: string;
  /** "401 not accepted" and when; undefined: none. */
  lastError: { text: string; at: TimeView } | undefined;
  /** "3,412 of 3,600 left", when the window resets and when it was seen; undefined before any Procore call. */
  rateLimit: { text: string; resetsAt: TimeView; seenAt: TimeView } | undefined;
}

/** An audit event on the page: its time as on every page, the other columns as in the CSV. */
export interface AuditRow {
  at: TimeView;
  cells: string[];
}

export interface AdminView {
  layout: LayoutView;
  activeSessions: string;
  instances: string;
  /** Procore refuses this app's credentials on refreshes: what to do, since when. */
  credentialsAlert: string | undefined;
  people: PersonRow[];
  auditColumns: readonly string[];
  auditRows: AuditRow[];
  /** Links of the audit list's paging: newest page, next older page. */
  newestHref: string | undefined;
  olderHref: string | undefined;
  csvHref: string;
}

export const ADMIN_LOCALS = localsOf<AdminView>({
  layout: true,
  activeSessions: true,
  instances: true,
  credentialsAlert: true,
  people: true,
  auditColumns: true,
  auditRows: true,
  newestHref: true,
  olderHref: true,
  csvHref: true,
});

const moment = (epochMs: number | undefined): TimeView | undefined =>
  epochMs === undefined ? undefined : timeView(epochMs, { seconds: true });

const STATUS_WORDS: Record<number, string> = { 401: 'not accepted', 403: 'no access', 429: 'rate limited' };

export function personRow(person: PersonHealth): PersonRow {
  const error = person.lastError;
  return {
    name: person.name,
    login: person.login,
    userId: person.userId,
    sessions: formatCount(person.sessions),
    accessTokenExpires: moment(person.accessTokenExpiresAt),
    lastRefresh: moment(person.lastRefreshAt),
    refreshes: formatCount(person.refreshes),
    refreshFailures: formatCount(person.refreshFailures),
    lockWaits: formatCount(person.lockWaits),
    lastError: error
      ? {
          text: `${error.status} ${STATUS_WORDS[error.status] ?? 'Procore error'}`,
          at: timeView(error.at, { seconds: true }),
        }
      : undefined,
    rateLimit: rateLimitSeen(person.rateLimit),
  };
}

/** One person's own window: Procore limits each token on its own. */
export function rateLimitSeen(seen: RateLimitSeen | undefined): PersonRow['rateLimit'] {
  if (!seen) return undefined;
  return {
    text: `${formatCount(seen.remaining)} of ${formatCount(seen.limit)} left`,
    resetsAt: timeView(seen.resetAt, { seconds: true }),
    seenAt: timeView(seen.seenAt, { seconds: true }),
  };
}

export function adminPage(
  layout: LayoutView,
  view: {
    people: readonly PersonHealth[];
    instances: number;
    audit: AuditPage;
    paged: boolean;
    credentialsRefused?: CredentialsRefusal;
  },
): AdminView {
  const refused = view.credentialsRefused;
  return {
    layout,
    activeSessions: formatCount(view.people.reduce((sum, person) => sum + person.sessions, 0)),
    instances: formatCount(view.instances),
    credentialsAlert: refused
      ? `Procore refuses this app's client credentials (${refused.cause}) since ${utcText(refused.since)} UTC, last at ${utcText(refused.lastAt)} UTC. Check PROCORE_CLIENT_ID and PROCORE_CLIENT_SECRET against the Developer Portal. Nobody is signed out: everyone goes on once Procore accepts them.`
      : undefined,
    people: view.people.map(personRow),
    // The CSV's first column is "Time (UTC)"; on the page times are in the reader's zone.
    auditColumns: ['Time', ...AUDIT_COLUMNS.slice(1)],
    auditRows: view.audit.events.map((event) => ({
      at: timeView(event.at, { seconds: true }),
      cells: auditCells(event).slice(1),
    })),
    newestHref: view.paged ? '/admin#audit' : undefined,
    olderHref: view.audit.older ? `/admin?before=${encodeURIComponent(view.audit.older)}#audit` : undefined,
    csvHref: '/admin/audit.csv',
  };
}
