/**
 * CSV as RFC 4180 writes it, for spreadsheets people open by double-click:
 * - every row ends in CRLF; a cell holding a comma, a semicolon, a quote, CR or LF is quoted,
 *   quotes doubled (a spreadsheet set to split on `;` would otherwise start a new cell, maybe a
 *   formula, after one);
 * - text starting with `=`, `+`, `-`, `@` or their full-width forms `＝ ＋ － ＠` (which spreadsheets
 *   in East Asian locales read as the same operators), after any leading spaces or line breaks
 *   (which spreadsheets skip), and text starting with tab, CR or LF gets a leading `'` so Excel,
 *   LibreOffice and Google Sheets show it as text instead of running it as a formula (OWASP "CSV
 *   injection");
 * - files start with a UTF-8 byte-order mark, without which Excel reads UTF-8 as Windows-1252.
 * Numbers are written as numbers: they cannot carry a formula, and a prefixed number is no longer one.
 */

/** The UTF-8 byte-order mark that makes Excel read the file as UTF-8. */
export const CSV_BOM = '\uFEFF';

/** The media type to serve CSV with (RFC 7111 registers `text/csv`; `header=present` says row one names the columns). */
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8; header=present';

export type CsvValue = string | number | boolean | null | undefined;

// `\s` covers the space, tab, CR, LF, no-break and ideographic spaces.
const FORMULA_START = /^(?:\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|[\t\r\n])/;
const NEEDS_QUOTES = /[",;\r\n]/;

/** One cell: empty for null and undefined, formula-looking text neutralised, quoted when it must be. */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One row, CRLF-terminated. */
export function csvRow(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

/**
 * A file name safe in a Content-Disposition header and on every file system:
 * words of letters and digits joined by dashes, e.g. `projects-acme-builders-2026-12-01.csv`.
 */
export function csvFilename(...parts: readonly (string | number)[]): string {
  const slug = parts
    .map((part) =>
      String(part)
        .normalize('NFKD')
        .replace(/\p{M}/gu, '')
        .replace(/[^A-Za-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .toLowerCase(),
    )
    .filter((part) => part !== '')
    .join('-')
    .slice(0, 120);
  return `${slug || 'export'}.csv`;
}
