import { ProcoreError } from './errors';
import type { TokenResponse } from './token-set';
import type { CompanyBaseUrl, ProcoreCompany, ProcoreProject, ProcoreUser, RefusedItem, TokenInfo } from './types';

/**
 * Defensive checks of Procore's JSON (the types and their sources are in ./types.ts). Ids must be
 * positive integers, else the body is `bad_response` rather than a crash later. Every other field
 * is optional: missing, null, or of an unexpected type, which then reads as missing (undefined),
 * so one odd field does not lose a whole list. Fields we do not know are kept as they came.
 *
 * The check walks a table of field kinds and fixes the freshly parsed JSON in place. A schema
 * library (zod, used for the configuration) builds a copy of every object instead: on a
 * 10,000-project list in Procore's published shape (10.7 MB) that took ~10× as long as this
 * (about 420 ms against 40 ms, more than JSON.parse itself), for the same result.
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function badShape(endpoint: string, what: string): ProcoreError {
  return new ProcoreError('bad_response', `Procore ${endpoint} answered an unexpected body (${what})`, { endpoint });
}

/** `ref`: a `{ id, name }` object; `refs`: a list of them; `object`: any JSON object. */
type Kind = 'string' | 'number' | 'boolean' | 'ref' | 'refs' | 'object';
type FieldKinds<T> = { readonly [K in keyof T as string extends K ? never : K]?: Kind };

const REF_FIELDS: FieldKinds<{ id: number; name: string }> = { id: 'number', name: 'string' };
const USER_FIELDS: FieldKinds<ProcoreUser> = { login: 'string', name: 'string' };
const COMPANY_FIELDS: FieldKinds<ProcoreCompany> = {
  name: 'string',
  is_active: 'boolean',
  logo_url: 'string',
  my_company: 'boolean',
};
const PROJECT_FIELDS: FieldKinds<ProcoreProject> = {
  name: 'string',
  display_name: 'string',
  project_number: 'string',
  address: 'string',
  city: 'string',
  state_code: 'string',
  country_code: 'string',
  zip: 'string',
  county: 'string',
  latitude: 'number',
  longitude: 'number',
  stage: 'string',
  project_stage: 'ref',
  phone: 'string',
  created_at: 'string',
  updated_at: 'string',
  active: 'boolean',
  origin_id: 'string',
  origin_data: 'string',
  origin_code: 'string',
  logo_url: 'string',
  time_zone: 'string',
  tz_name: 'string',
  start_date: 'string',
  completion_date: 'string',
  total_value: 'number',
  estimated_value: 'number',
  office: 'ref',
  project_type: 'ref',
  project_region: 'ref',
  program: 'ref',
  departments: 'refs',
  custom_fields: 'object',
  flag: 'string',
  store_number: 'string',
  description: 'string',
  square_feet: 'number',
  company: 'ref',
};

function isKind(value: unknown, kind: Kind): boolean {
  switch (kind) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'ref':
    case 'object':
      return isRecord(value);
    case 'refs':
      return Array.isArray(value) && value.every(isRecord);
    default:
      return typeof value === kind;
  }
}

/**
 * The longest text a known field keeps; longer text is cut here, before anything is cached or shown
 * (names, numbers and addresses are far shorter; a page of projects may hold 8 MiB, see ./body.ts).
 */
export const MAX_TEXT_LENGTH = 500;

/**
 * Sets every known field that is neither missing, null nor of its kind to undefined, cuts text to
 * MAX_TEXT_LENGTH; checks nested refs too.
 */
function sanitize(record: Record<string, unknown>, fields: Readonly<Record<string, Kind | undefined>>): void {
  for (const key in fields) {
    const value = record[key];
    if (value === undefined || value === null) continue;
    const kind = fields[key]!;
    if (!isKind(value, kind)) record[key] = undefined;
    else if (kind === 'string' && (value as string).length > MAX_TEXT_LENGTH)
      record[key] = (value as string).slice(0, MAX_TEXT_LENGTH);
    else if (kind === 'ref') sanitize(value as Record<string, unknown>, REF_FIELDS);
    else if (kind === 'refs') for (const item of value as Array<Record<string, unknown>>) sanitize(item, REF_FIELDS);
  }
}

/** The record with a positive integer id, its known fields checked; else `bad_response`. */
function checked(
  json: unknown,
  fields: Readonly<Record<string, Kind | undefined>>,
  endpoint: string,
  what: string,
): Record<string, unknown> & { id: number } {
  if (!isRecord(json) || !Number.isSafeInteger(json.id) || (json.id as number) <= 0) throw badShape(endpoint, what);
  sanitize(json, fields);
  return json as Record<string, unknown> & { id: number };
}

