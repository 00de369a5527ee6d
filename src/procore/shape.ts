import { z } from 'zod/v4';
import { ProcoreError } from './errors';
import type { TokenResponse } from './token-set';
import type { ProcoreCompany, ProcoreProject, ProcoreUser, TokenInfo } from './types';

/**
 * Defensive checks of Procore's JSON (the types and their sources are in ./types.ts). Ids must be
 * positive integers, else the body is `bad_response` rather than a crash later. Every other field
 * is optional: missing, null, or of an unexpected type (treated as missing, so one odd field does
 * not lose a whole list). Fields we do not know are kept as they came.
 * zod's v4 API: it checks the 10,000 items of a large company several times faster than v3.
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function badShape(endpoint: string, what: string): ProcoreError {
  return new ProcoreError('bad_response', `Procore ${endpoint} answered an unexpected body (${what})`, { endpoint });
}

/** An optional field: missing, null, or (when of another type) treated as missing. */
function optional<T extends z.ZodType>(schema: T) {
  return schema.nullish().catch(undefined);
}

const id = z.int().positive();
const text = optional(z.string());
const number = optional(z.number());
const flag = optional(z.boolean());
const namedRefSchema = z.looseObject({ id: number, name: text });
const namedRef = optional(namedRefSchema);

/** A non-blank string, else undefined. */
function filled(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

const userSchema = z.looseObject({ id, login: text, name: text });

const companySchema = z.looseObject({ id, name: text, is_active: flag, logo_url: text, my_company: flag });

const projectSchema = z.looseObject({
  id,
  name: text,
  display_name: text,
  project_number: text,
  address: text,
  city: text,
  state_code: text,
  country_code: text,
  zip: text,
  county: text,
  latitude: number,
  longitude: number,
  stage: text,
  project_stage: namedRef,
  phone: text,
  created_at: text,
  updated_at: text,
  active: flag,
  origin_id: text,
  origin_data: text,
  origin_code: text,
  logo_url: text,
  time_zone: text,
  tz_name: text,
  start_date: text,
  completion_date: text,
  total_value: number,
  estimated_value: number,
  office: namedRef,
  project_type: namedRef,
  project_region: namedRef,
  program: namedRef,
  departments: optional(z.array(namedRefSchema)),
  custom_fields: optional(z.record(z.string(), z.unknown())),
  flag: text,
  store_number: text,
  description: text,
  square_feet: number,
  company: namedRef,
});

function parse<T extends z.ZodType>(schema: T, json: unknown, endpoint: string, what: string): z.infer<T> {
  const result = schema.safeParse(json);
  if (!result.success) throw badShape(endpoint, what);
  return result.data;
}

export function asUser(json: unknown, endpoint: string): ProcoreUser {
  const user = parse(userSchema, json, endpoint, 'expected a user with a numeric id');
  const login = filled(user.login) ?? '';
  return { ...user, login, name: filled(user.name) ?? (login || `Procore user ${user.id}`) };
}

function asList<T>(json: unknown, endpoint: string, what: string, item: (entry: unknown) => T): T[] {
  if (!Array.isArray(json)) throw badShape(endpoint, `expected an array of ${what}`);
  return json.map(item);
}

function toCompany(json: unknown, endpoint: string): ProcoreCompany {
  const company = parse(companySchema, json, endpoint, 'expected companies with numeric ids');
  return { ...company, name: filled(company.name) ?? `Company ${company.id}`, is_active: company.is_active !== false };
}

export function asCompanyList(json: unknown, endpoint: string): ProcoreCompany[] {
  return asList(json, endpoint, 'companies', (item) => toCompany(item, endpoint));
}

function toProject(json: unknown, endpoint: string): ProcoreProject {
  const project = parse(projectSchema, json, endpoint, 'expected projects with numeric ids');
  return { ...project, name: filled(project.name) ?? filled(project.display_name) ?? `Project ${project.id}` };
}

export function asProjectList(json: unknown, endpoint: string): ProcoreProject[] {
  return asList(json, endpoint, 'projects', (item) => toProject(item, endpoint));
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

const tokenInfoSchema = z.looseObject({
  resource_owner_id: number,
  scopes: optional(z.array(z.unknown())),
  expires_in_seconds: z.number().nonnegative(),
  application: optional(z.looseObject({ uid: text })),
  created_at: number,
});

/** `expires_in_seconds` is required (it is what callers ask for); everything else may be missing. */
export function asTokenInfo(json: unknown, endpoint: string): TokenInfo {
  const info = parse(tokenInfoSchema, json, endpoint, 'missing expires_in_seconds');
  return {
    resource_owner_id: info.resource_owner_id ?? null,
    scopes: (info.scopes ?? []).filter((scope): scope is string => typeof scope === 'string'),
    expires_in_seconds: info.expires_in_seconds,
    application: { uid: filled(info.application?.uid) ?? null },
    created_at: info.created_at ?? null,
  };
}
