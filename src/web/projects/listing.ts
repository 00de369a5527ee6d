import type { LinkedCompany, ProcoreWebLinks } from '../../procore/web-links';
import { shortAddress, type CompanySummary, type ProjectSummary } from '../../projects/project-summary';
import {
  DEFAULT_QUERY,
  listSearch,
  MAX_SEARCH_LENGTH,
  NO_STAGE,
  SORTS,
  STATUSES,
  type ListPage,
  type ListQuery,
  type SortOption,
  type StageCount,
} from '../../projects/query';
import { localsOf } from '../view-models/locals';
import { paginationLinks } from './pagination';
import { formatCount } from '../view-models/number-format';
import { stageChart, stageLabel, type StageChart } from './stage-chart';

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

export function projectRows(
  rows: readonly ProjectSummary[],
  company: LinkedCompany,
  query: ListQuery,
  links: ProcoreWebLinks,
): ProjectRow[] {
  // The list's own query rides along, so "back to the list" returns to the same search and page.
  const back = listSearch({ ...query, companyId: company.id }).slice(1);
  return rows.map((project) => ({
    href: `/projects/${project.id}?${back}`,
    name: project.name,
    number: project.number ?? '—',
    address: shortAddress(project) ?? '—',
    stage: project.stage ?? '—',
    active: project.active,
    inactiveBadge: !project.active && query.status !== 'Inactive',
    procoreHref: links.project(company, project.id),
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

/** "Showing 1–50 of 250 active projects" / "… matching “oak”" (counts with thousands separators). */
export function summaryText(list: ListPage, query: ListQuery): string {
  const kind = query.status === 'All' ? 'projects' : `${query.status.toLowerCase()} projects`;
  const noun = (n: number): string => (n === 1 ? kind.replace(/s$/, '') : kind);
  const stage = !query.stage ? '' : query.stage === NO_STAGE ? ' without a stage' : ` at stage “${query.stage}”`;
  const shown = `${formatCount(list.from)}–${formatCount(list.to)}`;
  if (query.q) {
    if (list.matching === 0) return `No ${kind}${stage} match “${query.q}”`;
    return `Showing ${shown} of ${formatCount(list.matching)} ${noun(list.matching)}${stage} matching “${query.q}” (${formatCount(list.total)} in total)`;
  }
  if (stage) {
    if (list.matching === 0) return `No ${kind}${stage}`;
    return `Showing ${shown} of ${formatCount(list.matching)} ${noun(list.matching)}${stage} (${formatCount(list.total)} in total)`;
  }
  if (list.total === 0) return `No ${kind}`;
  return `Showing ${shown} of ${formatCount(list.total)} ${noun(list.total)}`;
}

/** What the listing section of a page is rendered from: one page of the list and the stage counts. */
export interface ListingContent {
  list: ListPage;
  /** Projects per stage of the company, status and search (ProjectIndex.stageMix). */
  stageMix: readonly StageCount[];
  /** The list is still loading: everything shown counts only the projects in so far. */
  partial?: { loaded: number; total: number | undefined };
}

/** "1,234 of 10,000 loaded" (or "1,234 loaded" when Procore sent no total). */
export function loadedText(partial: { loaded: number; total: number | undefined }): string {
  return `${formatCount(partial.loaded)}${partial.total === undefined ? '' : ` of ${formatCount(partial.total)}`} loaded`;
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
  /** Every project of this list (all pages) as CSV. */
  csvHref: string;
  stageChart: StageChart | undefined;
  /** The form's Stage field: every stage of the chart (the one asked for too, even at 0), "" for all. */
  stageOptions: { value: string; label: string }[] | undefined;
  /** What the page says when nothing is listed: never "no projects" while a filter hides them. */
  empty: EmptyListing | undefined;
  /** "1,234": list.matching as the page writes it. */
  matchingText: string;
  /** The search field's maxlength, said next to it (the server cuts longer searches there too). */
  searchMaxLength: number;
  /** While the list is loading: "so far" beside the stage counts; the CSV download says it waits for the rest. */
  partial: boolean;
}

/** The box shown instead of the table when nothing matches, with the ways out (the first is primary). */
export interface EmptyListing {
  title: string;
  text: string;
  actions: { id: string; label: string; href: string }[];
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
  csvHref: true,
  stageChart: true,
  stageOptions: true,
  empty: true,
  matchingText: true,
  searchMaxLength: true,
  partial: true,
});

/** A search shown on a button: at most 40 characters, a cut one ending in "…" (the text above says it whole). */
function clipped(text: string, max = 40): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

/**
 * Why nothing is listed, naming every filter that hides projects and offering to lift it. Only when
 * no filter narrows the list does it say the company has no such projects.
 */
export function emptyListing(
  company: CompanySummary,
  query: ListQuery,
  chart: StageChart | undefined,
  searchAllStatusesHref: string | undefined,
): EmptyListing {
  const kind = query.status === 'All' ? 'projects' : `${query.status.toLowerCase()} projects`;
  const atStage = !query.stage
    ? ''
    : query.stage === NO_STAGE
      ? ' without a stage'
      : ` at stage “${stageLabel(query.stage)}”`;
  const withoutStage = chart?.total ?? 0;
  const actions: EmptyListing['actions'] = [];
  if (searchAllStatusesHref)
    actions.push({
      id: 'search-all-statuses',
      label: `Search all statuses for “${clipped(query.q)}”`,
      href: searchAllStatusesHref,
    });
  if (query.stage && chart) {
    const label =
      withoutStage > 0
        ? `Clear the stage filter: show all ${formatCount(withoutStage)} ${kind}${query.q ? ' matching' : ''}`
        : 'Clear the stage filter';
    actions.push({ id: 'clear-stage', label, href: chart.allHref });
  }
  if (query.q) {
    const among = query.status === 'All' && !atStage ? '' : ` among ${kind}${atStage}`;
    const stageNote =
      query.stage && withoutStage > 0
        ? ` ${formatCount(withoutStage)} ${withoutStage === 1 ? `${kind.replace(/s$/, '')} matches` : `${kind} match`} at other stages.`
        : '';
    return {
      title: 'No matching projects',
      text: `Nothing in ${company.name} matches “${query.q}”${among}.${stageNote} Check the spelling, search for part of the name or number${query.status === 'All' ? '' : ', or look in all statuses'}.`,
      actions,
    };
  }
  if (query.stage && withoutStage > 0) {
    return {
      title: query.stage === NO_STAGE ? 'Every project here has a stage' : 'No projects at this stage',
      text: `None of ${company.name}'s ${formatCount(withoutStage)} ${kind} is${atStage || ' at this stage'}. The stage filter is still on from an earlier choice or link.`,
      actions,
    };
  }
  const all = { id: 'show-all', label: 'Show all active projects', href: `/projects?company_id=${company.id}` };
  return {
    title: 'No projects here',
    text: `${company.name} has no ${query.status === 'All' ? '' : `${query.status.toLowerCase()} `}projects you can see in Procore.`,
    actions:
      actions.length > 0
        ? actions
        : query.status !== DEFAULT_QUERY.status || query.sort !== DEFAULT_QUERY.sort
          ? [all]
          : [],
  };
}

/**
 * The listing section of one list page. It depends only on the list copy, the company and the
 * query (never on the person's session), so the route renders it once and reuses it.
 */
export function projectListing(
  company: CompanySummary,
  listQuery: ListQuery,
  content: ListingContent,
  links: ProcoreWebLinks,
): ProjectListingView {
  const { list } = content;
  const query = { ...listQuery, page: list.page };
  const chart = stageChart(content.stageMix, query);
  const searchAllStatusesHref =
    query.q !== '' && query.status !== 'All'
      ? `/projects${listSearch({ ...query, companyId: company.id, status: 'All', page: 1 })}`
      : undefined;
  return {
    company,
    query,
    sortOptions,
    statusOptions,
    list,
    rows: projectRows(list.rows, company, query, links),
    // Search, filters, counts and pages act on what has loaded until the list is complete: said so.
    summary: content.partial
      ? `${summaryText(list, query)}, among the projects loaded so far (${loadedText(content.partial)})`
      : summaryText(list, query),
    pagination: paginationLinks(list, query),
    isFiltered:
      query.q !== '' ||
      query.status !== DEFAULT_QUERY.status ||
      query.sort !== DEFAULT_QUERY.sort ||
      query.stage !== '',
    csvHref: `/projects.csv${listSearch({ ...query, companyId: company.id, page: 1 })}`,
    stageChart: chart,
    stageOptions: chart && [
      { value: '', label: `All stages (${formatCount(chart.total)})` },
      ...chart.bars.map((bar) => ({ value: bar.stage, label: `${bar.label} (${formatCount(bar.count)})` })),
    ],
    empty: list.matching === 0 ? emptyListing(company, query, chart, searchAllStatusesHref) : undefined,
    matchingText: formatCount(list.matching),
    searchMaxLength: MAX_SEARCH_LENGTH,
    partial: content.partial !== undefined,
  };
}

/** partials/pagination: Previous · page numbers · Next, above and below the table. */
export interface PaginationView {
  pagination: ReturnType<typeof paginationLinks>;
  /** The nav landmark's name: unique on the page. */
  label: string;
}

export const PAGINATION_LOCALS = localsOf<PaginationView>({ pagination: true, label: true });

/** partials/project-table (also rendered by the benchmark's baseline page). */
export interface ProjectTableView {
  rows: readonly ProjectRow[];
  caption: string;
}

export const PROJECT_TABLE_LOCALS = localsOf<ProjectTableView>({ rows: true, caption: true });
