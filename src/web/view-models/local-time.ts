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
