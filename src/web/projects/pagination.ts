import { formatCount } from '../view-models/number-format';
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

/** The page numbers to show, with a lone left-out page shown instead of a "…" standing for it. */
function withoutLoneGaps(wanted: Iterable<number>): Set<number> {
  const sorted = [...new Set(wanted)].sort((a, b) => a - b);
  const shown = new Set(sorted);
  for (let i = 1; i < sorted.length; i += 1) if (sorted[i]! - sorted[i - 1]! === 2) shown.add(sorted[i]! - 1);
  return shown;
}

/**
 * Previous · 1 … 4 5 6 … 20 · Next; on a phone 1 … 5 … 20 (the neighbours hidden, a "…" wherever
 * pages are skipped). A "…" always stands for two pages or more: "1 2 3 4 5", never "1 2 3 … 5".
 */
export function paginationLinks(
  list: Pick<ListPage, 'page' | 'pageCount'>,
  query: ListQuery,
): { previous?: string; next?: string; pages: PageLink[] } {
  const href = (page: number): string => `/projects${listSearch({ ...query, page })}`;
  const { page, pageCount } = list;
  const inRange = (n: number): boolean => n >= 1 && n <= pageCount;
  const wide = withoutLoneGaps([1, pageCount, page - 1, page, page + 1].filter(inRange));
  const narrow = withoutLoneGaps([1, page, pageCount].filter(inRange));
  const gap = (shown: PageLink['shown']): PageLink => ({
    label: '…',
    href: undefined,
    current: false,
    ariaLabel: '',
    gap: true,
    shown,
  });
  const pages: PageLink[] = [];
  // The last number shown at each width: a "…" goes wherever that width skips pages.
  let lastWide = 0;
  let lastNarrow = 0;
  for (const n of [...new Set([...wide, ...narrow])].sort((a, b) => a - b)) {
    const wideGap = wide.has(n) && n - lastWide > 1;
    const narrowGap = narrow.has(n) && n - lastNarrow > 1;
    if (wideGap || narrowGap) pages.push(gap(wideGap && narrowGap ? 'all' : wideGap ? 'wide' : 'narrow'));
    if (wide.has(n)) lastWide = n;
    if (narrow.has(n)) lastNarrow = n;
    const label = formatCount(n);
    pages.push({
      label,
      href: href(n),
      current: n === page,
      ariaLabel: n === page ? `Page ${label}, current page` : `Page ${label}`,
      shown: wide.has(n) && narrow.has(n) ? 'all' : wide.has(n) ? 'wide' : 'narrow',
    });
  }
  return {
    previous: page > 1 ? href(page - 1) : undefined,
    next: page < pageCount ? href(page + 1) : undefined,
    pages,
  };
}
