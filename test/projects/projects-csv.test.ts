import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { procoreWebLinks } from '../../src/procore/web-links';
import type { ProjectSummary } from '../../src/projects/project-summary';
import { PROJECT_CSV_HEADER, projectCsvChunks, projectsCsvFilename } from '../../src/projects/projects-csv';

const links = procoreWebLinks({ webUrl: 'https://app.procore.com' });

function project(id: number, overrides: Partial<ProjectSummary> = {}): ProjectSummary {
  return {
    id,
    name: `Project ${id}`,
    number: `2024-${id}`,
    address: '1 Main St',
    city: 'Austin',
    stateCode: 'TX',
    stage: 'Bidding',
    active: true,
    ...overrides,
  };
}

describe('the project list as CSV', () => {
  it('when projects are exported, then the file starts with a BOM and the header, and each row links to the project in Procore', () => {
    const text = [
      ...projectCsvChunks([project(7, { name: 'Oak, "Phase 2"', stage: undefined, active: false })], { id: 42 }, links),
    ].join('');
    expect(text.startsWith('\uFEFFProcore ID,Number,Name,Stage,Status,Address,City,State,Procore link\r\n')).toBe(true);
    expect(PROJECT_CSV_HEADER).toHaveLength(9);
    expect(text.slice(1).split('\r\n')[1]).toBe(
      '7,2024-7,"Oak, ""Phase 2""",,Inactive,1 Main St,Austin,TX,https://app.procore.com/webclients/host/companies/42/projects/7/tools/projecthome',
    );
  });

  it('when a name looks like a formula, then it is written as text', () => {
    const text = [
      ...projectCsvChunks([project(1, { name: '=HYPERLINK("http://evil")', number: '-12' })], { id: 1 }, links),
    ].join('');
    expect(text).toContain(`1,'-12,"'=HYPERLINK(""http://evil"")"`);
  });

  it('when the list is long, then it comes in chunks that together hold every project once, in order', () => {
    const chunks = [
      ...projectCsvChunks(
        Array.from({ length: 1_001 }, (_, i) => project(i + 1)),
        { id: 1 },
        links,
      ),
    ];
    expect(chunks.length).toBeGreaterThan(1);
    const records: string[][] = parse(chunks.join(''), { bom: true });
    const [header, ...rows] = records;
    expect(header).toEqual([...PROJECT_CSV_HEADER]);
    expect(rows.map((row) => Number(row[0]))).toEqual(Array.from({ length: 1_001 }, (_, i) => i + 1));
  });

  it('when the file is named, then it carries the company and the date', () => {
    expect(projectsCsvFilename('Acme Builders, Inc.', new Date('2026-12-01T23:59:00Z'))).toBe(
      'projects-acme-builders-inc-2026-12-01.csv',
    );
  });
});
