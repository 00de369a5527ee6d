import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createProcoreApiClient } from '../../src/procore/api-client';
import { PROJECTS_MAX_PER_PAGE, type ProcoreClientOptions } from '../../src/procore/contracts';
import { describeRefusedItem } from '../../src/procore/refused-item';
import type { ProcoreCallEvent, ProcoreProject, RefusedItem } from '../../src/procore/types';
import {
  recordingSleep,
  expectProcoreError as failure,
  startFakeProcore,
  type FakeProcore,
  type ReceivedRequest,
  type ScriptedReply,
} from './fake-procore';

const TOKEN = 'user-ACCESS-token-abcdef';
const COMPANY = 4_000_000_123; // over 32 bits, as Procore allows
let server: FakeProcore;
let elsewhere: FakeProcore;

beforeAll(async () => {
  server = await startFakeProcore();
  elsewhere = await startFakeProcore();
});
afterAll(async () => {
  await server.close();
  await elsewhere.close();
});
beforeEach(() => {
  server.reset();
  elsewhere.reset();
});

function client(overrides: Partial<ProcoreClientOptions> = {}) {
  return createProcoreApiClient({
    loginUrl: 'http://login.invalid',
    apiUrl: server.url,
    clientId: 'id',
    clientSecret: 'secret',
    timeoutMs: 3000,
    ...overrides,
  });
}

function project(id: number): ProcoreProject {
  return {
    id,
    name: `Project ${id}`,
    display_name: `P${id}`,
    project_number: null,
    address: null,
    city: null,
    state_code: null,
    country_code: null,
    zip: null,
    county: null,
    latitude: null,
    longitude: null,
    stage: null,
    phone: null,
    created_at: '2025-01-01T00:00:00Z',
    updated_at: '2025-01-01T00:00:00Z',
    active: true,
    origin_id: null,
    origin_data: null,
    company: { id: COMPANY, name: 'Acme' },
  };
}

const projects = (n: number) => Array.from({ length: n }, (_, i) => project(i + 1));

/**
 * Answers like Procore's list endpoint: slices by page/per_page (capped at `cap`), with `Total`,
 * `Per-Page` and absolute `Link` headers. Options drop `Total` or delay answers.
 */
function listHandler(
  all: unknown[],
  options: { withTotal?: boolean; cap?: number; delayMs?: (page: number) => number } = {},
): (request: ReceivedRequest) => ScriptedReply {
  return (request) => {
    const page = Number(request.query.get('page') ?? '1');
    const perPage = Math.min(Number(request.query.get('per_page') ?? '100'), options.cap ?? 300);
    const last = Math.max(1, Math.ceil(all.length / perPage));
    const link = (p: number) => {
      const q = new URLSearchParams(request.query);
      q.set('page', String(p));
      q.set('per_page', String(perPage));
      return `${server.url}${request.path}?${q.toString()}`;
    };
    const links = [`<${link(1)}>; rel="first"`, `<${link(last)}>; rel="last"`];
    if (page < last) links.push(`<${link(page + 1)}>; rel="next"`);
    const headers: Record<string, string> = { 'Per-Page': String(perPage), Link: links.join(', ') };
    if (options.withTotal !== false) headers.Total = String(all.length);
    return {
      json: all.slice((page - 1) * perPage, page * perPage),
      headers,
      ...(options.delayMs ? { delayMs: options.delayMs(page) } : {}),
    };
  };
}

