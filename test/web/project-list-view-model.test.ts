import { describe, expect, it } from 'vitest';
import { DEFAULT_QUERY, ProjectIndex, type ListQuery, type ProjectSummary } from '../../src/projects';
import { procoreWebLinks } from '../../src/procore/web-links';
import { VIEWS_DIR } from '../../src/web/app';
import { projectsPage } from '../../src/web/projects/list-page';
import { projectRows } from '../../src/web/projects/listing';
import { paginationLinks, type PageLink } from '../../src/web/projects/pagination';
import { Templates } from '../../src/web/view-engine';
import { VIEW_LOCALS } from '../../src/web/view-locals';
import { layoutOf } from '../../src/web/view-models';
import { timeView } from '../../src/web/view-models/local-time';

const query = (over: Partial<ListQuery> = {}): ListQuery => ({ ...DEFAULT_QUERY, companyId: 7, ...over });
const links = procoreWebLinks('https://app.procore.com');

/** The page row as a person sees it at one width: numbers and "…". */
function seen(pages: PageLink[], width: 'wide' | 'narrow'): string {
  return pages
    .filter((link) => link.shown === 'all' || link.shown === width)
    .map((link) => (link.current ? `[${link.label}]` : link.label))
    .join(' ');
}

/** The list page of one company ("Acme", id 7) holding `projects`, for a query. */
function acmeListPage(q: ListQuery, projects: readonly ProjectSummary[]) {
  const index = new ProjectIndex(projects);
  const company = { id: 7, name: 'Acme', active: true };
  return projectsPage(layoutOf(undefined, 'Acme'), {
    companies: [company],
    company,
    query: q,
    notice: undefined,
    listing: { list: index.select(q), stageMix: index.stageMix(q), fetchedAt: 0, stale: false },
    now: 0,
    links,
  });
}

describe('pagination links at desktop and phone widths', () => {
  it.each([
    [1, 1, '[1]', '[1]'],
    [1, 2, '[1] 2', '[1] 2'],
    [1, 3, '[1] 2 3', '[1] … 3'],
    [1, 10, '[1] 2 … 10', '[1] … 10'],
    [2, 10, '1 [2] 3 … 10', '1 [2] … 10'],
    [3, 10, '1 2 [3] 4 … 10', '1 … [3] … 10'],
    [5, 10, '1 … 4 [5] 6 … 10', '1 … [5] … 10'],
    [9, 10, '1 … 8 [9] 10', '1 … [9] 10'],
    [10, 10, '1 … 9 [10]', '1 … [10]'],
  ])('when on page %i of %i, then wide screens show "%s" and phones "%s" (a "…" wherever pages are skipped)', (page, pageCount, wide, narrow) => {
    const { pages } = paginationLinks({ page, pageCount }, query({ page }));
    expect(seen(pages, 'wide')).toBe(wide);
    expect(seen(pages, 'narrow')).toBe(narrow);
  });
});

describe('project rows and the empty search', () => {
  const summaries: ProjectSummary[] = [
    { id: 1, name: 'Old Depot', number: '1', address: null, city: null, stateCode: null, stage: undefined, active: false },
    { id: 2, name: 'New Tower', number: '2', address: null, city: null, stateCode: null, stage: 'Bidding', active: true },
  ];

  it('when the list shows every status, then inactive projects carry an Inactive badge', () => {
    const rows = projectRows(summaries, 7, query({ status: 'All' }), links);
    expect(rows.map((row) => row.inactiveBadge)).toEqual([true, false]);
  });

  it('when the list shows only inactive projects, then no row repeats the Inactive badge', () => {
    const rows = projectRows(summaries.slice(0, 1), 7, query({ status: 'Inactive' }), links);
    expect(rows[0]!.inactiveBadge).toBe(false);
  });

  it('when a search finds nothing among active projects, then the page offers the same search over every status', () => {
    const view = acmeListPage(query({ q: 'warehouse', status: 'Active', sort: '-name' }), summaries);
    expect(view.listing!.list.matching).toBe(0);
    expect(view.listing!.searchAllStatusesHref).toBe('/projects?company_id=7&q=warehouse&status=All&sort=-name');
  });

  it('when a search over every status finds nothing, or there is no search, then no "search all statuses" is offered', () => {
    for (const q of [query({ q: 'nothing', status: 'All' }), query({ status: 'Inactive' })]) {
      const view = acmeListPage(q, summaries);
      expect(view.listing!.searchAllStatusesHref).toBeUndefined();
    }
  });
});

describe('times on pages', () => {
  it('when a moment is shown, then the text names its zone (UTC) and the datetime attribute is exact', () => {
    expect(timeView(Date.parse('2026-03-02T10:05:09Z'))).toEqual({ iso: '2026-03-02T10:05:09.000Z', text: '2 Mar 2026, 10:05 UTC' });
  });
});

describe('a stale copy says when it was saved', () => {
  const summaries: ProjectSummary[] = [{ id: 1, name: 'New Tower', number: '2', address: null, city: null, stateCode: null, stage: 'Bidding', active: true }];
  const render = (stale: boolean): string => {
    const index = new ProjectIndex(summaries);
    const q = query();
    const company = { id: 7, name: 'Acme', active: true };
    const fetchedAt = Date.parse('2026-03-02T09:00:00Z');
    const view = projectsPage(layoutOf(undefined, 'Acme'), {
      companies: [company],
      company,
      query: q,
      notice: undefined,
      listing: { list: index.select(q), stageMix: index.stageMix(q), fetchedAt, stale },
      now: fetchedAt + 2 * 3_600_000,
      links,
    });
    return new Templates({ viewsDir: VIEWS_DIR, locals: VIEW_LOCALS, precompile: true }).render('projects', view);
  };

  it('when the list shown is a stale copy, then the page says when the copy was saved, not "Updated"', () => {
    const html = render(true);
    expect(html).not.toMatch(/Updated <time/);
    expect(html).toContain('Saved copy from <time datetime="2026-03-02T09:00:00.000Z" data-local>2 Mar 2026, 09:00 UTC</time> (2 hours ago)');
    expect(html).toMatch(/You are seeing the list saved 2 hours ago \(at <time datetime="2026-03-02T09:00:00.000Z" data-local>2 Mar 2026, 09:00 UTC<\/time>\)/);
  });

  it('when the list is fresh, then it says how long ago it was updated', () => {
    expect(render(false)).toMatch(/Updated <time datetime="2026-03-02T09:00:00.000Z" data-age>2 hours ago<\/time>/);
  });
});
