import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { renderTable } from '../../src/cli/output';
import { run, setUp } from './helpers';

const BIG = 5_000_000_700;

describe('procore projects: progress on a terminal', () => {
  it('when stderr is a terminal, then a "Loaded … of … projects" line is kept up to date there and wiped at the end, while stdout holds only the CSV', async () => {
    const { env, emulator } = await setUp({ companies: [{ id: BIG, name: 'Bigfoot', projectCount: 700 }] });
    const result = await run(['projects', '--client-credentials', '--company', String(BIG), '--csv'], env, '', true);
    expect(result.code, result.stderr).toBe(0);
    const updates = result.stderr.split('\r\u001b[K').filter(Boolean);
    expect(updates[0]).toBe('Loaded 300 of 700 projects…');
    expect(updates.at(-1)).toBe('Loaded 700 of 700 projects…');
    expect(updates).toHaveLength(3);
    // The line is wiped: the terminal's next output starts on a clean line.
    expect(result.stderr.endsWith('\r\u001b[K')).toBe(true);
    expect(result.stdout).not.toContain('Loaded');
    expect(result.stdout.trim().split('\r\n')).toHaveLength(701);
    // 300 a page, as the web app asks.
    const pages = emulator.stats.requests.filter((request) => request.path === '/rest/v1.0/projects');
    expect(pages.map((request) => request.query.per_page)).toEqual(['300', '300', '300']);
  });

  it('when stderr is not a terminal (a file, a pipe), then nothing but errors goes there', async () => {
    const { env } = await setUp({ companies: [{ id: BIG, name: 'Bigfoot', projectCount: 700 }] });
    const result = await run(['projects', '--client-credentials', '--company', String(BIG)], env);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/700 projects\n$/);
  });
});

describe('table widths in terminal columns', () => {
  it('when names are Chinese, Japanese, accented or emoji, then every column starts at the same terminal column on every line', () => {
    const rows = [
      { id: 1, name: 'Riverside Tower', city: 'Austin' },
      { id: 2, name: '上海中心大厦', city: 'Shanghai' },
      { id: 3, name: '東京スカイツリー', city: 'Tokyo' },
      { id: 4, name: 'Café Zoë Résidence', city: 'Montréal' },
      { id: 5, name: 'Cafe\u0301 combining', city: 'Paris' },
      { id: 6, name: 'Site 🏗️ 👷🏽‍♀️', city: 'Denver' },
    ];
    const table = renderTable(rows, [
      { header: 'ID', value: (row) => row.id, align: 'right' },
      { header: 'NAME', value: (row) => row.name },
      { header: 'CITY', value: (row) => row.city },
    ]);
    const lines = table.trimEnd().split('\n');
    expect(lines).toHaveLength(8);
    // Where CITY starts, in terminal columns: the same on every line.
    const cityColumn = (line: string, city: string): number => stringWidth(line.slice(0, line.lastIndexOf(city)));
    expect(new Set(lines.slice(2).map((line, index) => cityColumn(line, rows[index]!.city)))).toEqual(
      new Set([cityColumn(lines[0]!, 'CITY')]),
    );
    // The NAME column is as wide as its widest name in terminal columns (18), not in UTF-16 units or code points.
    expect(lines[1]!.split('  ')[1]).toBe('-'.repeat(Math.max(...rows.map((row) => stringWidth(row.name)))));
  });

  it('when a wide name is longer than its column, then it is cut to the column in terminal columns, never through a character', () => {
    const table = renderTable(
      [{ name: '東京スカイツリー東京スカイツリー' }],
      [{ header: 'NAME', value: (row) => row.name, maxWidth: 9 }],
    );
    const cell = table.split('\n')[2]!;
    expect(cell).toBe('東京スカ…');
    expect(stringWidth(cell)).toBe(9);
  });

  it('when 150,000 projects are listed, then the table is printed (no RangeError from spreading them into one call)', () => {
    const rows = Array.from({ length: 150_000 }, (_, index) => ({ id: index + 1, name: `Project ${index + 1}` }));
    const table = renderTable(rows, [
      { header: 'ID', value: (row) => row.id, align: 'right' },
      { header: 'NAME', value: (row) => row.name },
    ]);
    const lines = table.split('\n');
    expect(lines).toHaveLength(150_003);
    expect(lines[150_001]).toBe('150000  Project 150000');
  });
});
