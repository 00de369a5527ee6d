import type { ProcoreWebLinks } from '../../procore/web-links';
import { shortAddress, type ProjectSummary } from '../../projects/project-summary';
import { listSearch, NO_STAGE, SORTS, STATUSES, type ListPage, type ListQuery, type SortOption } from '../../projects/query';

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

export interface PageLink {
  label: string;
  href: string | undefined;
  current: boolean;
  /** Read by screen readers instead of the bare number. */
  ariaLabel: string;
  gap?: boolean;
  /** Where it shows: `all` widths, only `wide` ones, or only `narrow` (phone) ones. */
  shown: 'all' | 'wide' | 'narrow';
}

/**
 * Previous · 1 … 4 5 6 … 20 · Next; on a phone 1 … 5 … 20 (the neighbours hidden, a "…" wherever
 * pages are skipped).
 */
export function paginationLinks(list: Pick<ListPage, 'page' | 'pageCount'>, query: ListQuery): { previous?: string; next?: string; pages: PageLink[] } {
  const href = (page: number): string => `/projects${listSearch({ ...query, page })}`;
  const { page, pageCount } = list;
  const narrow = new Set([1, page, pageCount]);
  const wanted = new Set([1, pageCount, page - 1, page, page + 1].filter((n) => n >= 1 && n <= pageCount));
  const gap = (shown: PageLink['shown']): PageLink => ({ label: '…', href: undefined, current: false, ariaLabel: '', gap: true, shown });
  const pages: PageLink[] = [];
  let last = 0;
  // Since the last page number shown on a phone: was a number left out there, was a "…" shown?
  let skippedOnPhone = false;
  let gapOnPhone = false;
  for (const n of [...wanted].sort((a, b) => a - b)) {
    if (n - last > 1) {
      pages.push(gap('all'));
      gapOnPhone = true;
    }
    if (!narrow.has(n)) {
      skippedOnPhone = true;
    } else {
      if (skippedOnPhone && !gapOnPhone) pages.push(gap('narrow'));
      skippedOnPhone = false;
      gapOnPhone = false;
    }
    pages.push({ label: String(n), href: href(n), current: n === page, ariaLabel: n === page ? `Page ${n}, current page` : `Page ${n}`, shown: narrow.has(n) ? 'all' : 'wide' });
    last = n;
  }
  return {
    previous: page > 1 ? href(page - 1) : undefined,
    next: page < pageCount ? href(page + 1) : undefined,
    pages,
  };
}

export const SORT_LABELS: Record<SortOption, string> = {
  name: 'Name (A–Z)',
  '-name': 'Name (Z–A)',
  number: 'Number (low–high)',
  '-number': 'Number (high–low)',
};

export const sortOptions = SORTS.map((value) => ({ value, label: SORT_LABELS[value] }));
export const statusOptions = STATUSES.map((value) => ({ value, label: value === 'All' ? 'All statuses' : value }));

/** "just now", "42 seconds ago", "3 minutes ago", "2 hours ago", "4 days ago". */
export function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} seconds ago`;
  const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'} ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return plural(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return plural(hours, 'hour');
  return plural(Math.floor(hours / 24), 'day');
}

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
