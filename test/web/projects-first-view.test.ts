import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER, OTHER_USER } from '../../emulator';
import { buildData } from '../../emulator/data';
import type { ProcoreProject } from '../../src/procore/types';
import { summarizeProject } from '../../src/projects/project-summary';
import { foldText, stageKey } from '../../src/projects/query';
import { HttpClient, type ClientResponse } from '../support/http-client';
import { startStack, type Stack } from '../support/stack';

const PROJECTS = 'GET /rest/v1.0/projects';
const BIG = 5_000_000_710;
const COMPANY = { id: BIG, name: 'Longhaul Rail', projectCount: 710 };
/** Another as big, for the download (each list is loaded for the first time once). */
const OTHER = { id: 5_000_000_711, name: 'Longhaul Freight', projectCount: 710 };
const all: ProcoreProject[] = buildData([COMPANY]).projectsByCompany.get(BIG)!;
const byName = (a: ProcoreProject, b: ProcoreProject): number =>
  foldText(a.name) < foldText(b.name) ? -1 : foldText(a.name) > foldText(b.name) ? 1 : a.id - b.id;
/** The emulator's name order (`sort=name`). */
const procoreOrder = (projects: ProcoreProject[]): ProcoreProject[] =>
  [...projects].sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || a.id - b.id);
/** Procore's first page when asked for name order: what the first view holds. */
const firstPage = procoreOrder(all).slice(0, 300);

let stack: Stack;
let client: HttpClient;

beforeAll(async () => {
  stack = await startStack({
    emulator: { companies: [COMPANY, OTHER], users: [{ ...DEMO_USER, companyIds: [BIG, OTHER.id] }, OTHER_USER] },
  });
  client = new HttpClient();
  // Signed in on the account page: no list is read before the tests ask for one.
  await client.signIn(stack.app.url, DEMO_USER, { next: '/account' });
});
afterEach(() => stack.emulator.clearFaults());
afterAll(async () => {
  await stack?.close();
});

/** Procore answers the first page of the list at once and the others only after `ms`. */
function laterPagesTake(ms: number): void {
  stack.emulator.inject({ match: PROJECTS, times: 1 });
  stack.emulator.inject({ match: PROJECTS, delayMs: ms, times: 2 });
}

