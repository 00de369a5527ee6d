import { brotliDecompressSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ACME_COMPANY_ID,
  DEFAULT_COMPANIES,
  DEMO_USER,
  NORTHWIND_COMPANY_ID,
  OTHER_USER,
  PINE_STREET_COMPANY_ID,
  SUMMIT_COMPANY_ID,
} from '../../emulator';
import { buildData } from '../../emulator/data';
import type { ProcoreProject } from '../../src/procore/types';
import { csrfTokenIn, HttpClient, type ClientResponse } from '../support/http-client';
import { startStack, type Stack, type TestApp } from '../support/stack';

const PROJECTS = 'GET /rest/v1.0/projects';
const COMPANIES = 'GET /rest/v1.0/companies';

/** The emulator's data is deterministic: the same specs give the same projects, our ground truth. */
const acmeProjects = buildData(DEFAULT_COMPANIES).projectsByCompany.get(ACME_COMPANY_ID)!;
const acmeActive = acmeProjects.filter((project) => project.active);

let stack: Stack;
let client: HttpClient;

beforeAll(async () => {
  // Per page 300 would fit Acme's 250 projects on one page; the emulator's page size is what
  // Procore answers, so a multi-page company needs more projects: add one with 700.
  stack = await startStack({
    emulator: {
      companies: [...DEFAULT_COMPANIES, { id: 5_000_000_009, name: 'Bigfoot Infrastructure', projectCount: 700 }],
      users: [{ ...DEMO_USER, companyIds: [...DEMO_USER.companyIds, 5_000_000_009] }, OTHER_USER],
    },
  });
  client = new HttpClient();
  await client.signIn(stack.app.url, DEMO_USER);
});

afterEach(() => {
  stack.emulator.clearFaults();
});

afterAll(async () => {
  await stack?.close();
});

const BIGFOOT = 5_000_000_009;

let second: TestApp | undefined;
/** Another app instance sharing the emulator and Redis; the client's session cookie works there too. */
async function secondApp(): Promise<TestApp> {
  second ??= await stack.startAnotherApp();
  for (const [name, value] of client.cookies(stack.app.url)) client.setCookie(second.url, name, value);
  return second;
}
const bigfootProjects = (): ProcoreProject[] =>
  buildData([
    ...DEFAULT_COMPANIES,
    { id: BIGFOOT, name: 'Bigfoot Infrastructure', projectCount: 700 },
  ]).projectsByCompany.get(BIGFOOT)!;

function calls(key: string): number {
  return stack.emulator.stats.restCalls[key] ?? 0;
}

