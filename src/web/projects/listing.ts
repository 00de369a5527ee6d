import type { ProcoreWebLinks } from '../../procore/web-links';
import { shortAddress, type CompanySummary, type ProjectSummary } from '../../projects/project-summary';
import { DEFAULT_QUERY, listSearch, NO_STAGE, SORTS, STATUSES, type ListPage, type ListQuery, type SortOption, type StageCount } from '../../projects/query';
import { localsOf } from '../view-models/locals';
import { paginationLinks } from './pagination';
import { stageChart, type StageChart } from './stage-chart';

/** One row of the project table (also rendered by the benchmark's baseline page). */
export interface ProjectRow {
  href: string;
  name: string;
  number: string;
  address: string;
  stage: string;
  active: boolean;
  /** An "Inactive" badge, except where the list holds only inactive projects (it would be on every row). */
  inactiveBadge: boolean;
  /** The project in Procore's web app. */
  procoreHref: string;
}

export function projectRows(rows: readonly ProjectSummary[], companyId: number, query: ListQuery, links: ProcoreWebLinks): ProjectRow[] {
  // The list's own query rides along, so "back to the list" returns to the same search and page.
  const back = listSearch({ ...query, companyId }).slice(1);
  return rows.map((project) => ({
    href: `/projects/${project.id}?${back}`,
    name: project.name,
    number: project.number ?? '—',
    address: shortAddress(project) ?? '—',
    stage: project.stage ?? '—',
    active: project.active,
    inactiveBadge: !project.active && query.status !== 'Inactive',
    procoreHref: links.project(companyId, project.id),
  }));
}

export const SORT_LABELS: Record<SortOption, string> = {
  name: 'Name (A–Z)',
  '-name': 'Name (Z–A)',
  number: 'Number (low–high)',
  '-number': 'Number (high–low)',
};

export const sortOptions = SORTS.map((value) => ({ value, label: SORT_LABELS[value] }));
export const statusOptions = STATUSES.map((value) => ({ value, label: value === 'All' ? 'All statuses' : value }));

/** "Showing 1–50 of 250 active projects" / "… matching “oak”". */
export function summaryText(list: ListPage, query: ListQuery): string {
  const kind = query.status === 'All' ? 'projects' : `${query.status.toLowerCase()} projects`;
  const noun = (n: number): string => (n === 1 ? kind.replace(/s$/, '') : kind);
  const stage = !query.stage ? '' : query.stage === NO_STAGE ? ' without a stage' : ` at stage “${query.stage}”`;
  if (query.q) {
    if (list.matching === 0) return `No ${kind}${stage} match “${query.q}”`;
    return `Showing ${list.from}–${list.to} of ${list.matching} ${noun(list.matching)}${stage} matching “${query.q}” (${list.total} in total)`;
  }
  if (stage) {
    if (list.matching === 0) return `No ${kind}${stage}`;
    return `Showing ${list.from}–${list.to} of ${list.matching} ${noun(list.matching)}${stage} (${list.total} in total)`;
  }
  if (list.total === 0) return `No ${kind}`;
  return `Showing ${list.from}–${list.to} of ${list.total} ${noun(list.total)}`;
}

/** What the listing section of a page is rendered from: one page of the list and the stage counts. */
export interface ListingContent {
  list: ListPage;
  /** Projects per stage of the company, status and search (ProjectIndex.stageMix). */
  stageMix: readonly StageCount[];
}

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

/** partials/project-table (also rendered by the benchmark's baseline page). */
export interface ProjectTableView {
  rows: readonly ProjectRow[];
  caption: string;
}

export const PROJECT_TABLE_LOCALS = localsOf<ProjectTableView>({ rows: true, caption: true });
