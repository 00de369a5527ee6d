import type { TokenSet } from './token-set';
import type {
  CallAuth,
  CompanyBaseUrl,
  Page,
  ProcoreCallEvent,
  ProcoreCompany,
  ProcoreProject,
  ProcoreUser,
  ProjectListQuery,
  RateLimitState,
  RefusedItem,
  TokenInfo,
} from './types';

/** Settings shared by both clients; built once from the app's configuration. */
export interface ProcoreClientOptions {
  /** e.g. https://login.procore.com (no trailing slash). */
  loginUrl: string;
  /** e.g. https://api.procore.com (no trailing slash). */
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  /** Per HTTP attempt. */
  timeoutMs: number;
  /** Retries for idempotent calls on 429/503/5xx/network errors (so attempts = retries + 1). */
  maxRetries?: number;
  /** Upper bound on one wait between attempts, whatever Retry-After says. */
  maxRetryDelayMs?: number;
  /** Called after every HTTP exchange; must not throw. */
  onCall?: (event: ProcoreCallEvent) => void;
  /** Called for each list item left out because its id is beyond 2^53 (the rest of the list is kept); must not throw. */
  onRefusedItem?: (item: RefusedItem) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Base of the exponential backoff for 5xx / network retries (full jitter). Default 200 ms. */
  retryBaseDelayMs?: number;
  /** Injected for tests: the jitter source, in [0, 1). Default Math.random. */
  random?: () => number;
}

/** The OAuth endpoints on the login host. */
export interface ProcoreOAuthClient {
  /** The URL to send a person to. `state` is required for the web flow; the out-of-band flow may omit it. */
  authorizeUrl(params: { redirectUri: string; state?: string }): string;
  /** `grant_type=authorization_code`. Never retried: codes are single-use. */
  exchangeCode(code: string, redirectUri: string): Promise<TokenSet>;
  /** `grant_type=refresh_token`. Never retried: the refresh token dies the moment Procore sees it. */
  refresh(refreshToken: string): Promise<TokenSet>;
  /** `grant_type=client_credentials` (service accounts). The result has no refresh token. */
  clientCredentials(): Promise<TokenSet>;
  /** `POST /oauth/revoke`; revokes the access token and its refresh token. */
  revoke(token: string): Promise<void>;
  /** `GET /oauth/token/info`. */
  tokenInfo(accessToken: string): Promise<TokenInfo>;
}

/** How much of a list has arrived: after each page, in the order pages arrive. */
export interface ListProgress<T> {
  /** The page that just arrived (1-based) and its items. */
  page: number;
  items: T[];
  /** Items arrived so far, this page's included. */
  loaded: number;
  /** From `Total` on the first page, when Procore sent it. */
  total: number | undefined;
}

export interface AllProjectsOptions {
  perPage?: number;
  /** Pages in flight at most (fewer when the token's rate-limit window has less left). */
  concurrency?: number;
  /** Called as each page arrives: what the person can be shown before the list is complete. */
  onProgress?: (progress: ListProgress<ProcoreProject>) => void;
}

/** The REST API on the API host. Every method is a GET and may be retried. */
export interface ProcoreApiClient {
  me(auth: CallAuth): Promise<ProcoreUser>;
  /** Every page of `/rest/v1.0/companies`, free companies included (`include_free_companies=true`). */
  companies(auth: CallAuth): Promise<ProcoreCompany[]>;
  /** `/rest/v1.0/company_base_url`: the company's zone and web host. */
  companyBaseUrl(auth: CallAuth & { companyId: number }): Promise<CompanyBaseUrl>;
  /** One page of `/rest/v1.0/projects?company_id=`; sends `Procore-Company-Id`. */
  projectsPage(
    auth: CallAuth & { companyId: number },
    query: ProjectListQuery & { page: number; perPage: number },
  ): Promise<Page<ProcoreProject>>;
  /**
   * Every project of a company: reads page 1, learns the total from `Total`, then fetches the
   * remaining pages with bounded concurrency; when `Total` is missing, follows `Link` rel="next".
   */
  allProjects(
    auth: CallAuth & { companyId: number },
    query?: ProjectListQuery,
    options?: AllProjectsOptions,
  ): Promise<ProcoreProject[]>;
  /** `/rest/v1.0/projects/{id}?company_id=`. */
  project(auth: CallAuth & { companyId: number }, projectId: number): Promise<ProcoreProject>;
  /**
   * What Procore's X-Rate-Limit-* headers last said about this access token's window, if it was
   * used. Calls are paced per token by these headers: never more in flight than the window has
   * left, and when it is spent, a pause until just past its reset.
   */
  rateLimitOf(accessToken: string): RateLimitState | undefined;
}

/** Documented maximum `per_page` for the projects list. */
export const PROJECTS_MAX_PER_PAGE = 300;