function rowNames(page: ClientResponse): string[] {
  const table = /<table class="projects">[\s\S]*?<\/table>/.exec(page.body)?.[0] ?? '';
  return [...table.matchAll(/<td data-label="Name"><a href="[^"]*">([^<]*)<\/a>/g)].map((match) =>
    match[1]!.replace(/&#39;/g, "'").replace(/&amp;/g, '&'),
  );
}

function summary(page: ClientResponse): string {
  return (/<p class="count" id="result-summary"[^>]*>([^<]*)<\/p>/.exec(page.body)?.[1] ?? '').replace(
    /&#34;|&quot;/g,
    '"',
  );
}

/** The numbers of the stage chart's bars (the "All stages" bar first). */
function stageCounts(page: ClientResponse): number[] {
  return [...page.body.matchAll(/<span class="stage-count">([\d,]+)</g)].map((match) =>
    Number(match[1]!.replace(/,/g, '')),
  );
}

async function progressOf(status: string): Promise<{ state: string; loaded?: number; total?: number }> {
  const response = await client.get(`${stack.app.url}/projects/progress?company_id=${BIG}&status=${status}`);
  expect(response.status).toBe(200);
  return JSON.parse(response.body) as { state: string; loaded?: number; total?: number };
}

async function untilLoaded(status: string): Promise<void> {
  for (let attempt = 0; attempt < 400; attempt += 1) {
    if ((await progressOf(status)).state === 'done') return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the list never finished loading');
}

describe("a big company's first view", () => {
  it("when the list is asked for the first time, then the first page's rows are shown as soon as Procore sends it, in name order, saying how much has loaded, and the whole list follows", async () => {
    stack.emulator.resetStats();
    laterPagesTake(1_500);
    const page = await client.get(`${stack.app.url}/projects?company_id=${BIG}&status=All`);
    expect(page.status).toBe(200);
    // Procore was asked for name order, so the first page holds the list's first rows.
    const asked = stack.emulator.stats.requests.find((request) => request.path === '/rest/v1.0/projects')!;
    expect(asked.query).toMatchObject({ sort: 'name', per_page: '300', page: '1' });
    expect(rowNames(page)).toEqual(
      [...firstPage]
        .sort(byName)
        .slice(0, 50)
        .map((project) => project.name),
    );
    expect(rowNames(page)).toEqual(
      [...all]
        .sort(byName)
        .slice(0, 50)
        .map((project) => project.name),
    );
    expect(page.body).toMatch(/<strong id="list-progress-count">300 of 710 loaded<\/strong>/);
    expect(summary(page)).toBe('Showing 1–50 of 300 projects, among the projects loaded so far (300 of 710 loaded)');
    // Updated in place by our own script, or by reloading where scripts do not run.
    expect(page.body).toContain('<script src="/static/list-progress.js" defer></script>');
    expect(page.body).toContain('<noscript><meta http-equiv="refresh" content="3"></noscript>');
    expect(await progressOf('All')).toEqual({ state: 'loading', loaded: 300, total: 710 });

    await untilLoaded('All');
    const complete = await client.get(`${stack.app.url}/projects?company_id=${BIG}&status=All`);
    expect(complete.body).not.toContain('id="list-progress"');
    expect(complete.body).not.toContain('http-equiv="refresh"');
    expect(summary(complete)).toBe('Showing 1–50 of 710 projects');
    expect(rowNames(complete)).toEqual(rowNames(page));
    expect(stack.emulator.stats.restCalls[PROJECTS]).toBe(3);
  });

  it('when a person searches and looks at stages while the list is loading, then both act on what has loaded and say so; a sort Procore did not send says its order is not final yet', async () => {
    laterPagesTake(1_500);
    const page = await client.get(`${stack.app.url}/projects?company_id=${BIG}&status=Active`);
    expect(page.body).toContain('id="list-progress"');
    const loaded = procoreOrder(all.filter((project) => project.active !== false)).slice(0, 300);
    // Stage counts: of the loaded projects only, and the chart says so.
    expect(page.body).toContain('Projects by stage <span class="muted">(of those loaded so far)</span>');
    const [allStages, ...bars] = stageCounts(page);
    expect(allStages).toBe(loaded.length);
    expect(bars.reduce((sum, count) => sum + count, 0)).toBe(loaded.length);

    const word = loaded[0]!.name.split(' ')[0]!;
    const matching = loaded.filter((project) =>
      foldText(`${project.name} ${project.project_number ?? ''}`).includes(foldText(word)),
    );
    const searched = await client.get(
      `${stack.app.url}/projects?company_id=${BIG}&status=Active&q=${encodeURIComponent(word)}`,
    );
    expect(searched.body).toContain('id="list-progress"');
    expect(summary(searched)).toContain(`of ${matching.length} active project`);
    expect(summary(searched)).toContain('among the projects loaded so far');

    const stage = stageKey(summarizeProject(loaded[0]!));
    const staged = await client.get(
      `${stack.app.url}/projects?company_id=${BIG}&status=Active&stage=${encodeURIComponent(stage)}&sort=-name`,
    );
    expect(summary(staged)).toContain('among the projects loaded so far');
    expect(staged.body).toContain('and the order is final once every project is in');
    await untilLoaded('Active');
  });

  it('when the CSV of a list still loading is asked for, then it waits for every project (never a partial file), and the link says it will', async () => {
    laterPagesTake(1_000);
    const page = await client.get(`${stack.app.url}/projects?company_id=${OTHER.id}&status=All`);
    expect(page.body).toContain('id="list-progress"');
    expect(page.body).toMatch(
      /id="download-csv"[^>]*>Download CSV<span class="visually-hidden"> of all listed projects<\/span> \(waits until every project is in\)<\/a>/,
    );
    const csv = await client.get(`${stack.app.url}/projects.csv?company_id=${OTHER.id}&status=All`);
    expect(csv.status).toBe(200);
    expect(csv.body.trim().split('\r\n')).toHaveLength(1 + 710);
  });
});
