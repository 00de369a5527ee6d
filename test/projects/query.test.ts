import { describe, expect, it } from 'vitest';
import type { ProjectSummary } from '../../src/projects/project-summary';
import { decodeProjects, encodeProjects } from '../../src/projects/project-summary';
import {
  listSearch,
  MAX_SEARCH_LENGTH,
  NO_STAGE,
  parseListQuery,
  ProjectIndex,
  type ListQuery,
} from '../../src/projects/query';

function project(id: number, name: string, number: string | null, active = true): ProjectSummary {
  return { id, name, number, address: '1 Main St', city: 'Austin', stateCode: 'TX', stage: 'Bidding', active };
}

const sample = [
  project(1, 'Riverside Library', '2021-010'),
  project(2, 'oak ridge school', '2020-002'),
  project(3, 'Café Olé Renovation', null),
  project(4, 'Oak Ridge Fire Station No. 4', '2021-001'),
  project(5, 'Zephyr Tower', '2019-100'),
  project(6, 'Riverside Apartments', null),
];

const query = (overrides: Partial<ListQuery> = {}): ListQuery => ({
  companyId: 1,
  q: '',
  status: 'Active',
  sort: 'name',
  page: 1,
  stage: '',
  ...overrides,
});

describe('reading the list query string', () => {
  it('when nothing is given, then the defaults are active projects by name on page 1', () => {
    expect(parseListQuery({})).toEqual({
      ok: true,
      query: { companyId: undefined, q: '', status: 'Active', sort: 'name', page: 1, stage: '' },
    });
  });

  it('when values are unexpected, then they fall back to defaults, except a malformed company id which is an error', () => {
    expect(parseListQuery({ status: 'inactive', sort: '-number', page: '3' })).toMatchObject({
      ok: true,
      query: { status: 'Inactive', sort: '-number', page: 3 },
    });
    expect(parseListQuery({ status: 'closed', sort: 'id', page: '-1' })).toMatchObject({
      ok: true,
      query: { status: 'Active', sort: 'name', page: 1 },
    });
    expect(parseListQuery({ page: '9999999' })).toMatchObject({ ok: true, query: { page: 1 } });
    expect(parseListQuery({ company_id: 'abc' })).toMatchObject({ ok: false, field: 'company_id' });
    expect(parseListQuery({ company_id: '99999999999999999' })).toMatchObject({ ok: false });
    expect(parseListQuery({ company_id: '5000000001' })).toMatchObject({
      ok: true,
      query: { companyId: 5_000_000_001 },
    });
    expect(parseListQuery({ q: ['first', 'second'] })).toMatchObject({ ok: true, query: { q: 'first' } });
  });

  it('when the search is long or spaced out, then it is trimmed, collapsed and cut to the maximum length', () => {
    const parsed = parseListQuery({ q: `  oak    ridge ${'x'.repeat(500)}` });
    expect(parsed.ok && parsed.query.q.startsWith('oak ridge x')).toBe(true);
    expect(parsed.ok && parsed.query.q.length).toBe(MAX_SEARCH_LENGTH);
  });

  it('when a list address is built, then defaults are left out and everything else is kept', () => {
    expect(listSearch(query())).toBe('?company_id=1');
    expect(listSearch(query({ q: 'oak & co', status: 'All', sort: '-number', page: 2 }))).toBe(
      '?company_id=1&q=oak+%26+co&status=All&sort=-number&page=2',
    );
    expect(listSearch({})).toBe('');
  });
});

