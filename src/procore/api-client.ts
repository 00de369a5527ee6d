import { LIST_PAGE_MAX_BYTES, SMALL_BODY_MAX_BYTES } from './body';
import { PROJECTS_MAX_PER_PAGE, type ProcoreApiClient, type ProcoreClientOptions } from './contracts';
import { ProcoreError } from './errors';
import { httpSettingsFrom, procoreRequest, type ProcoreHttpResponse } from './http';
import { collectPages, pageFromResponse, toPage, type FetchedPage } from './pagination';
import { RateLimitPacer } from './rate-limit-pacer';
import { asCompanyBaseUrl, asCompanyList, asProject, asProjectList, asUser } from './shape';
import type { CallAuth, ProcoreCompany, ProcoreProject, ProjectListQuery } from './types';

export const DEFAULT_PAGE_CONCURRENCY = 4;
/**
 * The longest pause for a spent rate-limit window before a call: Procore's 10-second spike window,
 * its reset rounded up to the second, and a little (more than `maxRetryDelayMs` when that is shorter).
 */
const SPIKE_WINDOW_PAUSE_MS = 12_000;
/** What we ask for on `/companies` (Procore caps it per endpoint; `Per-Page` tells the truth). */
export const COMPANIES_PER_PAGE = 100;

/**
 * The REST version of every path this client calls: the one place it is named. Procore publishes
 * /me, /companies and Show project only as v1.0; /rest/v1.1/projects is a newer list whose
 * differences docs/procore-api-version.md describes.
 */
export const PROCORE_REST_VERSION = 'v1.0';
const REST_BASE = `/rest/${PROCORE_REST_VERSION}`;
const ME_PATH = `${REST_BASE}/me`;
const PROJECTS_PATH = `${REST_BASE}/projects`;
const COMPANIES_PATH = `${REST_BASE}/companies`;
const COMPANY_BASE_URL_PATH = `${REST_BASE}/company_base_url`;

function clampPerPage(perPage: number): number {
  if (!Number.isFinite(perPage)) return PROJECTS_MAX_PER_PAGE;
  return Math.min(PROJECTS_MAX_PER_PAGE, Math.max(1, Math.floor(perPage)));
}

/** Keeps the first occurrence of each id (a list that shifts while we page can repeat items). */
function uniqueById<T extends { id: number }>(items: T[]): T[] {
  const seen = new Set<number>();
  return items.filter((item) => (seen.has(item.id) ? false : (seen.add(item.id), true)));
}

