import { describe, expect, it } from 'vitest';
import { CSV_BOM, csvCell, csvFilename, csvRow } from '../../src/csv/csv';

describe('CSV cells', () => {
  it('when a cell holds a comma, a quote or a line break, then it is quoted with quotes doubled', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('plain')).toBe('plain');
  });

  it.each(['=SUM(A1:A2)', '+1', '-1+2', '@cmd', '\tx', '\rx'])(
    'when text starts like a formula (%j), then it is prefixed with a quote',
    (value) => {
      expect(csvCell(value).replace(/^"|"$/g, '')).toBe(`'${value}`);
    },
  );

  it.each([' =SUM(A1:A2)', '  +1', '\n=cmd', '\r\n@x', '\u00A0-2+3', '＝SUM(A1)', '＋1', '－1', '＠cmd', ' ＝x'])(
    'when text reaches a formula sign after spaces or line breaks, or starts with a full-width sign (%j), then it is prefixed with a quote',
    (value) => {
      expect(csvCell(value).replace(/^"|"$/g, '')).toBe(`'${value}`);
    },
  );

  it('when a cell holds a semicolon, then it is quoted, so a spreadsheet splitting on semicolons keeps it one cell', () => {
    expect(csvCell('a;=HYPERLINK("x")')).toBe('"a;=HYPERLINK(""x"")"');
    expect(csvCell(';=1+1')).toBe('";=1+1"');
  });

  it('when text only contains a formula sign further in, then it is written as it is', () => {
    expect(csvCell('Tower A = phase 2')).toBe('Tower A = phase 2');
    expect(csvCell('a-b')).toBe('a-b');
  });

  it('when a value is missing or a number, then it is empty or the number itself', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(true)).toBe('true');
  });

  it('when a row is written, then it ends in CRLF', () => {
    expect(csvRow(['id', 'name', null, 12])).toBe('id,name,,12\r\n');
  });

  it('when a file is named, then it has only safe characters and ends in .csv', () => {
    expect(csvFilename('projects', 'Acme Builders, Inc.', '2026-12-01')).toBe(
      'projects-acme-builders-inc-2026-12-01.csv',
    );
    expect(csvFilename('Café / Ñandú')).toBe('cafe-nandu.csv');
    expect(csvFilename('***')).toBe('export.csv');
    expect(CSV_BOM).toBe('\uFEFF');
  });
});
