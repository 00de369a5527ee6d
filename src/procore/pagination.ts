import { ProcoreError } from './errors';
import { findLink } from './link-header';
import type { Page } from './types';

/** A page plus the absolute URL of rel="next", which the public `Page` does not carry. */
export interface FetchedPage<T> extends Page<T> {
  nextUrl: string | undefined;
}

function positiveInteger(value: string | null): number | undefined {
  if (value === null || !/^\s*\d+\s*$/.test(value)) return undefined;
  const parsed = Number(value.trim());
  return Number.isSafeInteger(parsed) ? parsed : undefined;
}

/**
 * Reads `Total`, `Per-Page` and `Link` into a page. `requested` is what we asked for: `Per-Page`
 * wins over it when present (Procore caps `per_page` per endpoint). `url` resolves relative links.
 */
export function pageFromResponse<T>(
  items: T[],
  headers: Headers,
  requested: { page: number; perPage: number },
  url: string,
): FetchedPage<T> {
  const perPageHeader = positiveInteger(headers.get('per-page'));
  const nextUrl = findLink(headers.get('link'), 'next', url);
  return {
    items,
    page: requested.page,
    perPage: perPageHeader !== undefined && perPageHeader > 0 ? perPageHeader : requested.perPage,
    total: positiveInteger(headers.get('total')),
    hasNext: nextUrl !== undefined,
    nextUrl,
  };
}

/** The public shape, without the next URL. */
export function toPage<T>(page: FetchedPage<T>): Page<T> {
  return { items: page.items, page: page.page, perPage: page.perPage, total: page.total, hasNext: page.hasNext };
}

/**
 * Runs `fn` over `inputs` with at most `concurrency` calls in flight; results keep the input order.
 * On the first failure no new call starts; the calls in flight are let finish, then it rejects.
 */
export async function mapWithConcurrency<I, O>(
  inputs: readonly I[],
  concurrency: number,
  fn: (input: I, index: number) => Promise<O>,
): Promise<O[]> {
  const results = new Array<O>(inputs.length);
  const limit = Math.max(1, Math.min(Math.floor(concurrency) || 1, inputs.length));
  let next = 0;
  let failed = false;
  let firstError: unknown;

  const worker = async (): Promise<void> => {
    while (!failed && next < inputs.length) {
      const index = next++;
      try {
        results[index] = await fn(inputs[index] as I, index);
      } catch (error) {
        if (!failed) {
          failed = true;
          firstError = error;
        }
      }
    }
  };

  await Promise.all(Array.from({ length: inputs.length === 0 ? 0 : limit }, worker));
  if (failed) throw firstError;
  return results;
}

/** A ceiling so that a misbehaving server cannot keep us paging forever. */
export const DEFAULT_MAX_PAGES = 10_000;

export interface CollectPagesOptions<T> {
  first: FetchedPage<T>;
  /** Fetches page `n` (used when `Total` is known). */
  fetchPage: (page: number, perPage: number) => Promise<FetchedPage<T>>;
  /** Fetches the rel="next" URL of `previous`. */
  fetchNext: (url: string, previous: FetchedPage<T>) => Promise<FetchedPage<T>>;
  concurrency: number;
  maxPages?: number;
  /** Sees each page as it arrives (the first one included), in the order they arrive. */
  onPage?: (page: FetchedPage<T>) => void;
  /** For error details. */
  endpoint: string;
}

/**
 * Every item of a paginated list, in page order. With `Total`: pages 2..ceil(total/perPage) with
 * bounded concurrency. Then (or without `Total`) follows rel="next" from the last page read, one
 * page at a time, so a short page or a list that grew meanwhile does not lose items.
 */
export async function collectPages<T>(options: CollectPagesOptions<T>): Promise<T[]> {
  const { first, endpoint } = options;
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  const pages: FetchedPage<T>[] = [first];
  const arrived = (page: FetchedPage<T>): FetchedPage<T> => {
    options.onPage?.(page);
    return page;
  };
  arrived(first);

  if (first.total !== undefined && first.perPage > 0) {
    const lastPage = Math.ceil(first.total / first.perPage);
    if (lastPage > maxPages) {
      throw new ProcoreError('bad_response', `Procore ${endpoint} announced more than ${maxPages} pages`, { endpoint });
    }
    const rest: number[] = [];
    for (let n = first.page + 1; n <= lastPage; n++) rest.push(n);
    pages.push(
      ...(await mapWithConcurrency(rest, options.concurrency, async (n) =>
        arrived(await options.fetchPage(n, first.perPage)),
      )),
    );
  }

  const seen = new Set<string>();
  let current = pages[pages.length - 1] as FetchedPage<T>;
  while (current.nextUrl !== undefined) {
    if (seen.has(current.nextUrl) || pages.length >= maxPages) {
      throw new ProcoreError('bad_response', `Procore ${endpoint} pagination does not end`, { endpoint });
    }
    seen.add(current.nextUrl);
    current = arrived(await options.fetchNext(current.nextUrl, current));
    pages.push(current);
  }

  return pages.flatMap((page) => page.items);
}
