/** Output for people (aligned tables) and for scripts (JSON exactly as Procore returned it). */

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

export function truncate(text: string, width: number): string {
  const characters = [...text];
  if (characters.length <= width) return text;
  if (width <= 1) return characters.slice(0, width).join('');
  return characters.slice(0, width - 1).join('') + ELLIPSIS;
}

function pad(text: string, width: number, align: 'left' | 'right'): string {
  const gap = ' '.repeat(Math.max(0, width - [...text].length));
  return align === 'right' ? gap + text : text + gap;
}

/** Columns as wide as their widest value (up to `maxWidth`), separated by two spaces. */
export function renderTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((row) => columns.map((column) => truncate(formatCell(column.value(row)), column.maxWidth ?? DEFAULT_MAX_WIDTH)));
  const widths = columns.map((column, index) => Math.max([...column.header].length, ...cells.map((line) => [...line[index]!].length)));
  const line = (values: readonly string[], aligns: ReadonlyArray<'left' | 'right'>): string =>
    values
      .map((value, index) => pad(value, widths[index]!, aligns[index]!))
      .join('  ')
      .trimEnd();
  const aligns = columns.map((column) => column.align ?? 'left');
  const header = line(
    columns.map((column) => column.header),
    aligns,
  );
  const rule = line(
    widths.map((width) => '-'.repeat(width)),
    aligns,
  );
  return [header, rule, ...cells.map((values) => line(values, aligns))].join('\n') + '\n';
}

/** One object as "field  value" lines. */
export function renderFields(pairs: ReadonlyArray<readonly [string, unknown]>, maxWidth = 80): string {
  const width = Math.max(...pairs.map(([name]) => name.length));
  return pairs.map(([name, value]) => `${name.padEnd(width)}  ${truncate(formatCell(value), maxWidth)}`.trimEnd()).join('\n') + '\n';
}

export function renderJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
