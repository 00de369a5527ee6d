import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME_COMPANY_ID, DEFAULT_COMPANIES, DEMO_USER, SUMMIT_COMPANY_ID } from '../../emulator';
import { buildData } from '../../emulator/data';
import { summarizeProject } from '../../src/projects/project-summary';
import { PROJECT_CSV_HEADER } from '../../src/projects/projects-csv';
import { csrfTokenIn, HttpClient } from '../support/http-client';
import { startStack, type Stack } from '../support/stack';

/** The emulator's data is deterministic: our ground truth. */
const acme = buildData(DEFAULT_COMPANIES).projectsByCompany.get(ACME_COMPANY_ID)!.map(summarizeProject);

let stack: Stack;
let client: HttpClient;

beforeAll(async () => {
  stack = await startStack();
  client = new HttpClient();
  await client.signIn(stack.app.url, DEMO_USER);
});

afterAll(async () => {
  await stack?.close();
});

/** The raw bytes, which `Response.text()` would strip the byte-order mark from. */
async function download(path: string): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
  const cookie = [...client.cookies(stack.app.url)].map(([name, value]) => `${name}=${value}`).join('; ');
  const response = await fetch(`${stack.app.url}${path}`, { headers: { cookie }, redirect: 'manual' });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

function rowsOf(bytes: Buffer): string[][] {
  const records: string[][] = parse(bytes.toString('utf8'), { bom: true });
  const [header, ...rows] = records;
  expect(header).toEqual([...PROJECT_CSV_HEADER]);
  return rows;
}