describe('headers', () => {
  it('when /me is called without a company, then it sends Bearer and Accept but no Procore-Company-Id', async () => {
    server.script({ json: { id: 7, login: 'ann@example.com', name: 'Ann' } });
    const me = await client().me({ accessToken: TOKEN });
    expect(me).toEqual({ id: 7, login: 'ann@example.com', name: 'Ann' });
    const [request] = server.requests;
    expect(request?.path).toBe('/rest/v1.0/me');
    expect(request?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request?.headers.accept).toBe('application/json');
    expect(request?.headers['procore-company-id']).toBeUndefined();
  });

  it('when /me is called with a company (service account), then Procore-Company-Id is sent too', async () => {
    server.script({ json: { id: 8, login: 'svc', name: 'Service' } });
    await client().me({ accessToken: TOKEN, companyId: COMPANY });
    expect(server.requests[0]?.headers['procore-company-id']).toBe(String(COMPANY));
  });

  it('when /companies is called with and without a company, then the header follows companyId', async () => {
    server.handle(listHandler([{ id: 1, name: 'Acme', is_active: true }]));
    await client().companies({ accessToken: TOKEN, companyId: COMPANY });
    await client().companies({ accessToken: TOKEN });
    expect(server.requests.map((r) => r.headers['procore-company-id'])).toEqual([String(COMPANY), undefined]);
  });

  it('when one page of projects is asked, then company_id, paging, filters and sort are in the query and Procore-Company-Id is sent', async () => {
    server.handle(listHandler(projects(5), { cap: 2 }));
    const page = await client().projectsPage(
      { accessToken: TOKEN, companyId: COMPANY },
      { page: 2, perPage: 2, status: 'All', name: 'Tower & Co', sort: 'name' },
    );
    const [request] = server.requests;
    expect(request?.path).toBe('/rest/v1.0/projects');
    expect(Object.fromEntries(request?.query ?? [])).toEqual({
      company_id: String(COMPANY),
      page: '2',
      per_page: '2',
      'filters[by_status]': 'All',
      'filters[name]': 'Tower & Co',
      sort: 'name',
    });
    expect(request?.headers['procore-company-id']).toBe(String(COMPANY));
    expect(page).toEqual({ items: [project(3), project(4)], page: 2, perPage: 2, total: 5, hasNext: true });
  });

  it('when a per_page above the documented maximum is asked, then it is capped at 300', async () => {
    server.handle(listHandler(projects(1)));
    await client().projectsPage({ accessToken: TOKEN, companyId: 1 }, { page: 1, perPage: 1000 });
    expect(server.requests[0]?.query.get('per_page')).toBe(String(PROJECTS_MAX_PER_PAGE));
  });

  it('when one project is asked, then the path has its id, the query has company_id and the header is sent', async () => {
    server.script({ json: project(42) });
    const result = await client().project({ accessToken: TOKEN, companyId: COMPANY }, 42);
    expect(result.id).toBe(42);
    expect(server.requests[0]?.path).toBe('/rest/v1.0/projects/42');
    expect(server.requests[0]?.query.get('company_id')).toBe(String(COMPANY));
    expect(server.requests[0]?.headers['procore-company-id']).toBe(String(COMPANY));
  });
});

