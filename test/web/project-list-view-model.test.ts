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
const links = procoreWebLinks({ webUrl: 'https://app.procore.com' });

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
    [1, 3, '[1] 2 3', '[1] 2 3'],
    [1, 10, '[1] 2 … 10', '[1] … 10'],
    [2, 10, '1 [2] 3 … 10', '1 [2] … 10'],
    [3, 10, '1 2 [3] 4 … 10', '1 2 [3] … 10'],
    [2, 5, '1 [2] 3 4 5', '1 [2] … 5'],
    [3, 5, '1 2 [3] 4 5', '1 2 [3] 4 5'],
    [4, 5, '1 2 3 [4] 5', '1 … [4] 5'],
    [5, 10, '1 … 4 [5] 6 … 10', '1 … [5] … 10'],
    [9, 10, '1 … 8 [9] 10', '1 … [9] 10'],
    [10, 10, '1 … 9 [10]', '1 … [10]'],
  ])(
    'when on page %i of %i, then wide screens show "%s" and phones "%s" (a "…" wherever two pages or more are skipped, never for one)',
    (page, pageCount, wide, narrow) => {
      const { pages } = paginationLinks({ page, pageCount }, query({ page }));
      expect(seen(pages, 'wide')).toBe(wide);
      expect(seen(pages, 'narrow')).toBe(narrow);
    },
  );
});

describe('project rows and the empty search', () => {
  const summaries: ProjectSummary[] = [
    {
      id: 1,
      name: 'Old Depot',
      number: '1',
      address: null,
      city: null,
      stateCode: null,
      stage: undefined,
      active: false,
    },
    {
      id: 2,
      name: 'New Tower',
      number: '2',
      address: null,
      city: null,
      stateCode: null,
      stage: 'Bidding',
      active: true,
    },
  ];

  it('when the list shows every status, then inactive projects carry an Inactive badge', () => {
    const rows = projectRows(summaries, { id: 7 }, query({ status: 'All' }), links);
    expect(rows.map((row) => row.inactiveBadge)).toEqual([true, false]);
  });

  it('when the list shows only inactive projects, then no row repeats the Inactive badge', () => {
    const rows = projectRows(summaries.slice(0, 1), { id: 7 }, query({ status: 'Inactive' }), links);
    expect(rows[0]!.inactiveBadge).toBe(false);
  });

  it('when a search finds nothing among active projects, then the page offers the same search over every status', () => {
    const view = acmeListPage(query({ q: 'warehouse', status: 'Active', sort: '-name' }), summaries);
    expect(view.listing!.list.matching).toBe(0);
    expect(view.listing!.empty!.actions[0]).toEqual({
      id: 'search-all-statuses',
      label: 'Search all statuses for “warehouse”',
      href: '/projects?company_id=7&q=warehouse&status=All&sort=-name',
    });
  });

  it('when a search over every status finds nothing, or there is no search, then no "search all statuses" is offered', () => {
    for (const q of [query({ q: 'nothing', status: 'All' }), query({ status: 'Inactive' })]) {
      const view = acmeListPage(q, q.q ? summaries : []);
      expect(view.listing!.empty!.actions.map((action) => action.id)).not.toContain('search-all-statuses');
    }
  });
});

describe('a stage filter that matches nothing', () => {
  // Acme's active projects (the catalog lists one status at a time): none is "Completed".
  const summaries: ProjectSummary[] = [
    {
      id: 2,
      name: 'New Tower',
      number: '2',
      address: null,
      city: null,
      stateCode: null,
      stage: 'Bidding',
      active: true,
    },
    {
      id: 3,
      name: 'Oak School',
      number: '3',
      address: null,
      city: null,
      stateCode: null,
      stage: 'Bidding',
      active: true,
    },
  ];

  it('when a stage left over from another status hides every project, then the page names the stage, offers to clear it and never says the company has none', () => {
    const listing = acmeListPage(query({ stage: 'Completed' }), summaries).listing!;
    expect(listing.list.matching).toBe(0);
    expect(listing.empty!.title).toBe('No projects at this stage');
    expect(listing.empty!.text).toContain("None of Acme's 2 active projects is at stage “Completed”");
    expect(listing.empty!.text).not.toContain('has no');
    expect(listing.empty!.actions).toEqual([
      {
        id: 'clear-stage',
        label: 'Clear the stage filter: show all 2 active projects',
        href: '/projects?company_id=7',
      },
    ]);
  });

  it('when the stage asked for is at none of the projects, then its chip is still in the chart, at 0 and current, and the form shows it chosen', () => {
    const listing = acmeListPage(query({ stage: 'Nonexistent' }), summaries).listing!;
    const current = listing.stageChart!.bars.filter((bar) => bar.current);
    expect(current).toEqual([expect.objectContaining({ stage: 'Nonexistent', label: 'Nonexistent', count: 0 })]);
    expect(listing.stageOptions).toEqual([
      { value: '', label: 'All stages (2)' },
      { value: 'Bidding', label: 'Bidding (2)' },
      { value: 'Nonexistent', label: 'Nonexistent (0)' },
    ]);
    const html = new Templates({ viewsDir: VIEWS_DIR, locals: VIEW_LOCALS, precompile: true }).render(
      'partials/project-listing',
      listing,
    );
    expect(html).toContain('<option value="Nonexistent" selected>Nonexistent (0)</option>');
    expect(html).toContain('aria-current="true"><span class="stage-name">Nonexistent</span>');
  });

  it('when a search and a stage together match nothing, then both are named and each can be lifted', () => {
    const listing = acmeListPage(query({ q: 'oak', stage: 'Completed' }), summaries).listing!;
    expect(listing.empty!.text).toBe(
      'Nothing in Acme matches “oak” among active projects at stage “Completed”. 1 active project matches at other stages. Check the spelling, search for part of the name or number, or look in all statuses.',
    );
    expect(listing.empty!.actions.map((action) => action.id)).toEqual(['search-all-statuses', 'clear-stage']);
  });

  it('when no filter narrows the list and it is empty, then it says the company has no such projects', () => {
    const listing = acmeListPage(query({ status: 'Inactive' }), []).listing!;
    expect(listing.empty!.text).toBe('Acme has no inactive projects you can see in Procore.');
  });
});

describe('times on pages', () => {
  it('when a moment is shown, then the text names its zone (UTC) and the datetime attribute is exact', () => {
    expect(timeView(Date.parse('2026-03-02T10:05:09Z'))).toEqual({
      iso: '2026-03-02T10:05:09.000Z',
      text: '2 Mar 2026, 10:05 UTC',
    });
  });
});

describe('a stale copy says when it was saved', () => {
  const summaries: ProjectSummary[] = [
    {
      id: 1,
      name: 'New Tower',
      number: '2',
      address: null,
      city: null,
      stateCode: null,
      stage: 'Bidding',
      active: true,
    },
  ];
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
    expect(html).toContain(
      'Saved copy from <time datetime="2026-03-02T09:00:00.000Z" data-local>2 Mar 2026, 09:00 UTC</time> (2 hours ago)',
    );
    expect(html).toMatch(
      /You are seeing the list saved 2 hours ago \(at <time datetime="2026-03-02T09:00:00.000Z" data-local>2 Mar 2026, 09:00 UTC<\/time>\)/,
    );
  });

  it('when the list is fresh, then it says how long ago it was updated', () => {
    expect(render(false)).toMatch(/Updated <time datetime="2026-03-02T09:00:00.000Z" data-age>2 hours ago<\/time>/);
  });
});
