/** Output for people (aligned tables) and for scripts (JSON exactly as Procore returned it). */
import stringWidth from 'string-width';

export interface Column<T> {
  header: string;
  value: (row: T) => unknown;
  /** Longer values are cut with an ellipsis. */
  maxWidth?: number;
  align?: 'left' | 'right';
}

const DEFAULT_MAX_WIDTH = 40;
const ELLIPSIS = '…';

/**
 * A value as one printable line: control characters (including escape sequences a malicious
 * project name could carry to the terminal) become spaces; null and undefined are empty.
 */
export function formatCell(value: unknown): string {
  return cellText(value).replace(/\p{Cc}+/gu, ' ');
}

/** Strings as they are, objects as JSON, numbers, booleans and the like as `String` writes them. */
function cellText(value: unknown): string {
  switch (typeof value) {
    case 'undefined':
      return '';
    case 'string':
      return value;
    case 'object':
      return value === null ? '' : JSON.stringify(value);
    default:
      return String(value);
  }
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * `text` in at most `width` terminal columns (string-width: a Chinese or Japanese character takes
 * two, an accent none, an emoji two), cut between characters as people see them, with an ellipsis.
 */
export function truncate(text: string, width: number): string {
  if (stringWidth(text) <= width) return text;
  const room = width <= 1 ? width : width - 1;
  let kept = '';
  let used = 0;
  for (const { segment } of graphemes.segment(text)) {
    const cells = stringWidth(segment);
    if (used + cells > room) break;
    kept += segment;
    used += cells;
  }
  return width <= 1 ? kept : kept + ELLIPSIS;
}

function pad(text: string, cells: number, width: number, align: 'left' | 'right'): string {
  const gap = ' '.repeat(Math.max(0, width - cells));
  return align === 'right' ? gap + text : text + gap;
}

/**
 * Columns as wide as their widest value (up to `maxWidth`) in terminal columns, separated by two
 * spaces. Widths are measured once per cell and compared one by one: a list of any length (150,000
 * projects) never becomes the arguments of one call.
 */
export function renderTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const widths = columns.map((column) => stringWidth(column.header));
  const cells = rows.map((row) =>
    columns.map((column, index) => {
      const text = truncate(formatCell(column.value(row)), column.maxWidth ?? DEFAULT_MAX_WIDTH);
      const cells = stringWidth(text);
      if (cells > widths[index]!) widths[index] = cells;
      return { text, cells };
    }),
  );
  const aligns = columns.map((column) => column.align ?? 'left');
  const line = (values: ReadonlyArray<{ text: string; cells: number }>): string =>
    values
      .map((value, index) => pad(value.text, value.cells, widths[index]!, aligns[index]!))
      .join('  ')
      .trimEnd();
  const header = line(columns.map((column) => ({ text: column.header, cells: stringWidth(column.header) })));
  const rule = line(widths.map((width) => ({ text: '-'.repeat(width), cells: width })));
  const lines = [header, rule];
  for (const values of cells) lines.push(line(values));
  return lines.join('\n') + '\n';
}

/** One object as "field  value" lines. */
export function renderFields(pairs: ReadonlyArray<readonly [string, unknown]>, maxWidth = 80): string {
  const width = pairs.reduce((widest, [name]) => Math.max(widest, name.length), 0);
  return (
    pairs
      .map(([name, value]) => `${name.padEnd(width)}  ${truncate(formatCell(value), maxWidth)}`.trimEnd())
      .join('\n') + '\n'
  );
}

export function renderJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