describe('allProjects', () => {
  it('when Total says 700 projects at 300 per page, then exactly 3 requests are made and the items come back in order', async () => {
    server.handle(listHandler(projects(700)));
    const result = await client().allProjects({ accessToken: TOKEN, companyId: COMPANY });
    expect(server.requests).toHaveLength(3);
    expect(server.requests.map((r) => r.query.get('page')).sort()).toEqual(['1', '2', '3']);
    expect(server.requests.every((r) => r.query.get('per_page') === '300')).toBe(true);
    expect(server.requests[0]?.query.get('page')).toBe('1');
    expect(result.map((p) => p.id)).toEqual(projects(700).map((p) => p.id));
  });

  it('when there are 10 pages and concurrency is 3, then at most 3 requests are in flight at the server and pages stay in order even when answered out of order', async () => {
    server.handle(listHandler(projects(10), { delayMs: (page) => (page % 3 === 0 ? 150 : 40) }));
    const result = await client().allProjects(
      { accessToken: TOKEN, companyId: COMPANY },
      {},
      { perPage: 1, concurrency: 3 },
    );
    expect(server.requests).toHaveLength(10);
    expect(server.maxInFlight).toBeLessThanOrEqual(3);
    expect(server.maxInFlight).toBeGreaterThan(1);
    expect(result.map((p) => p.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('when the default concurrency is used, then no more than 4 page requests overlap', async () => {
    server.handle(listHandler(projects(12), { delayMs: () => 60 }));
    const result = await client().allProjects({ accessToken: TOKEN, companyId: COMPANY }, {}, { perPage: 1 });
    expect(result).toHaveLength(12);
    expect(server.maxInFlight).toBeLessThanOrEqual(4);
  });

  it('when Procore caps per_page below what was asked, then the pages are counted from Per-Page', async () => {
    server.handle(listHandler(projects(250), { cap: 100 }));
    const result = await client().allProjects({ accessToken: TOKEN, companyId: COMPANY });
    expect(result).toHaveLength(250);
    expect(server.requests).toHaveLength(3);
  });

  it('when Total is missing, then rel="next" is followed one page at a time until there is none', async () => {
    server.handle(listHandler(projects(7), { withTotal: false, delayMs: () => 20 }));
    const result = await client().allProjects(
      { accessToken: TOKEN, companyId: COMPANY },
      { status: 'Active' },
      { perPage: 3 },
    );
    expect(result.map((p) => p.id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(server.requests.map((r) => r.query.get('page'))).toEqual(['1', '2', '3']);
    expect(server.maxInFlight).toBe(1);
    // The followed links keep the filters and the company header.
    expect(server.requests.every((r) => r.query.get('filters[by_status]') === 'Active')).toBe(true);
    expect(server.requests.every((r) => r.headers['procore-company-id'] === String(COMPANY))).toBe(true);
  });

  it('when a page comes back short but still links to a next page, then paging goes on', async () => {
    const pages: Record<string, { items: ProcoreProject[]; next?: number }> = {
      '1': { items: [project(1), project(2), project(3)], next: 2 },
      '2': { items: [project(4)], next: 3 },
      '3': { items: [project(5), project(6)] },
    };
    server.handle((request) => {
      const page = pages[request.query.get('page') ?? '1'] ?? { items: [] };
      const headers: Record<string, string> = { 'Per-Page': '3' };
      if (page.next)
        headers.Link = `<${server.url}/rest/v1.0/projects?company_id=${COMPANY}&page=${page.next}&per_page=3>; rel="next"`;
      return { json: page.items, headers };
    });
    const result = await client().allProjects({ accessToken: TOKEN, companyId: COMPANY }, {}, { perPage: 3 });
    expect(result.map((p) => p.id)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(server.requests).toHaveLength(3);
  });

  it('when there are no projects, then one request is made and the list is empty', async () => {
    server.handle(listHandler([]));
    expect(await client().allProjects({ accessToken: TOKEN, companyId: COMPANY })).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('when a next link points to another host, then the token is not sent there and the error is bad_response', async () => {
    server.script({
      json: [project(1)],
      headers: { Link: `<${elsewhere.url}/rest/v1.0/projects?page=2>; rel="next"` },
    });
    const error = await failure(client().allProjects({ accessToken: TOKEN, companyId: COMPANY }));
    expect(error.code).toBe('bad_response');
    expect(elsewhere.requests).toHaveLength(0);
    expect(error.message).not.toContain(TOKEN);
  });

  it('when one page fails for good, then allProjects fails with that error', async () => {
    const handler = listHandler(projects(9));
    server.handle((request) => (request.query.get('page') === '2' ? { status: 403, json: {} } : handler(request)));
    const error = await failure(client().allProjects({ accessToken: TOKEN, companyId: COMPANY }, {}, { perPage: 3 }));
    expect(error.code).toBe('forbidden');
  });
});

describe('companies', () => {
  it('when companies span several pages without Total, then every page is followed', async () => {
    const all = Array.from({ length: 5 }, (_, i) => ({ id: i + 1, name: `C${i + 1}`, is_active: true }));
    server.handle(listHandler(all, { withTotal: false, cap: 2 }));
    const result = await client().companies({ accessToken: TOKEN });
    expect(result.map((c) => c.id)).toEqual([1, 2, 3, 4, 5]);
    expect(server.requests).toHaveLength(3);
  });

  it('when companies are listed, then free companies are asked for too (include_free_companies=true) on every page', async () => {
    const all = Array.from({ length: 3 }, (_, i) => ({ id: i + 1, name: `C${i + 1}`, is_active: true }));
    server.handle(listHandler(all, { cap: 1 }));
    await client().companies({ accessToken: TOKEN });
    expect(server.requests.map((r) => r.query.get('include_free_companies'))).toEqual(['true', 'true', 'true']);
  });

  it("when a company's base URL is asked, then Procore-Company-Id is sent and the zone and web host come back without a trailing slash", async () => {
    server.script({ json: { zone: 'US02', web_base_url: 'https://us02.procore.com/' } });
    expect(await client().companyBaseUrl({ accessToken: TOKEN, companyId: COMPANY })).toEqual({
      zone: 'US02',
      web_base_url: 'https://us02.procore.com',
    });
    expect(server.requests[0]).toMatchObject({ path: '/rest/v1.0/company_base_url' });
    expect(server.requests[0]?.headers['procore-company-id']).toBe(String(COMPANY));
  });

  it('when the base URL is not an http(s) URL, then the error is bad_response (no link is built on it)', async () => {
    server.script({ json: { zone: 'US02', web_base_url: 'javascript:alert(1)' } });
    expect((await failure(client().companyBaseUrl({ accessToken: TOKEN, companyId: COMPANY }))).code).toBe(
      'bad_response',
    );
  });
});

describe('ids beyond 2^53', () => {
  const json = { 'content-type': 'application/json' };

  it('when one project of a list has an id JavaScript cannot hold exactly, then only that project is left out and reported', async () => {
    const refused: unknown[] = [];
    server.script({
      headers: json,
      body: '[{"id":1,"name":"One"},{"id":9007199254740993,"name":"Too big"},{"id":3,"name":"Three"}]',
    });
    const list = await client({ onRefusedItem: (item) => refused.push(item) }).allProjects({
      accessToken: TOKEN,
      companyId: COMPANY,
    });
    expect(list.map((p) => p.id)).toEqual([1, 3]);
    expect(refused).toEqual([
      { endpoint: 'GET /rest/v1.0/projects', what: 'project', roundedId: 9007199254740992, name: 'Too big' },
    ]);
    expect(describeRefusedItem(refused[0] as RefusedItem)).toBe(
      'GET /rest/v1.0/projects sent project "Too big" with an id above 2^53 (read as 9007199254740992), which JavaScript cannot hold exactly: it is left out of the list',
    );
  });

  it('when a company id is exactly 2^53 - 1, then it is kept; 2^53 is refused', async () => {
    const refused: unknown[] = [];
    server.script({
      headers: json,
      body: '[{"id":9007199254740991,"name":"Largest"},{"id":9007199254740992,"name":"Past it"}]',
    });
    const list = await client({ onRefusedItem: (item) => refused.push(item) }).companies({ accessToken: TOKEN });
    expect(list.map((c) => c.name)).toEqual(['Largest']);
    expect(refused).toEqual([expect.objectContaining({ what: 'company', name: 'Past it' })]);
  });
});

describe('errors and bookkeeping', () => {
  it('when the token is rejected, then the error is unauthorized and neither message nor JSON contains the token', async () => {
    server.script({ status: 401, json: { errors: `Invalid token ${TOKEN}` } });
    const error = await failure(client().me({ accessToken: TOKEN }));
    expect(error.code).toBe('unauthorized');
    expect(error.isFatal).toBe(false);
    const everything = `${error.message} ${error.description ?? ''} ${error.endpoint ?? ''} ${JSON.stringify(error)} ${String(error.stack)}`;
    expect(everything).not.toContain(TOKEN);
  });

  it('when a project is missing, then the error is not_found with the endpoint but without the query string', async () => {
    server.script({ status: 404, json: { errors: 'Not found' } });
    const error = await failure(client().project({ accessToken: TOKEN, companyId: COMPANY }, 99));
    expect(error.code).toBe('not_found');
    expect(error.endpoint).toBe('GET /rest/v1.0/projects/99');
  });

  it.each([
    ['an object where a list is expected', { projects: [] }],
    ['a list of things without ids', [{ name: 'x' }]],
    ['null', null],
  ])('when the projects body is %s, then the error is bad_response', async (_what, body) => {
    server.script({ json: body });
    const error = await failure(client().allProjects({ accessToken: TOKEN, companyId: COMPANY }));
    expect(error.code).toBe('bad_response');
  });

  it('when /me answers a body without an id, then the error is bad_response', async () => {
    server.script({ json: { login: 'x' } });
    expect((await failure(client().me({ accessToken: TOKEN }))).code).toBe('bad_response');
  });

  it("when responses carry X-Rate-Limit headers, then rateLimitOf returns the token's lowest remaining in its window, and nothing for another token", async () => {
    const api = client();
    expect(api.rateLimitOf(TOKEN)).toBeUndefined();
    server.script(
      {
        json: { id: 1 },
        headers: { 'X-Rate-Limit-Limit': '3600', 'X-Rate-Limit-Remaining': '3599', 'X-Rate-Limit-Reset': '1736945000' },
      },
      {
        json: { id: 1 },
        headers: { 'X-Rate-Limit-Limit': '3600', 'X-Rate-Limit-Remaining': '3598', 'X-Rate-Limit-Reset': '1736945000' },
      },
    );
    await api.me({ accessToken: TOKEN });
    await api.me({ accessToken: TOKEN });
    expect(api.rateLimitOf(TOKEN)).toEqual({ limit: 3600, remaining: 3598, resetAt: 1_736_945_000_000 });
    expect(api.rateLimitOf('another-token')).toBeUndefined();
  });

  it('when a project call is retried after a 503, then onCall reports both attempts with :id routes and no token or query', async () => {
    const events: ProcoreCallEvent[] = [];
    const { sleep } = recordingSleep();
    server.script({ status: 503, json: {} }, { json: project(77) });
    await client({ onCall: (e) => events.push(e), sleep }).project({ accessToken: TOKEN, companyId: COMPANY }, 77);
    expect(events.map((e) => [e.route, e.status, e.attempt])).toEqual([
      ['/rest/v1.0/projects/:id', 503, 1],
      ['/rest/v1.0/projects/:id', 200, 2],
    ]);
    const serialized = JSON.stringify(events);
    expect(serialized).not.toContain(TOKEN);
    expect(serialized).not.toContain('company_id');
    expect(serialized).not.toContain(String(COMPANY));
  });
});
