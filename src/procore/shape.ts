import { ProcoreError } from './errors';
import type { TokenResponse } from './token-set';
import type { ProcoreCompany, ProcoreProject, ProcoreUser, TokenInfo } from './types';

/** Defensive checks of Procore's JSON: a body we cannot use is `bad_response`, not a crash later. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function badShape(endpoint: string, what: string): ProcoreError {
  return new ProcoreError('bad_response', `Procore ${endpoint} answered an unexpected body (${what})`, { endpoint });
}

function hasNumericId(value: unknown): value is Record<string, unknown> & { id: number } {
  return isRecord(value) && typeof value.id === 'number' && Number.isFinite(value.id);
}

export function asUser(json: unknown, endpoint: string): ProcoreUser {
  if (!hasNumericId(json)) throw badShape(endpoint, 'expected a user with a numeric id');
  return json as ProcoreUser;
}

function asNamedList<T>(json: unknown, endpoint: string, what: string): T[] {
  if (!Array.isArray(json)) throw badShape(endpoint, `expected an array of ${what}`);
  for (const item of json) {
    if (!hasNumericId(item) || typeof item.name !== 'string') throw badShape(endpoint, `expected ${what} with id and name`);
  }
  return json as T[];
}

export function asCompanyList(json: unknown, endpoint: string): ProcoreCompany[] {
  return asNamedList<ProcoreCompany>(json, endpoint, 'companies');
}

export function asProjectList(json: unknown, endpoint: string): ProcoreProject[] {
  return asNamedList<ProcoreProject>(json, endpoint, 'projects');
}

export function asProject(json: unknown, endpoint: string): ProcoreProject {
  if (!hasNumericId(json) || typeof json.name !== 'string') throw badShape(endpoint, 'expected a project with id and name');
  return json as unknown as ProcoreProject;
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

export function asTokenInfo(json: unknown, endpoint: string): TokenInfo {
  if (!isRecord(json)) throw badShape(endpoint, 'expected a JSON object');
  const { resource_owner_id, scopes, expires_in_seconds, application, created_at } = json;
  if (typeof expires_in_seconds !== 'number') throw badShape(endpoint, 'missing expires_in_seconds');
  const uid = isRecord(application) && typeof application.uid === 'string' ? application.uid : undefined;
  if (uid === undefined) throw badShape(endpoint, 'missing application.uid');
  return {
    resource_owner_id: typeof resource_owner_id === 'number' ? resource_owner_id : null,
    scopes: Array.isArray(scopes) ? scopes.filter((s): s is string => typeof s === 'string') : [],
    expires_in_seconds,
    application: { uid },
    created_at: typeof created_at === 'number' ? created_at : 0,
  };
}