/** A non-blank string, else undefined. */
function filled(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

export function asUser(json: unknown, endpoint: string): ProcoreUser {
  const user = checked(json, USER_FIELDS, endpoint, 'expected a user with a numeric id');
  const login = filled(user.login) ?? '';
  return Object.assign(user, { login, name: filled(user.name) ?? (login || `Procore user ${user.id}`) });
}

/** Told about each list item left out; the list goes on without it. */
export type RefuseItem = (item: RefusedItem) => void;

/**
 * An integer id a JavaScript number cannot hold exactly: JSON.parse rounds anything past 2^53 - 1 to
 * a number at or above 2^53, so the rounded value alone tells (no look at the raw text needed).
 */
function isBeyondSafeId(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > Number.MAX_SAFE_INTEGER;
}

function asList<T>(
  json: unknown,
  endpoint: string,
  what: RefusedItem['what'],
  item: (entry: unknown) => T,
  refuse: RefuseItem | undefined,
): T[] {
  if (!Array.isArray(json))
    throw badShape(endpoint, `expected an array of ${what === 'company' ? 'companies' : 'projects'}`);
  const items: T[] = [];
  for (const entry of json) {
    if (isRecord(entry) && isBeyondSafeId(entry.id))
      refuse?.({ endpoint, what, roundedId: entry.id, name: filled(entry.name) });
    else items.push(item(entry));
  }
  return items;
}

function toCompany(json: unknown, endpoint: string): ProcoreCompany {
  const company = checked(json, COMPANY_FIELDS, endpoint, 'expected companies with numeric ids');
  return Object.assign(company, {
    name: filled(company.name) ?? `Company ${company.id}`,
    is_active: company.is_active !== false,
  });
}

export function asCompanyList(json: unknown, endpoint: string, refuse?: RefuseItem): ProcoreCompany[] {
  return asList(json, endpoint, 'company', (item) => toCompany(item, endpoint), refuse);
}

/** `company_base_url`: `web_base_url` must be an http(s) URL (links are built on it); the zone is optional. */
export function asCompanyBaseUrl(json: unknown, endpoint: string): CompanyBaseUrl {
  const given = isRecord(json) && typeof json.web_base_url === 'string' ? json.web_base_url : '';
  const url = URL.canParse(given) ? new URL(given) : undefined;
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
    throw badShape(endpoint, 'expected web_base_url, an http(s) URL');
  return { zone: filled((json as Record<string, unknown>).zone) ?? null, web_base_url: url.href.replace(/\/+$/, '') };
}

function toProject(json: unknown, endpoint: string): ProcoreProject {
  const project = checked(json, PROJECT_FIELDS, endpoint, 'expected projects with numeric ids');
  return Object.assign(project, {
    name: filled(project.name) ?? filled(project.display_name) ?? `Project ${project.id}`,
  });
}

export function asProjectList(json: unknown, endpoint: string, refuse?: RefuseItem): ProcoreProject[] {
  return asList(json, endpoint, 'project', (item) => toProject(item, endpoint), refuse);
}

export function asProject(json: unknown, endpoint: string): ProcoreProject {
  return toProject(json, endpoint);
}

/** The stage's name: `project_stage.name` (the published shape), else `stage` (the older one); undefined when neither is set. */
export function projectStageName(project: Pick<ProcoreProject, 'stage' | 'project_stage'>): string | undefined {
  return filled(project.project_stage?.name) ?? filled(project.stage);
}

/** A successful `/oauth/token` body: `access_token` (string) and `expires_in` (number) are required. */
export function asTokenResponse(json: unknown, endpoint: string): TokenResponse {
  if (!isRecord(json)) throw badShape(endpoint, 'expected a JSON object');
  const { access_token, expires_in, refresh_token, token_type, created_at } = json;
  if (typeof access_token !== 'string' || access_token === '') throw badShape(endpoint, 'missing access_token');
  if (typeof expires_in !== 'number' || !Number.isFinite(expires_in) || expires_in <= 0) {
    throw badShape(endpoint, 'missing or invalid expires_in');
  }
  if (refresh_token !== undefined && refresh_token !== null && typeof refresh_token !== 'string') {
    throw badShape(endpoint, 'invalid refresh_token');
  }
  const response: TokenResponse = {
    access_token,
    expires_in,
    token_type: typeof token_type === 'string' ? token_type : 'bearer',
  };
  if (typeof refresh_token === 'string' && refresh_token !== '') response.refresh_token = refresh_token;
  if (typeof created_at === 'number' && Number.isFinite(created_at)) response.created_at = created_at;
  return response;
}

/** `expires_in_seconds` is required (it is what callers ask for); everything else may be missing. */
export function asTokenInfo(json: unknown, endpoint: string): TokenInfo {
  if (!isRecord(json)) throw badShape(endpoint, 'expected a JSON object');
  const { resource_owner_id, scopes, expires_in_seconds, application, created_at } = json;
  if (typeof expires_in_seconds !== 'number' || !Number.isFinite(expires_in_seconds) || expires_in_seconds < 0) {
    throw badShape(endpoint, 'missing expires_in_seconds');
  }
  return {
    resource_owner_id: isKind(resource_owner_id, 'number') ? (resource_owner_id as number) : null,
    scopes: Array.isArray(scopes) ? scopes.filter((scope): scope is string => typeof scope === 'string') : [],
    expires_in_seconds,
    application: { uid: (isRecord(application) && filled(application.uid)) || null },
    created_at: isKind(created_at, 'number') ? (created_at as number) : null,
  };
}
