/**
 * A moment for a `<time datetime data-local>` element, the one way every page writes a moment. The
 * server does not know the reader's time zone, so the text names UTC; public/app.js rewrites it in
 * the same format in the reader's own zone (named too), keeping the seconds when the text has them.
 */
export interface TimeView {
  iso: string;
  /** "1 Dec 2026, 14:05 UTC" (or "…14:05:09 UTC" where seconds matter): what readers without script see. */
  text: string;
}

const FORMAT = {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: 'UTC',
  timeZoneName: 'short',
} as const;
const UTC_FORMAT = new Intl.DateTimeFormat('en-GB', FORMAT);
const UTC_FORMAT_SECONDS = new Intl.DateTimeFormat('en-GB', { ...FORMAT, second: '2-digit' });

/** `seconds`: for the audit trail and token health, where events a few seconds apart must read apart. */
export function timeView(at: number | Date, options: { seconds?: boolean } = {}): TimeView {
  const date = new Date(at);
  return { iso: date.toISOString(), text: (options.seconds ? UTC_FORMAT_SECONDS : UTC_FORMAT).format(date) };
}

/** "just now", "42 seconds ago", "3 minutes ago", "2 hours ago", "4 days ago". */
export function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} seconds ago`;
  const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'} ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return plural(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return plural(hours, 'hour');
  return plural(Math.floor(hours / 24), 'day');
}
