import { projectStageName } from '../procore/shape';
import type { ProcoreCompany, ProcoreProject } from '../procore/types';

/** The fields the project list shows, searches and sorts on: all a cached list keeps. */
export interface ProjectSummary {
  id: number;
  name: string;
  number: string | null;
  address: string | null;
  city: string | null;
  stateCode: string | null;
  /** `project_stage.name`, else the older `stage` string; undefined when Procore has neither. */
  stage: string | undefined;
  active: boolean;
}

export interface CompanySummary {
  id: number;
  name: string;
  active: boolean;
  /** The company's web host in its zone (`company_base_url`); undefined when Procore could not say. */
  webUrl?: string;
}

export function summarizeProject(project: ProcoreProject): ProjectSummary {
  return {
    id: project.id,
    name: project.name,
    number: project.project_number ?? null,
    address: project.address ?? null,
    city: project.city ?? null,
    stateCode: project.state_code ?? null,
    stage: projectStageName(project),
    active: project.active !== false,
  };
}

export function summarizeCompany(company: ProcoreCompany): CompanySummary {
  return { id: company.id, name: company.name, active: company.is_active !== false };
}

/** "123 Main St, Austin, TX", or undefined when Procore has no address. */
export function shortAddress(project: Pick<ProjectSummary, 'address' | 'city' | 'stateCode'>): string | undefined {
  const parts = [project.address, project.city, project.stateCode].filter(
    (part): part is string => typeof part === 'string' && part !== '',
  );
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/** The stage is null in a tuple (JSON has no undefined). */
type ProjectTuple = [number, string, string | null, string | null, string | null, string | null, string | null, 0 | 1];
/** The web host is null when unknown (and missing in copies cached before zones were asked). */
type CompanyTuple = [number, string, 0 | 1, (string | null)?];

/**
 * Cached lists are JSON arrays of positional tuples: no repeated field names, and one native
 * JSON.parse turns 10,000 projects back into values in a few milliseconds.
 */
export function encodeProjects(projects: readonly ProjectSummary[]): string {
  return JSON.stringify(
    projects.map((p): ProjectTuple => [
      p.id,
      p.name,
      p.number,
      p.address,
      p.city,
      p.stateCode,
      p.stage ?? null,
      p.active ? 1 : 0,
    ]),
  );
}

export function decodeProjects(text: string): ProjectSummary[] {
  const tuples = JSON.parse(text) as ProjectTuple[];
  if (!Array.isArray(tuples)) throw new Error('cached project list is not an array');
  return tuples.map(([id, name, number, address, city, stateCode, stage, active]) => ({
    id,
    name,
    number,
    address,
    city,
    stateCode,
    stage: stage ?? undefined,
    active: active === 1,
  }));
}

export function encodeCompanies(companies: readonly CompanySummary[]): string {
  return JSON.stringify(companies.map((c): CompanyTuple => [c.id, c.name, c.active ? 1 : 0, c.webUrl ?? null]));
}

export function decodeCompanies(text: string): CompanySummary[] {
  const tuples = JSON.parse(text) as CompanyTuple[];
  if (!Array.isArray(tuples)) throw new Error('cached company list is not an array');
  return tuples.map(([id, name, active, webUrl]) => ({ id, name, active: active === 1, webUrl: webUrl ?? undefined }));
}
