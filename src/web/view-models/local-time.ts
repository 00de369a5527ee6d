/**
 * A moment for a `<time datetime data-local>` element. The server does not know the reader's time
 * zone, so the text names UTC; public/app.js rewrites it in the reader's own zone (named too).
 */
export interface TimeView {
  iso: string;
  /** "1 Dec 2026, 14:05 UTC": what readers without script see. */
  text: string;
}

const UTC_FORMAT = new Intl.DateTimeFormat('en-GB', {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'UTC',
  timeZoneName: 'short',
});

export function timeView(at: number | Date): TimeView {
  const date = new Date(at);
  return { iso: date.toISOString(), text: UTC_FORMAT.format(date) };
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