/** Project names in the table, in order. */
function rowNames(page: ClientResponse): string[] {
  const table = /<table class="projects">[\s\S]*?<\/table>/.exec(page.body)?.[0] ?? '';
  return [...table.matchAll(/<td data-label="Name"><a href="[^"]*">([^<]*)<\/a>/g)].map((match) => decode(match[1]!));
}

function rowNumbers(page: ClientResponse): string[] {
  return [...page.body.matchAll(/<td data-label="Number" class="num">([^<]*)<\/td>/g)].map((match) =>
    decode(match[1]!),
  );
}

function decode(text: string): string {
  return text
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function summary(page: ClientResponse): string {
  return decode(/<p class="count" id="result-summary"[^>]*>([^<]*)<\/p>/.exec(page.body)?.[1] ?? '');
}

const byName = (a: ProcoreProject, b: ProcoreProject): number =>
  a.name.toLowerCase() < b.name.toLowerCase() ? -1 : a.name.toLowerCase() > b.name.toLowerCase() ? 1 : a.id - b.id;

describe('the project list', () => {
  it('when a person opens a company, then the first 50 active projects are shown by name with the total and page links', async () => {
    const page = await client.get(`${stack.app.url}/projects?company_id=${ACME_COMPANY_ID}`);
    expect(page.status).toBe(200);
    expect(rowNames(page)).toEqual(
      [...acmeActive]
        .sort(byName)
        .slice(0, 50)
        .map((project) => project.name),
    );
    expect(summary(page)).toBe(`Showing 1–50 of ${acmeActive.length} active projects`);
    expect(page.body).toMatch(/aria-current="page"[^>]*>1<\/a>/);
    expect(page.body).toContain(`href="/projects?company_id=${ACME_COMPANY_ID}&amp;page=2"`);
    expect(page.body).toMatch(/Updated <time datetime="[^"]+" data-age>(just now|\d+ seconds ago)<\/time>/);
  });

  it('when every page of a company larger than one Procore page is read, then all of them are listed, each once', async () => {
    stack.emulator.resetStats();
    const first = await client.get(`${stack.app.url}/projects?company_id=${BIGFOOT}&status=All`);
    const all = bigfootProjects();
    // The first page is shown as soon as it arrives (test/web/projects-first-view.test.ts); then the rest.
    expect(first.body).toContain('id="list-progress"');
    let page = first;
    for (let attempt = 0; attempt < 200 && page.body.includes('id="list-progress"'); attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      page = await client.get(`${stack.app.url}/projects?company_id=${BIGFOOT}&status=All`);
    }
    expect(summary(page)).toBe(`Showing 1–50 of ${all.length} projects`);
    // 700 projects at per_page=300: pages 1, 2 and 3, each asked for once with the documented maximum.
    const listCalls = stack.emulator.stats.requests.filter((request) => request.path === '/rest/v1.0/projects');
    expect(listCalls.map((request) => request.query.page).sort()).toEqual(['1', '2', '3']);
    expect(new Set(listCalls.map((request) => request.query.per_page))).toEqual(new Set(['300']));
    expect(listCalls.every((request) => (request.query.filters as Record<string, string>).by_status === 'All')).toBe(
      true,
    );

    const last = await client.get(`${stack.app.url}/projects?company_id=${BIGFOOT}&status=All&page=14`);
    expect(summary(last)).toBe(`Showing 651–700 of 700 projects`);
    expect(rowNames(last)).toEqual(
      [...all]
        .sort(byName)
        .slice(650)
        .map((project) => project.name),
    );
  });

  it('when a person searches, then only projects whose name or number contains every word are listed, whatever the case', async () => {
    const target = acmeActive.find((project) => project.project_number)!;
    const word = target.name.split(' ')[0]!;
    const expected = acmeActive.filter(
      (project) =>
        project.name.toLowerCase().includes(word.toLowerCase()) ||
        project.project_number?.toLowerCase().includes(word.toLowerCase()),
    );
    const page = await client.get(
      `${stack.app.url}/projects?company_id=${ACME_COMPANY_ID}&q=${encodeURIComponent(word.toUpperCase())}`,
    );
    expect(rowNames(page)).toEqual(
      expected
        .sort(byName)
        .slice(0, 50)
        .map((project) => project.name),
    );
    expect(summary(page)).toContain(`of ${expected.length} active project`);
    expect(summary(page)).toContain(`matching “${word.toUpperCase()}”`);

    const byNumber = await client.get(
      `${stack.app.url}/projects?company_id=${ACME_COMPANY_ID}&q=${target.project_number}`,
    );
    expect(rowNames(byNumber)).toEqual([target.name]);

    const twoWords = `${target.name.split(' ')[0]} ${target.name.split(' ').at(-1)}`.toLowerCase();
    const narrowed = await client.get(
      `${stack.app.url}/projects?company_id=${ACME_COMPANY_ID}&q=${encodeURIComponent(twoWords)}`,
    );
    expect(rowNames(narrowed)).toContain(target.name);
    for (const name of rowNames(narrowed))
      for (const term of twoWords.split(' ')) expect(name.toLowerCase()).toContain(term);
  });

  it('when nothing matches, then the page says so and offers to search all statuses, keeping the search', async () => {
    const page = await client.get(`${stack.app.url}/projects?company_id=${ACME_COMPANY_ID}&q=zzzz-no-such-project`);
    expect(page.status).toBe(200);
    expect(rowNames(page)).toEqual([]);
    expect(page.body).toContain('No matching projects');
    // The way back keeps the search and widens it to every status (dropping the search would lose what was typed).
    expect(page.body).toContain('Search all statuses for');
    expect(page.body).toMatch(/id="search-all-statuses" href="[^"]*q=zzzz-no-such-project[^"]*"/);
    expect(page.body).toMatch(/id="search-all-statuses" href="[^"]*status=All[^"]*"/);
  });

  it('when a person filters by status, then Procore is asked with filters[by_status] and only those projects are listed', async () => {
    stack.emulator.resetStats();
    const page = await client.get(`${stack.app.url}/projects?company_id=${ACME_COMPANY_ID}&status=Inactive`);
    const inactive = acmeProjects.filter((project) => !project.active);
    expect(summary(page)).toBe(`Showing 1–${Math.min(50, inactive.length)} of ${inactive.length} inactive projects`);
    expect(rowNames(page)).toEqual(
      [...inactive]
        .sort(byName)
        .slice(0, 50)
        .map((project) => project.name),
    );
    const asked = stack.emulator.stats.requests.find((request) => request.path === '/rest/v1.0/projects');
    expect((asked?.query.filters as Record<string, string>).by_status).toBe('Inactive');
    expect(page.body).toContain('<option value="Inactive" selected>');
  });

  it('when a person sorts by number, then numbered projects come in order in both directions and unnumbered ones last', async () => {
    const numbered = acmeActive
      .filter((project) => project.project_number)
      .map((project) => project.project_number!)
      .sort();
    const unnumbered = acmeActive.filter((project) => !project.project_number).length;
    expect(unnumbered).toBeGreaterThan(0);

    const ascending = await client.get(`${stack.app.url}/projects?company_id=${ACME_COMPANY_ID}&sort=number`);
    expect(rowNumbers(ascending)).toEqual(numbered.slice(0, 50));
    const descending = await client.get(`${stack.app.url}/projects?company_id=${ACME_COMPANY_ID}&sort=-number`);
    expect(rowNumbers(descending)).toEqual([...numbered].reverse().slice(0, 50));
    const lastPage = Math.ceil(acmeActive.length / 50);
    const tail = await client.get(
      `${stack.app.url}/projects?company_id=${ACME_COMPANY_ID}&sort=-number&page=${lastPage}`,
    );
    const expectedAll = [...[...numbered].reverse(), ...Array.from({ length: unnumbered }, () => '—')];
    expect(rowNumbers(tail)).toEqual(expectedAll.slice((lastPage - 1) * 50));

    const zToA = await client.get(`${stack.app.url}/projects?company_id=${ACME_COMPANY_ID}&sort=-name`);
    expect(rowNames(zToA)).toEqual(
      [...acmeActive]
        .sort(byName)
        .reverse()
        .slice(0, 50)
        .map((project) => project.name),
    );
  });

  it('when the page number is past the end or not a number, then the nearest real page is shown', async () => {
    const lastPage = Math.ceil(acmeActive.length / 50);
    const beyond = await client.get(`${stack.app.url}/projects?company_id=${ACME_COMPANY_ID}&page=999`);
    expect(beyond.status).toBe(200);
    expect(summary(beyond)).toBe(
      `Showing ${(lastPage - 1) * 50 + 1}–${acmeActive.length} of ${acmeActive.length} active projects`,
    );
    const junk = await client.get(
      `${stack.app.url}/projects?company_id=${ACME_COMPANY_ID}&page=abc&sort=bogus&status=nope`,
    );
    expect(summary(junk)).toBe(`Showing 1–50 of ${acmeActive.length} active projects`);
  });

  it('when the company id is not a number, then a 400 page explains it', async () => {
    const page = await client.get(`${stack.app.url}/projects?company_id=acme`);
    expect(page.status).toBe(400);
    expect(page.body).toContain('not a valid Procore company id');
  });

  it('when the search text is very long, then it is cut to 100 characters instead of failing', async () => {
    const page = await client.get(`${stack.app.url}/projects?company_id=${ACME_COMPANY_ID}&q=${'x'.repeat(5000)}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain(`value="${'x'.repeat(100)}"`);
    expect(page.body).not.toContain('x'.repeat(101));
  });

  it('when a person comes back to /projects without a company, then the company they looked at last is shown', async () => {
    await client.get(`${stack.app.url}/projects?company_id=${NORTHWIND_COMPANY_ID}`);
    const page = await client.get(`${stack.app.url}/projects`);
    expect(page.body).toMatch(/<h1>Northwind Civil Group<\/h1>/);
    expect(page.body).toContain(`<option value="${NORTHWIND_COMPANY_ID}" selected>`);
  });
});

describe('the cache', () => {
  it('when the list was read moments ago, then browsing, searching and paging make no Procore call', async () => {
    await client.get(`${stack.app.url}/projects?company_id=${ACME_COMPANY_ID}`);
    const before = { projects: calls(PROJECTS), companies: calls(COMPANIES) };
    for (const query of ['', '&page=2', '&q=school', '&sort=-number', '&q=riverside&page=1']) {
      const page = await client.get(`${stack.app.url}/projects?company_id=${ACME_COMPANY_ID}${query}`);
      expect(page.status).toBe(200);
    }
    expect({ projects: calls(PROJECTS), companies: calls(COMPANIES) }).toEqual(before);
  });

  it('when the person presses Refresh, then the cache is bypassed and the list is read from Procore again', async () => {
    const page = await client.get(`${stack.app.url}/projects?company_id=${ACME_COMPANY_ID}&q=oak`);
    const before = calls(PROJECTS);
    const refreshed = await client.post(`${stack.app.url}/projects/refresh`, {
      _csrf: csrfTokenIn(page.body),
      company_id: String(ACME_COMPANY_ID),
      q: 'oak',
      status: 'Active',
      sort: 'name',
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.hops[0]!.status).toBe(303);
    expect(new URL(refreshed.url).search).toBe(`?company_id=${ACME_COMPANY_ID}&q=oak`);
    expect(calls(PROJECTS)).toBe(before + 1);
    expect(refreshed.body).toMatch(/Updated <time [^>]*>just now<\/time>/);
  });

  it('when the cached list is stored, then it lives in Redis per user, company and status with the configured TTL, Brotli-compressed, and only the list fields', async () => {
    await client.get(`${stack.app.url}/projects?company_id=${ACME_COMPANY_ID}`);
    const key = `${stack.keyPrefix}catalog:projects:${DEMO_USER.id}:${ACME_COMPANY_ID}:Active`;
    expect(await stack.redis.ttl(`${key}:fresh`)).toBeGreaterThan(0);
    expect(await stack.redis.ttl(`${key}:fresh`)).toBeLessThanOrEqual(60);
    const stored = (await stack.redis.getBuffer(key))!;
    const newline = stored.indexOf(0x0a);
    const fetchedAt = stored.subarray(0, newline).toString('latin1');
    expect(Number(fetchedAt)).toBeGreaterThan(Date.now() - 60_000);
    const payload = brotliDecompressSync(stored.subarray(newline + 1)).toString('utf8');
    expect(stored.length).toBeLessThan(payload.length / 3);
    const tuples = JSON.parse(payload) as unknown[][];
    expect(tuples).toHaveLength(acmeActive.length);
    expect(payload).not.toContain('latitude');
    expect(payload).not.toContain('created_at');
  });
});

describe('when Procore misbehaves', () => {
  it('when Procore answers 429 with Retry-After, then the app waits, retries and shows the list', async () => {
    stack.emulator.resetStats();
    stack.emulator.inject({ match: PROJECTS, status: 429, retryAfterSeconds: 1, times: 1 });
    const page = await client.get(`${stack.app.url}/projects?company_id=${SUMMIT_COMPANY_ID}&status=All`);
    expect(page.status).toBe(200);
    expect(summary(page)).toMatch(/^Showing 1–\d+ of \d+ projects$/);
    const statuses = stack.emulator.stats.requests
      .filter((request) => request.path === '/rest/v1.0/projects')
      .map((request) => request.status);
    expect(statuses).toEqual([429, 200]);
  });

  it('when Procore is down and the cache is warm but expired, then the saved list is shown and marked stale', async () => {
    const warm = await client.get(`${stack.app.url}/projects?company_id=${NORTHWIND_COMPANY_ID}&status=All`);
    const expected = rowNames(warm);
    // The fresh copy's time is up (its marker key is what expires after PROJECTS_CACHE_SECONDS).
    const key = `${stack.keyPrefix}catalog:projects:${DEMO_USER.id}:${NORTHWIND_COMPANY_ID}:All`;
    await stack.redis.del(`${key}:fresh`, `${stack.keyPrefix}catalog:companies:${DEMO_USER.id}:fresh`);
    stack.emulator.inject({ match: PROJECTS, status: 500, times: 100 });
    stack.emulator.inject({ match: COMPANIES, dropConnection: true, times: 100 });

    // A second instance (same Redis, nothing in memory) sees exactly what Redis says: expired.
    const second = await secondApp();
    const page = await client.get(`${second.url}/projects?company_id=${NORTHWIND_COMPANY_ID}&status=All`);
    expect(page.status).toBe(200);
    expect(rowNames(page)).toEqual(expected);
    expect(page.body).toContain('id="stale-banner"');
    expect(page.body).toContain('Procore is not answering right now.');
    expect(page.body).toContain('class="freshness is-stale"');
  });

  it('when Procore is down and nothing is cached, then a clear 503 page says so', async () => {
    stack.emulator.inject({ match: PROJECTS, status: 503, times: 100 });
    const page = await client.get(`${stack.app.url}/projects?company_id=${NORTHWIND_COMPANY_ID}&status=Inactive`);
    expect(page.status).toBe(503);
    expect(page.body).toContain('Procore is not answering');
    expect(page.body).toContain('Try again');
  });

  it('when Refresh is pressed while Procore is down, then the last copy stays and the page says the refresh failed', async () => {
    const page = await client.get(`${stack.app.url}/projects?company_id=${ACME_COMPANY_ID}`);
    stack.emulator.inject({ match: PROJECTS, status: 500, times: 100 });
    stack.emulator.inject({ match: COMPANIES, status: 500, times: 100 });
    const refreshed = await client.post(`${stack.app.url}/projects/refresh`, {
      _csrf: csrfTokenIn(page.body),
      company_id: String(ACME_COMPANY_ID),
    });
    expect(refreshed.status).toBe(200);
    expect(rowNames(refreshed)).toEqual(rowNames(page));
    expect(refreshed.body).toContain('the list could not be refreshed');
    // The notice is shown once.
    stack.emulator.clearFaults();
    const again = await client.get(`${stack.app.url}/projects?company_id=${ACME_COMPANY_ID}`);
    expect(again.body).not.toContain('the list could not be refreshed');
  });

  it('when the first load of a company is slow, then a loading page that reloads itself is shown until the list is ready', async () => {
    stack.emulator.inject({ match: PROJECTS, delayMs: 2_500, times: 1 });
    const url = `${stack.app.url}/projects?company_id=${SUMMIT_COMPANY_ID}&status=Inactive`;
    const first = await client.get(url);
    expect(first.status).toBe(202);
    expect(first.headers.get('refresh')).toBe('2');
    expect(first.body).toContain('Loading the projects of Summit Ridge Contractors');
    let page = first;
    // What the browser does on `Refresh: 2`, asked every 50 ms (for up to the same 10 s) so the test ends as soon as the list is ready.
    for (let attempt = 0; attempt < 200 && page.status === 202; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      page = await client.get(url);
    }
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/<h1>Summit Ridge Contractors<\/h1>/);
  });
});

describe('access', () => {
  it('when a person opens a company they cannot access, then a 403 page explains it and offers their own companies', async () => {
    const other = new HttpClient();
    await other.signIn(stack.app.url, OTHER_USER);
    const page = await other.get(`${stack.app.url}/projects?company_id=${ACME_COMPANY_ID}`);
    expect(page.status).toBe(403);
    expect(page.body).toContain("You don't have access to this company");
    expect(page.body).toContain('Go to your projects');
    expect(page.body).not.toContain('Acme Builders');
    const own = await other.get(`${stack.app.url}/projects`);
    expect(own.status).toBe(200);
    expect(own.body).toMatch(/<h1>Summit Ridge Contractors<\/h1>/);
  });

  it('when Procore refuses a listed company with 403, then the same clear message is shown instead of an error page', async () => {
    stack.emulator.inject({ match: PROJECTS, status: 403, times: 1 });
    const page = await client.get(`${stack.app.url}/projects?company_id=${SUMMIT_COMPANY_ID}&status=Active&sort=-name`);
    expect(page.status).toBe(403);
    expect(page.body).toContain("You don't have access to this company");
    expect(page.body).toMatch(/<h1>Summit Ridge Contractors<\/h1>/);
  });

  it('when signed out, then /projects sends the person to sign in and back', async () => {
    const anonymous = new HttpClient();
    const page = await anonymous.get(`${stack.app.url}/projects?company_id=${ACME_COMPANY_ID}`, { follow: false });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe(
      `/?next=${encodeURIComponent(`/projects?company_id=${ACME_COMPANY_ID}`)}`,
    );
  });
});

describe('the project page', () => {
  it('when a person opens a project from a search, then its details are shown with a link back to the same search', async () => {
    const list = await client.get(`${stack.app.url}/projects?company_id=${ACME_COMPANY_ID}&q=school&sort=-name`);
    const href = decode(/<td data-label="Name"><a href="([^"]+)">/.exec(list.body)![1]!);
    expect(href).toMatch(new RegExp(`^/projects/\\d+\\?company_id=${ACME_COMPANY_ID}&q=school&sort=-name$`));
    const page = await client.get(`${stack.app.url}${href}`);
    expect(page.status).toBe(200);
    const id = Number(/\/projects\/(\d+)/.exec(href)![1]);
    const project = acmeProjects.find((candidate) => candidate.id === id)!;
    expect(page.body).toContain(`<h1 id="project-title">${project.name}</h1>`);
    expect(page.body).toContain(project.city);
    expect(page.body).toContain(`href="/projects?company_id=${ACME_COMPANY_ID}&amp;q=school&amp;sort=-name"`);
  });

  it('when Procore is down, then the project page shows what the saved list knows, marked as such', async () => {
    await client.get(`${stack.app.url}/projects?company_id=${ACME_COMPANY_ID}`);
    const project = acmeActive[3]!;
    stack.emulator.inject({ match: /^GET \/rest\/v1\.0\/projects\/\d+$/, status: 500, times: 100 });
    const page = await client.get(`${stack.app.url}/projects/${project.id}?company_id=${ACME_COMPANY_ID}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain(project.name);
    expect(page.body).toContain('These are the details saved with the project list');
  });

  it('when the project id is not a number, then a 400 page explains it', async () => {
    const page = await client.get(`${stack.app.url}/projects/abc?company_id=${ACME_COMPANY_ID}`);
    expect(page.status).toBe(400);
    expect(page.body).toContain('does not name a valid project');
  });

  it('when the project does not exist, then a 404 page says so', async () => {
    const page = await client.get(`${stack.app.url}/projects/123?company_id=${ACME_COMPANY_ID}`);
    expect(page.status).toBe(404);
  });
});

describe("companies' zones and free companies", () => {
  it("when a company lives in another zone, then its links go to that zone's host; a company in the default zone links to its own", async () => {
    const summit = await client.get(`${stack.app.url}/projects?company_id=${SUMMIT_COMPANY_ID}&status=All`);
    const us02 = `${stack.procore.url}/us02`;
    expect(summit.body).toContain(`id="procore-company-link" href="${us02}/${SUMMIT_COMPANY_ID}/company/home/list"`);
    expect(summit.body).toMatch(
      new RegExp(
        `class="procore-link" href="${us02}/webclients/host/companies/${SUMMIT_COMPANY_ID}/projects/\\d+/tools/projecthome"`,
      ),
    );
    const projectId = /href="\/projects\/(\d+)\?/.exec(summit.body)![1];
    const details = await client.get(`${stack.app.url}/projects/${projectId}?company_id=${SUMMIT_COMPANY_ID}`);
    expect(details.body).toContain(
      `id="open-in-procore" href="${us02}/webclients/host/companies/${SUMMIT_COMPANY_ID}/projects/${projectId}/tools/projecthome"`,
    );

    const acme = await client.get(`${stack.app.url}/projects?company_id=${ACME_COMPANY_ID}`);
    expect(acme.body).toContain(
      `id="procore-company-link" href="${stack.procore.url}/${ACME_COMPANY_ID}/company/home/list"`,
    );
  });

  it('when a person belongs to a free company, then it is listed and its projects open', async () => {
    const page = await client.get(`${stack.app.url}/projects?company_id=${PINE_STREET_COMPANY_ID}&status=All`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('Pine Street Remodeling');
    expect(summary(page)).toBe('Showing 1–3 of 3 projects');
  });
});
