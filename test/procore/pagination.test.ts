import { describe, expect, it } from 'vitest';
import { ProcoreError } from '../../src/procore/errors';
import { collectPages, mapWithConcurrency, pageFromResponse, type FetchedPage } from '../../src/procore/pagination';
import { routeOf } from '../../src/procore/route';

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('pageFromResponse', () => {
  it('when Total, Per-Page and a next link are present, then the page carries them', () => {
    const headers = new Headers({
      Total: '250',
      'Per-Page': '100',
      Link: '<https://api.test/rest/v1.0/projects?page=2>; rel="next"',
    });
    const page = pageFromResponse(
      [1, 2],
      headers,
      { page: 1, perPage: 300 },
      'https://api.test/rest/v1.0/projects?page=1',
    );
    expect(page).toEqual({
      items: [1, 2],
      page: 1,
      perPage: 100,
      total: 250,
      hasNext: true,
      nextUrl: 'https://api.test/rest/v1.0/projects?page=2',
    });
  });

  it('when the headers are missing, then total is unknown, per-page is what was asked and there is no next', () => {
    const page = pageFromResponse([], new Headers(), { page: 3, perPage: 50 }, 'https://api.test/x');
    expect(page).toMatchObject({ page: 3, perPage: 50, total: undefined, hasNext: false, nextUrl: undefined });
  });
});

describe('mapWithConcurrency', () => {
  it('when 10 tasks run with a limit of 3, then at most 3 run at once and results keep input order', async () => {
    let inFlight = 0;
    let max = 0;
    const results = await mapWithConcurrency([...Array(10).keys()], 3, async (n) => {
      inFlight++;
      max = Math.max(max, inFlight);
      await delay(10 + ((n * 7) % 5));
      inFlight--;
      return n * 2;
    });
    expect(results).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
    expect(max).toBe(3);
  });

  it('when a task fails, then no new task starts and the first error is thrown', async () => {
    const started: number[] = [];
    await expect(
      mapWithConcurrency([0, 1, 2, 3, 4, 5], 2, async (n) => {
        started.push(n);
        await delay(5);
        if (n === 1) throw new Error('boom');
        return n;
      }),
    ).rejects.toThrow('boom');
    expect(started.length).toBeLessThanOrEqual(3);
  });

  it('when there is nothing to do, then it resolves to an empty list', async () => {
    expect(await mapWithConcurrency([], 4, () => Promise.resolve(1))).toEqual([]);
  });
});

describe('collectPages', () => {
  const page = (n: number, items: number[], extra: Partial<FetchedPage<number>> = {}): FetchedPage<number> => ({
    items,
    page: n,
    perPage: 2,
    total: undefined,
    hasNext: false,
    nextUrl: undefined,
    ...extra,
  });

  it('when next links go round in a circle, then it stops with bad_response instead of paging forever', async () => {
    const error = await collectPages({
      first: page(1, [1], { hasNext: true, nextUrl: 'https://api.test/p?page=2' }),
      fetchPage: () => Promise.resolve(page(0, [])),
      fetchNext: (url) => Promise.resolve(page(2, [2], { hasNext: true, nextUrl: url })),
      concurrency: 1,
      endpoint: 'GET /p',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProcoreError);
    expect((error as ProcoreError).code).toBe('bad_response');
  });

  it('when Total announces more pages than allowed, then it fails before fetching them', async () => {
    let fetched = 0;
    const error = await collectPages({
      first: page(1, [1], { total: 1000, perPage: 1 }),
      fetchPage: (n) => {
        fetched++;
        return Promise.resolve(page(n, [n]));
      },
      fetchNext: () => Promise.resolve(page(0, [])),
      concurrency: 4,
      maxPages: 100,
      endpoint: 'GET /p',
    }).catch((e: unknown) => e);
    expect((error as ProcoreError).code).toBe('bad_response');
    expect(fetched).toBe(0);
  });

  it('when the last page counted from Total still has a next link, then the extra pages are followed too', async () => {
    const items = await collectPages({
      first: page(1, [1, 2], { total: 4 }),
      fetchPage: (n) => Promise.resolve(page(n, [3, 4], { hasNext: true, nextUrl: 'https://api.test/p?page=3' })),
      fetchNext: () => Promise.resolve(page(3, [5])),
      concurrency: 2,
      endpoint: 'GET /p',
    });
    expect(items).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('routeOf', () => {
  it('when a path holds numeric ids, then they become :id and the rest stays', () => {
    expect(routeOf('/rest/v1.0/projects/123456789012')).toBe('/rest/v1.0/projects/:id');
    expect(routeOf('/rest/v1.0/companies/7/projects/8')).toBe('/rest/v1.0/companies/:id/projects/:id');
    expect(routeOf('/oauth/token')).toBe('/oauth/token');
  });
});
