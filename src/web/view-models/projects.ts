import type { CompanySummary } from '../../projects/project-summary';
import type { ProcoreWebLinks } from '../../procore/web-links';
import { DEFAULT_QUERY, listSearch, type ListPage, type ListQuery, type StageCount } from '../../projects/query';
import { formatAge, paginationLinks, projectRows, sortOptions, statusOptions, summaryText, type ProjectRow } from '../projects/view-model';
import type { LayoutView } from './layout';
import { timeView, type TimeView } from './local-time';
import { localsOf } from './locals';
import { stageChart, type StageChart } from './stage-chart';

/** What the listing section of a page is rendered from: one page of the list and the stage counts. */
export interface ListingContent {
  list: ListPage;
  /** Projects per stage of the company, status and search (ProjectIndex.stageMix). */
  stageMix: readonly StageCount[];
}

/**
 * A project list as read from the catalog, for one company and query: its listing section either
 * to be rendered (`list`, `stageMix`) or already rendered (`html`, see projectListing).
 */
export type Listing = {
  fetchedAt: number;
  /** Served from the saved copy because Procore did not answer. */
  stale: boolean;
} & (ListingContent | { html: string });

/** partials/project-listing: filters, stage chart, summary, table and pagination of one list page. */
export interface ProjectListingView {
  company: CompanySummary;
  /** With the page shown. */
  query: ListQuery;
  sortOptions: typeof sortOptions;
  statusOptions: typeof statusOptions;
  list: ListPage;
  rows: ProjectRow[];
  summary: string;
  pagination: ReturnType<typeof paginationLinks>;
  isFiltered: boolean;
  /** A search that found nothing among one status: the same search over every status. */
  searchAllStatusesHref: string | undefined;
  /** Every project of this list (all pages) as CSV. */
  csvHref: string;
  stageChart: StageChart | undefined;
}

export const PROJECT_LISTING_LOCALS = localsOf<ProjectListingView>({
  company: true,
  query: true,
  sortOptions: true,
  statusOptions: true,
  list: true,
  rows: true,
  summary: true,
  pagination: true,
  isFiltered: true,
  searchAllStatusesHref: true,
  csvHref: true,
  stageChart: true,
});

/**
 * The listing section of one list page. It depends only on the list copy, the company and the
 * query (never on the person's session), so the route renders it once and reuses it.
 */
export function projectListing(company: CompanySummary, listQuery: ListQuery, content: ListingContent, links: ProcoreWebLinks): ProjectListingView {
  const { list } = content;
  const query = { ...listQuery, page: list.page };
  return {
    company,
    query,
    sortOptions,
    statusOptions,
    list,
    rows: projectRows(list.rows, company.id, query, links),
    summary: summaryText(list, query),
    pagination: paginationLinks(list, query),
    isFiltered: query.q !== '' || query.status !== DEFAULT_QUERY.status || query.sort !== DEFAULT_QUERY.sort || query.stage !== '',
    searchAllStatusesHref: query.q !== '' && query.status !== 'All' ? `/projects${listSearch({ ...query, companyId: company.id, status: 'All', page: 1 })}` : undefined,
    csvHref: `/projects.csv${listSearch({ ...query, companyId: company.id, page: 1 })}`,
    stageChart: stageChart(content.stageMix, query),
  };
}

export interface ProjectsView {
  layout: LayoutView;
  companies: readonly CompanySummary[];
  /** More than one company to choose from: the picker (select + Show button) is on the page. */
  showCompanyPicker: boolean;
  /** The company shown, if any. */
  company: CompanySummary | undefined;
  query: ListQuery;
  notice: string | undefined;
  /** The person's Procore account cannot see this company (403). */
  noAccess: boolean;
  /** A list was read: the freshness line, the Refresh button and the listing are on the page. */
  listed: boolean;
  /** The listing section already rendered (reused across requests), else rendered from `listing`. */
  listingHtml: string | undefined;
  listing: ProjectListingView | undefined;
  fetchedAtIso: string | undefined;
  age: string | undefined;
  /** When the list shown was read from Procore (said outright when it is a stale copy; else undefined). */
  savedAt: TimeView | undefined;
  stale: boolean;
  /** The company's home in Procore's web app. */
  procoreCompanyHref: string | undefined;
}

export const PROJECTS_LOCALS = localsOf<ProjectsView>({
  layout: true,
  companies: true,
  showCompanyPicker: true,
  company: true,
  query: true,
  notice: true,
  noAccess: true,
  listed: true,
  listingHtml: true,
  listing: true,
  fetchedAtIso: true,
  age: true,
  savedAt: true,
  stale: true,
  procoreCompanyHref: true,
});

export interface ProjectsPageInput {
  companies: readonly CompanySummary[];
  company: CompanySummary | undefined;
  /** With the shown company's id once one is picked. */
  query: ListQuery;
  notice: string | undefined;
  noAccess?: boolean;
  listing?: Listing;
  /** Epoch ms, for "updated 3 minutes ago". */
  now: number;
  links: ProcoreWebLinks;
}

export function projectsPage(layout: LayoutView, input: ProjectsPageInput): ProjectsView {
  const { company, listing } = input;
  const stale = listing?.stale ?? false;
  const rendered = listing && 'html' in listing ? listing.html : undefined;
  const toRender = listing && !('html' in listing) ? listing : undefined;
  return {
    layout,
    companies: input.companies,
    showCompanyPicker: input.companies.length > 1,
    company,
    query: toRender ? { ...input.query, page: toRender.list.page } : input.query,
    notice: input.notice,
    noAccess: input.noAccess ?? false,
    listed: listing !== undefined,
    listingHtml: rendered,
    listing: company && toRender ? projectListing(company, input.query, toRender, input.links) : undefined,
    fetchedAtIso: listing ? new Date(listing.fetchedAt).toISOString() : undefined,
    age: listing ? formatAge(input.now - listing.fetchedAt) : undefined,
    savedAt: listing && stale ? timeView(listing.fetchedAt) : undefined,
    stale,
    procoreCompanyHref: company && listing ? input.links.company(company.id) : undefined,
  };
}

export interface ProjectsLoadingView {
  layout: LayoutView;
  company: CompanySummary;
  reloadHref: string;
}

export const PROJECTS_LOADING_LOCALS = localsOf<ProjectsLoadingView>({ layout: true, company: true, reloadHref: true });

export function projectsLoadingPage(layout: LayoutView, view: Omit<ProjectsLoadingView, 'layout'>): ProjectsLoadingView {
  return { layout, company: view.company, reloadHref: view.reloadHref };
}

/** partials/project-table (also rendered by the benchmark's baseline page). */
export interface ProjectTableView {
  rows: readonly ProjectRow[];
  caption: string;
}

export const PROJECT_TABLE_LOCALS = localsOf<ProjectTableView>({ rows: true, caption: true });
