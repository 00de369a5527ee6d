import { AUDIT_EVENT_TYPES, type AuditEvent } from '../../operators';

/** The audit trail's columns, the same on /admin and in /admin/audit.csv. */
export const AUDIT_COLUMNS = [
  'Time (UTC)',
  'Event',
  'Procore login',
  'Procore user id',
  'IP address',
  'Browser',
  'Request id',
  'Detail',
] as const;

/** "2026-12-01 12:00:05": UTC, to the second, the same text on the page and in the CSV. */
export function utcText(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('T', ' ').slice(0, 19);
}

/** One event as the text of each column. */
export function auditCells(event: AuditEvent): string[] {
  return [
    utcText(event.at),
    AUDIT_EVENT_TYPES[event.type] ?? event.type,
    event.login ?? '',
    event.userId === undefined ? '' : String(event.userId),
    event.ip,
    event.browser,
    event.requestId,
    event.detail ?? '',
  ];
}