describe('selecting a page of projects', () => {
  const index = new ProjectIndex(sample);

  it('when sorted by name, then the order ignores case and accents', () => {
    expect(index.select(query()).rows.map((p) => p.id)).toEqual([3, 4, 2, 6, 1, 5]);
    expect(index.select(query({ sort: '-name' })).rows.map((p) => p.id)).toEqual([5, 1, 6, 2, 4, 3]);
  });

  it('when sorted by number, then unnumbered projects come last in both directions', () => {
    expect(index.select(query({ sort: 'number' })).rows.map((p) => p.number)).toEqual([
      '2019-100',
      '2020-002',
      '2021-001',
      '2021-010',
      null,
      null,
    ]);
    expect(index.select(query({ sort: '-number' })).rows.map((p) => p.number)).toEqual([
      '2021-010',
      '2021-001',
      '2020-002',
      '2019-100',
      null,
      null,
    ]);
  });

  it('when searching, then every word must appear in the name or number, whatever the case or accents', () => {
    expect(index.select(query({ q: 'OAK' })).rows.map((p) => p.id)).toEqual([4, 2]);
    expect(index.select(query({ q: 'oak fire' })).rows.map((p) => p.id)).toEqual([4]);
    expect(index.select(query({ q: 'cafe ole' })).rows.map((p) => p.id)).toEqual([3]);
    expect(index.select(query({ q: '2021-0' })).rows.map((p) => p.id)).toEqual([4, 1]);
    expect(index.select(query({ q: 'austin' })).matching).toBe(0);
  });

  it('when paging, then positions and counts are right and a page past the end shows the last one', () => {
    const big = new ProjectIndex(
      Array.from({ length: 123 }, (_, i) => project(i + 1, `Project ${String(i + 1).padStart(3, '0')}`, null)),
    );
    const second = big.select(query({ page: 2 }));
    expect(second).toMatchObject({ page: 2, pageCount: 3, from: 51, to: 100, matching: 123, total: 123 });
    expect(second.rows[0]!.name).toBe('Project 051');
    expect(big.select(query({ page: 50 }))).toMatchObject({ page: 3, from: 101, to: 123 });
    expect(big.select(query({ q: 'nothing' }))).toMatchObject({
      page: 1,
      pageCount: 1,
      from: 0,
      to: 0,
      matching: 0,
      rows: [],
    });
    expect(big.select(query({ q: '12' })).rows.map((p) => p.name)).toEqual([
      'Project 012',
      'Project 112',
      'Project 120',
      'Project 121',
      'Project 122',
      'Project 123',
    ]);
  });

  it('when a list is encoded for the cache, then it decodes to the same projects', () => {
    expect(decodeProjects(encodeProjects(sample))).toEqual(sample);
    expect(encodeProjects(sample.slice(0, 1))).toBe(
      '[[1,"Riverside Library","2021-010","1 Main St","Austin","TX","Bidding",1]]',
    );
  });
});

describe('filtering by stage and counting the stage mix', () => {
  const staged = (id: number, name: string, stage: string | null): ProjectSummary => ({
    ...project(id, name, null),
    stage: stage ?? undefined,
  });
  const index = new ProjectIndex([
    staged(1, 'Oak Library', 'Bidding'),
    staged(2, 'Oak School', 'Course of Construction'),
    staged(3, 'Pine Hotel', 'Course of Construction'),
    staged(4, 'Pine Tower', null),
    staged(5, 'Elm Garage', '  '),
    staged(6, 'Elm Depot', 'Warranty'),
  ]);

  it('when the address names a stage, then it is read trimmed and written back, and "(none)" means projects without one', () => {
    expect(parseListQuery({ stage: '  Course  of Construction ' })).toMatchObject({
      ok: true,
      query: { stage: 'Course of Construction' },
    });
    expect(parseListQuery({ stage: ['Bidding', 'Warranty'] })).toMatchObject({ ok: true, query: { stage: 'Bidding' } });
    expect(listSearch(query({ stage: 'Course of Construction', status: 'All' }))).toBe(
      '?company_id=1&status=All&stage=Course+of+Construction',
    );
    expect(listSearch(query({ stage: NO_STAGE }))).toBe('?company_id=1&stage=%28none%29');
  });

  it('when a stage is chosen, then only its projects are listed, whatever the letter case, together with the search', () => {
    expect(index.select(query({ stage: 'Course of Construction' })).rows.map((p) => p.id)).toEqual([2, 3]);
    expect(index.select(query({ stage: 'course of construction', q: 'pine' })).rows.map((p) => p.id)).toEqual([3]);
    expect(index.select(query({ stage: NO_STAGE })).rows.map((p) => p.id)).toEqual([5, 4]);
    expect(index.select(query({ stage: 'Demolition' })).matching).toBe(0);
  });

  it('when the mix is counted, then every stage of the search results appears once, most first, with "No stage" last', () => {
    expect(index.stageMix({ q: '' })).toEqual([
      { stage: 'Course of Construction', label: 'Course of Construction', count: 2 },
      { stage: 'Bidding', label: 'Bidding', count: 1 },
      { stage: 'Warranty', label: 'Warranty', count: 1 },
      { stage: NO_STAGE, label: 'No stage', count: 2 },
    ]);
    expect(index.stageMix({ q: 'oak' })).toEqual([
      { stage: 'Bidding', label: 'Bidding', count: 1 },
      { stage: 'Course of Construction', label: 'Course of Construction', count: 1 },
    ]);
    expect(index.stageMix({ q: '' })).toBe(index.stageMix({ q: '' }));
  });

  it('when every project is asked for, then they come in the list order across all pages', () => {
    const big = new ProjectIndex(
      Array.from({ length: 123 }, (_, i) =>
        staged(i + 1, `Project ${String(i + 1).padStart(3, '0')}`, i % 2 ? 'Bidding' : null),
      ),
    );
    const all = big.selectAll({ q: '', sort: '-name', stage: 'Bidding' });
    expect(all).toHaveLength(61);
    expect(all[0]!.name).toBe('Project 122');
    expect(all.at(-1)!.name).toBe('Project 002');
  });
});
