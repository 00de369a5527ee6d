import type { CompanySummary } from '../../projects/project-summary';
import type { ProcoreWebLinks } from '../../procore/web-links';
import { DEFAULT_QUERY, listSearch, type ListPage, type ListQuery, type StageCount } from '../../projects/query';
import { formatAge, paginationLinks, projectRows, sortOptions, statusOptions, summaryText, type ProjectRow } from '../projects/view-model';
import type { LayoutView } from './layout';
import { timeView, type TimeView } from './local-time';
import { localsOf } from './locals';
import { stageChart, type StageChart } from './stage-chart';

/** A project list as read from the catalog, for one company and query. */
export interface Listing {
  list: ListPage;
  /** Projects per stage of the company, status and search (ProjectIndex.stageMix). */
  stageMix: readonly StageCount[];
  fetchedAt: number;
  /** Served from the saved copy because Procore did not answer. */
  stale: boolean;
  /** The table of this page already rendered from `projectTable` (web/projects/table-fragments); else it is rendered from `rows`. */
  tableHtml?: string;
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
  sortOptions: typeof sortOptions;
  statusOptions: typeof statusOptions;
  /** The rest is there only when a list was read (`list` set). */
  list: ListPage | undefined;
  rows: ProjectRow[];
  summary: string;
  /** The project table, rendered once per list copy and query and reused (else undefined: rendered from `rows`). */
  tableHtml: string | undefined;
  pagination: ReturnType<typeof paginationLinks> | undefined;
  fetchedAtIso: string | undefined;
  age: string | undefined;
  /** When the list shown was read from Procore (said outright when it is a stale copy). */
  savedAt: TimeView | undefined;
  stale: boolean;
  isFiltered: boolean;
  /** A search that found nothing among one status: the same search over every status. */
  searchAllStatusesHref: string | undefined;
  /** The company's home in Procore's web app. */
  procoreCompanyHref: string | undefined;
  /** Every project of this list (all pages) as CSV. */
  csvHref: string | undefined;
  stageChart: StageChart | undefined;
}

export const PROJECTS_LOCALS = localsOf<ProjectsView>({
  layout: true,
  companies: true,
  showCompanyPicker: true,
  company: true,
  query: true,
  notice: true,
  noAccess: true,
  sortOptions: true,
  statusOptions: true,
  list: true,
  rows: true,
  summary: true,
  tableHtml: true,
  pagination: true,
  fetchedAtIso: true,
  age: true,
  savedAt: true,
  stale: true,
  isFiltered: true,
  searchAllStatusesHref: true,
  procoreCompanyHref: true,
  csvHref: true,
  stageChart: true,
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
  const query = listing ? { ...input.query, page: listing.list.page } : input.query;
  const list = listing?.list;
  return {
    layout,
    companies: input.companies,
    showCompanyPicker: input.companies.length > 1,
    company,
    query,
    notice: input.notice,
    noAccess: input.noAccess ?? false,
    sortOptions,
    statusOptions,
    list,
    rows: list && company && listing?.tableHtml === undefined ? projectRows(list.rows, company.id, query, input.links) : [],
    tableHtml: listing?.tableHtml,
    summary: list ? summaryText(list, query) : '',
    pagination: list ? paginationLinks(list, query) : undefined,
    fetchedAtIso: listing ? new Date(listing.fetchedAt).toISOString() : undefined,
    age: listing ? formatAge(input.now - listing.fetchedAt) : undefined,
    savedAt: listing ? timeView(listing.fetchedAt) : undefined,
    stale: listing?.stale ?? false,
    isFiltered: query.q !== '' || query.status !== DEFAULT_QUERY.status || query.sort !== DEFAULT_QUERY.sort || query.stage !== '',
    searchAllStatusesHref:
      company && query.q !== '' && query.status !== 'All' ? `/projects${listSearch({ ...query, companyId: company.id, status: 'All', page: 1 })}` : undefined,
    procoreCompanyHref: company && listing ? input.links.company(company.id) : undefined,
    csvHref: listing && company ? `/projects.csv${listSearch({ ...query, companyId: company.id, page: 1 })}` : undefined,
    stageChart: listing ? stageChart(listing.stageMix, query) : undefined,
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

/** The table of one list page, as the projects page shows it (`query` with the page shown). */
export function projectTable(list: ListPage, companyId: number, query: ListQuery, links: ProcoreWebLinks): ProjectTableView {
  return { rows: projectRows(list.rows, companyId, query, links), caption: summaryText(list, query) };
}
