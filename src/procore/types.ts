/** Shapes of Procore's REST resources, as far as this app reads them. Extra fields are kept as they came. */
export interface ProcoreUser {
  id: number;
  login: string;
  name: string;
  [field: string]: unknown;
}

export interface ProcoreCompany {
  /** Company ids can exceed 32 bits; they still fit a JS number (< 2^53). */
  id: number;
  name: string;
  is_active: boolean;
  [field: string]: unknown;
}

export interface ProcoreProject {
  id: number;
  name: string;
  display_name: string | null;
  project_number: string | null;
  address: string | null;
  city: string | null;
  state_code: string | null;
  country_code: string | null;
  zip: string | null;
  county: string | null;
  latitude: number | null;
  longitude: number | null;
  stage: string | null;
  phone: string | null;
  created_at: string;
  updated_at: string;
  active: boolean;
  origin_id: string | null;
  origin_data: string | null;
  company: { id: number; name: string };
  [field: string]: unknown;
}

export interface TokenInfo {
  resource_owner_id: number | null;
  scopes: string[];
  expires_in_seconds: number;
  application: { uid: string };
  created_at: number;
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