describe('downloading the project list as CSV', () => {
  it('when the whole list is downloaded, then every project of every page comes in the list order, as UTF-8 with a BOM and a dated file name', async () => {
    const file = await download(`/projects.csv?company_id=${ACME_COMPANY_ID}&status=All&sort=-name`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    expect(file.headers.get('content-disposition')).toMatch(
      /^attachment; filename="?projects-acme-builders-\d{4}-\d{2}-\d{2}\.csv"?$/,
    );
    expect(file.headers.get('cache-control')).toBe('no-store');
    expect([...file.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);

    const rows = rowsOf(file.bytes);
    expect(rows).toHaveLength(acme.length);
    const fold = (name: string): string => name.toLowerCase();
    const expected = [...acme].sort((a, b) =>
      fold(a.name) < fold(b.name) ? 1 : fold(a.name) > fold(b.name) ? -1 : b.id - a.id,
    );
    expect(rows.map((row) => Number(row[0]))).toEqual(expected.map((project) => project.id));
    // PROCORE_WEB_URL is not set: links go to the host company_base_url named for Acme's zone (US01).
    expect(rows[0]![8]).toBe(
      `${stack.procore.url}/webclients/host/companies/${ACME_COMPANY_ID}/projects/${expected[0]!.id}/tools/projecthome`,
    );
  });

  it('when a search and a stage are in the address, then the file holds exactly the projects the page counts for them', async () => {
    const stage = acme.find((project) => project.active && project.stage)!.stage!;
    const search = `company_id=${ACME_COMPANY_ID}&q=a&stage=${encodeURIComponent(stage)}`;
    const rows = rowsOf((await download(`/projects.csv?${search}`)).bytes);
    const expected = acme.filter(
      (project) => project.active && project.stage === stage && project.name.toLowerCase().includes('a'),
    );
    expect(rows.map((row) => Number(row[0])).sort()).toEqual(expected.map((project) => project.id).sort());
    expect(rows.every((row) => row[3] === stage && row[4] === 'Active')).toBe(true);

    const page = await client.get(`${stack.app.url}/projects?${search}`);
    expect(page.body).toContain(`of ${expected.length} active project`);
    expect(page.body).toContain(`href="/projects.csv?${search.replace(/&/g, '&amp;').replace(/%20/g, '+')}"`);
  });

  it('when the list was never loaded, then the download reads it from Procore first', async () => {
    const before = stack.emulator.stats.restCalls['GET /rest/v1.0/projects'] ?? 0;
    const file = await download(`/projects.csv?company_id=${SUMMIT_COMPANY_ID}&status=All`);
    expect(file.status).toBe(200);
    const summit = buildData(DEFAULT_COMPANIES).projectsByCompany.get(SUMMIT_COMPANY_ID)!;
    expect(summit.length).toBeGreaterThan(0);
    expect(
      rowsOf(file.bytes)
        .map((row) => Number(row[0]))
        .sort(),
    ).toEqual(summit.map((project) => project.id).sort());
    // Summit lives in another zone (US02): its links go to that zone's host.
    expect(rowsOf(file.bytes)[0]![8]).toMatch(
      new RegExp(
        `^${stack.procore.url}/us02/webclients/host/companies/${SUMMIT_COMPANY_ID}/projects/\\d+/tools/projecthome$`,
      ),
    );
    expect(stack.emulator.stats.restCalls['GET /rest/v1.0/projects']).toBeGreaterThan(before);
  });

  it("when the company is not one of the person's, then the download is refused like the page", async () => {
    const file = await download('/projects.csv?company_id=5000000099');
    expect(file.status).toBe(403);
    expect(file.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('when nobody is signed in, then the download sends them to sign in and back', async () => {
    const response = await fetch(`${stack.app.url}/projects.csv?company_id=${ACME_COMPANY_ID}`, { redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(
      `/?next=${encodeURIComponent(`/projects.csv?company_id=${ACME_COMPANY_ID}`)}`,
    );
  });
});

describe('the stage mix above the list', () => {
  it('when the list is shown, then each stage is a link with its count, the counts add up, and following one filters the list', async () => {
    const page = await client.get(`${stack.app.url}/projects?company_id=${ACME_COMPANY_ID}`);
    const chart = /<nav class="card stage-mix"[\s\S]*?<\/nav>/.exec(page.body)?.[0] ?? '';
    const bars = [
      ...chart.matchAll(
        /<a class="stage-bar[^"]*" href="([^"]+)"[^>]*><span class="stage-name">([^<]+)<\/span> <span class="stage-count">(\d+)/g,
      ),
    ].map((m) => ({
      href: m[1]!.replace(/&amp;/g, '&'),
      name: m[2]!,
      count: Number(m[3]),
    }));
    const active = acme.filter((project) => project.active);
    expect(bars[0]).toMatchObject({ name: 'All stages', count: active.length });
    const stages = bars.slice(1);
    expect(stages.reduce((sum, bar) => sum + bar.count, 0)).toBe(active.length);
    for (const bar of stages)
      expect(bar.count).toBe(active.filter((project) => (project.stage ?? 'No stage') === bar.name).length);
    expect(chart).toContain('<svg class="stage-meter"');
    expect(chart).not.toContain('style=');

    const filtered = await client.get(`${stack.app.url}${stages[0]!.href}`);
    expect(filtered.body).toContain(
      `of ${stages[0]!.count} active projects at stage “${stages[0]!.name}” (${active.length} in total)`,
    );
    expect(filtered.body).toMatch(/class="stage-bar is-current" href="[^"]+" aria-current="true"/);

    // Searching (the form's Stage field, chosen) and refreshing (a hidden field) keep the stage.
    expect(filtered.body).toContain(
      `<option value="${stages[0]!.name}" selected>${stages[0]!.name} (${stages[0]!.count})</option>`,
    );
    expect(filtered.body).toContain(`<input type="hidden" name="stage" value="${stages[0]!.name}">`);
    const refreshed = await client.post(`${stack.app.url}/projects/refresh`, {
      _csrf: csrfTokenIn(filtered.body),
      company_id: String(ACME_COMPANY_ID),
      status: 'Active',
      sort: 'name',
      stage: stages[0]!.name,
    });
    expect(refreshed.hops[0]!.location).toBe(
      `/projects?company_id=${ACME_COMPANY_ID}&stage=${encodeURIComponent(stages[0]!.name).replace(/%20/g, '+')}`,
    );
  });
});
