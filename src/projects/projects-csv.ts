import { CSV_BOM, csvFilename, csvRow } from '../csv/csv';
import type { LinkedCompany, ProcoreWebLinks } from '../procore/web-links';
import type { ProjectSummary } from './project-summary';

/**
 * The project list as a CSV file, for the web download and `procore projects --csv` alike: the same
 * columns, the same quoting (src/csv), one header row.
 */
export const PROJECT_CSV_HEADER = [
  'Procore ID',
  'Number',
  'Name',
  'Stage',
  'Status',
  'Address',
  'City',
  'State',
  'Procore link',
] as const;

/** Rows are handed out in chunks of this many, so a 10,000-project list is a few dozen writes. */
const ROWS_PER_CHUNK = 250;

export function projectCsvRow(project: ProjectSummary, company: LinkedCompany, links: ProcoreWebLinks): string {
  return csvRow([
    project.id,
    project.number,
    project.name,
    project.stage,
    project.active ? 'Active' : 'Inactive',
    project.address,
    project.city,
    project.stateCode,
    links.project(company, project.id),
  ]);
}

/**
 * The whole file as text chunks, written as they are produced: the byte-order mark and header
 * first, then the projects in the order given.
 */
export function* projectCsvChunks(
  projects: Iterable<ProjectSummary>,
  company: LinkedCompany,
  links: ProcoreWebLinks,
): Generator<string> {
  let chunk = CSV_BOM + csvRow(PROJECT_CSV_HEADER);
  let rows = 0;
  for (const project of projects) {
    chunk += projectCsvRow(project, company, links);
    rows += 1;
    if (rows === ROWS_PER_CHUNK) {
      yield chunk;
      chunk = '';
      rows = 0;
    }
  }
  if (chunk) yield chunk;
}

/** e.g. `projects-acme-builders-2026-12-01.csv` (the date in UTC). */
export function projectsCsvFilename(companyName: string, at: Date): string {
  return csvFilename('projects', companyName, at.toISOString().slice(0, 10));
}