export function createProcoreApiClient(options: ProcoreClientOptions): ProcoreApiClient {
  const settings = httpSettingsFrom(options);
  const apiUrl = options.apiUrl.replace(/\/+$/, '');
  const apiOrigin = new URL(apiUrl).origin;
  // Each token's window on its own: one person's spent budget never holds another's calls.
  const pacer = new RateLimitPacer(settings, Math.max(SPIKE_WINDOW_PAUSE_MS, settings.policy.maxRetryDelayMs));
  const refuse = options.onRefusedItem;
  const companyList = (json: unknown, endpoint: string) => asCompanyList(json, endpoint, refuse);
  const projectList = (json: unknown, endpoint: string) => asProjectList(json, endpoint, refuse);
  // Free companies too: Procore leaves them out of /companies unless asked.
  const companiesUrl = (page: number, perPage: number) =>
    `${apiUrl}${COMPANIES_PATH}?include_free_companies=true&page=${page}&per_page=${perPage}`;

  /** `maxBodyBytes`: SMALL_BODY_MAX_BYTES for `/me`, LIST_PAGE_MAX_BYTES for list pages and projects. */
  function get(url: string, auth: CallAuth, maxBodyBytes: number): Promise<ProcoreHttpResponse> {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${auth.accessToken}`,
      Accept: 'application/json',
    };
    if (auth.companyId !== undefined) headers['Procore-Company-Id'] = String(auth.companyId);
    return procoreRequest(settings, {
      kind: 'rest',
      method: 'GET',
      url,
      headers,
      idempotent: true,
      secrets: [auth.accessToken],
      maxBodyBytes,
      rateLimit: pacer.forToken(auth.accessToken),
    });
  }

  /**
   * A rel="next" URL is only followed on the API host and the same path: the bearer token must
   * never be sent anywhere else.
   */
  function checkNextUrl(next: string, path: string): URL {
    const url = new URL(next);
    if (url.origin !== apiOrigin || url.pathname !== path) {
      throw new ProcoreError('bad_response', `Procore GET ${path} linked to a next page outside ${path}`, {
        endpoint: `GET ${path}`,
      });
    }
    return url;
  }

  async function fetchListPage<T>(
    url: string,
    auth: CallAuth,
    requested: { page: number; perPage: number },
    parse: (json: unknown, endpoint: string) => T[],
  ): Promise<FetchedPage<T>> {
    const response = await get(url, auth, LIST_PAGE_MAX_BYTES);
    return pageFromResponse(parse(response.json, response.endpoint), response.headers, requested, url);
  }

  function followNext<T>(auth: CallAuth, path: string, parse: (json: unknown, endpoint: string) => T[]) {
    return (next: string, previous: FetchedPage<T>): Promise<FetchedPage<T>> => {
      const url = checkNextUrl(next, path);
      const page = Number(url.searchParams.get('page'));
      const perPage = Number(url.searchParams.get('per_page'));
      return fetchListPage(
        url.toString(),
        auth,
        {
          page: Number.isSafeInteger(page) && page > 0 ? page : previous.page + 1,
          perPage: Number.isSafeInteger(perPage) && perPage > 0 ? perPage : previous.perPage,
        },
        parse,
      );
    };
  }

  function projectsUrl(companyId: number, query: ProjectListQuery, page: number, perPage: number): string {
    const params = new URLSearchParams({
      company_id: String(companyId),
      page: String(page),
      per_page: String(perPage),
    });
    if (query.status !== undefined) params.set('filters[by_status]', query.status);
    if (query.name !== undefined) params.set('filters[name]', query.name);
    if (query.sort !== undefined) params.set('sort', query.sort);
    return `${apiUrl}${PROJECTS_PATH}?${params.toString()}`;
  }

  function fetchProjectsPage(
    auth: CallAuth & { companyId: number },
    query: ProjectListQuery,
    page: number,
    perPage: number,
  ): Promise<FetchedPage<ProcoreProject>> {
    const size = clampPerPage(perPage);
    const number = Math.max(1, Math.floor(page) || 1);
    return fetchListPage(
      projectsUrl(auth.companyId, query, number, size),
      auth,
      { page: number, perPage: size },
      projectList,
    );
  }

  return {
    async me(auth) {
      const response = await get(`${apiUrl}${ME_PATH}`, auth, SMALL_BODY_MAX_BYTES);
      return asUser(response.json, response.endpoint);
    },

    async companies(auth): Promise<ProcoreCompany[]> {
      const requested = { page: 1, perPage: COMPANIES_PER_PAGE };
      const first = await fetchListPage(companiesUrl(1, COMPANIES_PER_PAGE), auth, requested, companyList);
      const items = await collectPages({
        first,
        fetchPage: (page, perPage) => fetchListPage(companiesUrl(page, perPage), auth, { page, perPage }, companyList),
        fetchNext: followNext(auth, COMPANIES_PATH, companyList),
        concurrency: DEFAULT_PAGE_CONCURRENCY,
        endpoint: `GET ${COMPANIES_PATH}`,
      });
      return uniqueById(items);
    },

    async companyBaseUrl(auth) {
      const response = await get(`${apiUrl}${COMPANY_BASE_URL_PATH}`, auth, SMALL_BODY_MAX_BYTES);
      return asCompanyBaseUrl(response.json, response.endpoint);
    },

    async projectsPage(auth, query) {
      return toPage(await fetchProjectsPage(auth, query, query.page, query.perPage));
    },

    async allProjects(auth, query = {}, pageOptions = {}) {
      const perPage = pageOptions.perPage ?? PROJECTS_MAX_PER_PAGE;
      const concurrency = Math.max(1, Math.floor(pageOptions.concurrency ?? DEFAULT_PAGE_CONCURRENCY) || 1);
      const first = await fetchProjectsPage(auth, query, 1, perPage);
      const { onProgress } = pageOptions;
      let loaded = 0;
      const items = await collectPages({
        first,
        fetchPage: (page, size) => fetchProjectsPage(auth, query, page, size),
        fetchNext: followNext(auth, PROJECTS_PATH, projectList),
        concurrency,
        endpoint: `GET ${PROJECTS_PATH}`,
        onPage:
          onProgress &&
          ((page) => {
            loaded += page.items.length;
            onProgress({ page: page.page, items: page.items, loaded, total: first.total });
          }),
      });
      return uniqueById(items);
    },

    async project(auth, projectId) {
      const params = new URLSearchParams({ company_id: String(auth.companyId) });
      const response = await get(
        `${apiUrl}${PROJECTS_PATH}/${encodeURIComponent(String(projectId))}?${params.toString()}`,
        auth,
        LIST_PAGE_MAX_BYTES,
      );
      return asProject(response.json, response.endpoint);
    },

    rateLimitOf(accessToken) {
      return pacer.stateOf(accessToken);
    },
  };
}
