import { listSearch, type ListPage, type ListQuery } from '../../projects/query';

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
