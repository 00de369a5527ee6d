import { PROJECTS_MAX_PER_PAGE, type ProcoreApiClient } from '../procore/contracts';
import type { ProjectStatusFilter } from '../procore/types';
import type { Lock } from '../procore-auth';
import type { RedisClient } from '../redis';
import { ListCache, type CacheCodec, type CacheRead, type LoadState, type ReadOptions } from './list-cache';
import {
  decodeCompanies,
  decodeProjects,
  encodeCompanies,
  encodeProjects,
  summarizeCompany,
  summarizeProject,
  type CompanySummary,
  type ProjectSummary,
} from './project-summary';
import { ProjectIndex } from './query';

/**
 * Runs one Procore call with the signed-in person's access token (on the web: the request's
 * `res.locals.procore.call`, which refreshes once and retries on a 401).
 */
export type WithAccessToken = <T>(operation: (accessToken: string) => Promise<T>) => Promise<T>;

export interface ProjectCatalogOptions {
  redis: RedisClient;
  api: ProcoreApiClient;
  /** e.g. `pd:`; the catalog's keys live under `<prefix>catalog:`. */
  keyPrefix: string;
  /** Makes a first load single-flight across instances (the app passes sign-in's Redis lock). */
  lock: Lock;
  /** PROJECTS_CACHE_SECONDS. */
  cacheSeconds: number;
  /** The app's clock: cache ages and the wait for another instance's first load. */
  now?: () => number;
  onWriteError?: (error: unknown) => void;
}

/** `company_base_url` questions asked at once while a company list loads. */
const ZONE_CONCURRENCY = 4;

/** How long an older copy is kept, to be shown while Procore fails (at least the cache TTL). */
const STALE_SECONDS = 86_400;

const projectCodec: CacheCodec<ProjectIndex> = {
  encode: (index) => encodeProjects(index.items),
  decode: (text) => new ProjectIndex(decodeProjects(text)),
  size: (index) => index.size,
};

const companyCodec: CacheCodec<CompanySummary[]> = {
  encode: encodeCompanies,
  decode: decodeCompanies,
  size: (companies) => companies.length,
};

/**
 * Every project of a company a person can see, read from Procore page by page and cached in Redis
 * per Procore user, company and status filter (lists differ per person: Procore decides who sees
 * what). Knows nothing about HTTP.
 */
export class ProjectCatalog {
  private readonly cache: ListCache;
  private readonly prefix: string;

  constructor(private readonly options: ProjectCatalogOptions) {
    this.prefix = `${options.keyPrefix}catalog:`;
    this.cache = new ListCache(options.redis, {
      freshSeconds: options.cacheSeconds,
      staleSeconds: Math.max(STALE_SECONDS, options.cacheSeconds),
      now: options.now,
      onWriteError: options.onWriteError,
      // A first load is single-flight across instances: the one holding `<key>:loading` asks Procore.
      lock: options.lock,
    });
  }

  projectsKey(userId: number, companyId: number, status: ProjectStatusFilter): string {
    return `${this.prefix}projects:${userId}:${companyId}:${status}`;
  }

  companiesKey(userId: number): string {
    return `${this.prefix}companies:${userId}`;
  }

  /** The companies this person can reach, each with its zone's web host. */
  async companies(userId: number, withToken: WithAccessToken, options: Pick<ReadOptions, 'refresh'> = {}) {
    const key = this.companiesKey(userId);
    const read = await this.cache.read(
      key,
      companyCodec,
      async () => {
        const known = await this.cache.peek(key, companyCodec).catch(() => undefined);
        return withToken(async (accessToken) =>
          this.withWebUrls(
            (await this.options.api.companies({ accessToken })).map(summarizeCompany),
            known?.value ?? [],
            accessToken,
          ),
        );
      },
      options,
    );
    if (read.kind !== 'value') throw new Error('companies are always awaited');
    return read;
  }

  /**
   * Each company's web host, asked once per company (`company_base_url`): hosts the previous copy
   * knew are kept. A question that fails leaves the host unknown (links then use the environment's
   * host) and is asked again with the next load; it never fails the list.
   */
  private async withWebUrls(
    companies: CompanySummary[],
    known: readonly CompanySummary[],
    accessToken: string,
  ): Promise<CompanySummary[]> {
    const knownUrls = new Map(known.map((company) => [company.id, company.webUrl]));
    for (const company of companies) company.webUrl = knownUrls.get(company.id);
    const toAsk = companies.filter((company) => company.webUrl === undefined);
    const ask = async (): Promise<void> => {
      for (let company = toAsk.shift(); company; company = toAsk.shift()) {
        const answer = await this.options.api
          .companyBaseUrl({ accessToken, companyId: company.id })
          .catch(() => undefined);
        company.webUrl = answer?.web_base_url;
      }
    };
    await Promise.all(Array.from({ length: Math.min(ZONE_CONCURRENCY, toAsk.length) }, ask));
    return companies;
  }

  /**
   * Every project of a company with `filters[by_status]`, asked for in name order (`sort=name`), so
   * the first pages to arrive are the first rows of the list. With `waitMs`, answers `pending` when
   * Procore takes longer than that (the load goes on; ask again for the result); with `partial`,
   * answers what has arrived as soon as the first page is in.
   */
  projects(
    userId: number,
    companyId: number,
    status: ProjectStatusFilter,
    withToken: WithAccessToken,
    options: ReadOptions = {},
  ): Promise<CacheRead<ProjectIndex>> {
    return this.cache.read(
      this.projectsKey(userId, companyId, status),
      projectCodec,
      async (progress) => {
        const projects = await withToken((accessToken) => {
          // Per attempt: a retry after a 401 starts again from page 1.
          const arrived: ProjectSummary[] = [];
          return this.options.api.allProjects(
            { accessToken, companyId },
            { status, sort: 'name' },
            {
              perPage: PROJECTS_MAX_PER_PAGE,
              onProgress: (page) => {
                for (const project of page.items) arrived.push(summarizeProject(project));
                progress({ loaded: page.loaded, total: page.total, value: () => new ProjectIndex(arrived.slice()) });
              },
            },
          );
        });
        return new ProjectIndex(projects.map(summarizeProject));
      },
      options,
    );
  }

  /** Where the first load of this list stands (for the page's progress line). */
  projectsLoad(userId: number, companyId: number, status: ProjectStatusFilter): Promise<LoadState> {
    return this.cache.progress(this.projectsKey(userId, companyId, status));
  }

  /** A project from a cached list (any age), for when Procore cannot be asked. */
  async cachedProject(
    userId: number,
    companyId: number,
    projectId: number,
  ): Promise<{ project: ProjectSummary; fetchedAt: number } | undefined> {
    for (const status of ['All', 'Active', 'Inactive'] as const) {
      const stored = await this.cache.peek(this.projectsKey(userId, companyId, status), projectCodec);
      const project = stored?.value.find(projectId);
      if (stored && project) return { project, fetchedAt: stored.fetchedAt };
    }
    return undefined;
  }
}
