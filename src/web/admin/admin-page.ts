import type { AuditPage, PersonHealth, RateLimitSeen } from '../../operators';
import type { LayoutView } from '../view-models/layout';
import { localsOf } from '../view-models/locals';
import { AUDIT_COLUMNS, auditCells, utcText } from './audit-rows';

export interface PersonRow {
  name: string;
  login: string;
  userId: number;
  sessions: number;
  accessTokenExpires: string;
  lastRefresh: string;
  refreshes: number;
  refreshFailures: number;
  lockWaits: number;
  lastError: string;
  /** "3,412 of 3,600 left, resets 12:59:00 UTC (seen 12:01:02 UTC)", or "—" before any Procore call. */
  rateLimit: string;
}

export interface AdminView {
  layout: LayoutView;
  activeSessions: number;
  instances: number;
  people: PersonRow[];
  auditColumns: readonly string[];
  auditRows: string[][];
  /** Links of the audit list's paging: newest page, next older page. */
  newestHref: string | undefined;
  olderHref: string | undefined;
  csvHref: string;
}

export const ADMIN_LOCALS = localsOf<AdminView>({
  layout: true,
  activeSessions: true,
  instances: true,
  people: true,
  auditColumns: true,
  auditRows: true,
  newestHref: true,
  olderHref: true,
  csvHref: true,
});

const orDash = (epochMs: number | undefined): string => (epochMs === undefined ? '—' : `${utcText(epochMs)} UTC`);

const STATUS_WORDS: Record<number, string> = { 401: 'not accepted', 403: 'no access', 429: 'rate limited' };

export function personRow(person: PersonHealth): PersonRow {
  const error = person.lastError;
  return {
    name: person.name,
    login: person.login,
    userId: person.userId,
    sessions: person.sessions,
    accessTokenExpires: orDash(person.accessTokenExpiresAt),
    lastRefresh: orDash(person.lastRefreshAt),
    refreshes: person.refreshes,
    refreshFailures: person.refreshFailures,
    lockWaits: person.lockWaits,
    lastError: error ? `${error.status} ${STATUS_WORDS[error.status] ?? 'Procore error'} at ${utcText(error.at)} UTC` : 'none',
    rateLimit: rateLimitText(person.rateLimit),
  };
}

/** One person's own window: Procore limits each token on its own. */
export function rateLimitText(seen: RateLimitSeen | undefined): string {
  if (!seen) return '—';
  const number = (value: number): string => value.toLocaleString('en-US');
  return `${number(seen.remaining)} of ${number(seen.limit)} left, resets ${utcText(seen.resetAt)} UTC (seen ${utcText(seen.seenAt)} UTC)`;
}

export function adminPage(
  layout: LayoutView,
  view: { people: readonly PersonHealth[]; instances: number; audit: AuditPage; paged: boolean },
): AdminView {
  return {
    layout,
    activeSessions: view.people.reduce((sum, person) => sum + person.sessions, 0),
    instances: view.instances,
    people: view.people.map(personRow),
    auditColumns: AUDIT_COLUMNS,
    auditRows: view.audit.events.map(auditCells),
    newestHref: view.paged ? '/admin#audit' : undefined,
    olderHref: view.audit.older ? `/admin?before=${encodeURIComponent(view.audit.older)}#audit` : undefined,
    csvHref: '/admin/audit.csv',
  };
}
