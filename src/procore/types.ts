/**
 * Shapes of Procore's REST resources, written from Procore's published reference (the OpenAPI
 * description behind developers.procore.com, as the SDKs generated from it carry it: "Show User
 * Info" → RestV10MeGet200Response, "List Companies" → Company, "List projects" (v1.0) → Project1,
 * "Show project" → Project3, "Get Token Info" → OauthTokenInfoGet200Response). The reference marks
 * every field optional, and fields with nothing entered come back null, so every field but the ids
 * may be missing or null here. Unknown fields are kept as they came and ignored. Ids are numbers:
 * company and project ids exceed 32 bits but stay below 2^53, where JSON numbers are exact.
 * The parsers in ./shape.ts turn a body into these types (tolerant of nulls and wrong types in
 * optional fields, strict about ids); test/fixtures/procore/ holds example bodies for each.
 */

/** `GET /rest/v1.0/me`. Procore returns `name` only when asked with a company or project id; the parser falls back to the login. */
export interface ProcoreUser {
  id: number;
  login: string;
  name: string;
  [field: string]: unknown;
}

/** One item of `GET /rest/v1.0/companies`. */
export interface ProcoreCompany {
  id: number;
  /** The parser falls back to "Company <id>" when Procore sends none. */
  name: string;
  /** Missing counts as active. */
  is_active: boolean;
  logo_url?: string | null;
  my_company?: boolean | null;
  [field: string]: unknown;
}

/** `{ id, name }` objects Procore nests in a project (stage, office, type, region, program, company, departments). */
export interface ProcoreNamedRef {
  id?: number | null;
  name?: string | null;
  [field: string]: unknown;
}

/**
 * A project, as `GET /rest/v1.0/projects` (list item, "Project1") and `GET /rest/v1.0/projects/{id}`
 * ("Project3") return it. The list's older shape (Procore's client-credentials guide) has a `stage`
 * string; the published one a `project_stage` object: read the stage with `projectStageName`.
 */
export interface ProcoreProject {
  id: number;
  /** The parser falls back to `display_name`, then "Project <id>", when Procore sends no name. */
  name: string;
  display_name?: string | null;
  project_number?: string | null;
  address?: string | null;
  city?: string | null;
  state_code?: string | null;
  country_code?: string | null;
  zip?: string | null;
  county?: string | null;
  latitude?: number | null;
  longitude?: number | null;
  /** The older shape: the stage's name. */
  stage?: string | null;
  /** The published shape. */
  project_stage?: ProcoreNamedRef | null;
  phone?: string | null;
  created_at?: string | null;
  updated_at?: string | null;
  /** Missing counts as active (Procore lists active projects unless asked otherwise). */
  active?: boolean | null;
  origin_id?: string | null;
  origin_data?: string | null;
  origin_code?: string | null;
  /** Show project only: an absolute URL of the project's logo. */
  logo_url?: string | null;
  /** A Rails zone name ("Pacific Time (US & Canada)"); `tz_name` is the tz-database name. */
  time_zone?: string | null;
  tz_name?: string | null;
  /** Dates as `YYYY-MM-DD`. */
  start_date?: string | null;
  completion_date?: string | null;
  /** An amount with no currency: Procore's schema names none. */
  total_value?: number | null;
  estimated_value?: number | null;
  office?: ProcoreNamedRef | null;
  project_type?: ProcoreNamedRef | null;
  project_region?: ProcoreNamedRef | null;
  program?: ProcoreNamedRef | null;
  departments?: ProcoreNamedRef[] | null;
  custom_fields?: Record<string, unknown> | null;
  /** Red, Yellow or Green. */
  flag?: string | null;
  store_number?: string | null;
  description?: string | null;
  square_feet?: number | null;
  company?: ProcoreNamedRef | null;
  [field: string]: unknown;
}

/** `GET /oauth/token/info`. `expires_in_seconds` is required (it is why we ask); the rest may be missing. */
export interface TokenInfo {
  resource_owner_id: number | null;
  scopes: string[];
  expires_in_seconds: number;
  application: { uid: string | null };
  /** Unix seconds, when Procore said. */
  created_at: number | null;
}

export type ProjectStatusFilter = 'Active' | 'Inactive' | 'All';

export interface ProjectListQuery {
  /** `filters[by_status]`; Procore's default is Active. */
  status?: ProjectStatusFilter;
  /** `filters[name]`. */
  name?: string;
  sort?: 'name' | 'display_name';
}

/** One page of a paginated list, with what Procore's headers said about the whole list. */
export interface Page<T> {
  items: T[];
  page: number;
  perPage: number;
  /** From the `Total` header, when present. */
  total: number | undefined;
  /** True when the `Link` header has rel="next". */
  hasNext: boolean;
}

/**
 * `GET /rest/v1.0/company_base_url` (Procore-Company-Id header): the zone a company lives in and
 * its web app's host, e.g. `{ "zone": "US02", "web_base_url": "https://us02.procore.com" }`.
 */
export interface CompanyBaseUrl {
  zone: string | null;
  /** An absolute http(s) URL without a trailing slash. */
  web_base_url: string;
}

/**
 * A list item left out because its id is beyond what a JavaScript number holds exactly (2^53):
 * Procore says ids may exceed 32 bits, and an id read wrongly would open someone else's project.
 */
export interface RefusedItem {
  endpoint: string;
  what: 'company' | 'project';
  /** The id as JavaScript read it (rounded: not the id Procore sent). */
  roundedId: number;
  name: string | undefined;
}

/** What Procore's X-Rate-Limit-* headers said on the last response. */
export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Epoch ms when the window resets. */
  resetAt: number;
}

/**
 * Who a REST call acts for. User tokens send `Procore-Company-Id` only on company-scoped calls;
 * service-account (DMSA) tokens must send it on `/me` and `/companies` as well.
 */
export interface CallAuth {
  accessToken: string;
  /** Sent as `Procore-Company-Id` when set. */
  companyId?: number;
}

/** Reported after every HTTP exchange with Procore (for metrics and logs; never carries tokens). */
export interface ProcoreCallEvent {
  /** 'oauth' for the login host, 'rest' for the API host. */
  kind: 'oauth' | 'rest';
  method: string;
  /** Path without query string, with numeric ids replaced by `:id`. */
  route: string;
  /** HTTP status, or 0 when no response arrived. */
  status: number;
  durationMs: number;
  attempt: number;
}
