import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ACME_COMPANY_ID, DEMO_USER } from '../../emulator';
import { PROJECT_CSV_HEADER } from '../../src/projects/projects-csv';
import { axeViolations } from '../support/axe';
import { signInInBrowser, useBrowserAndStack } from '../support/browser';
import type { TestApp } from '../support/stack';

// Browsers on a small shared machine: each test signs in and walks several pages, so it gets two minutes.
const env = useBrowserAndStack();

/**
 * The stack's app: its "Open in Procore" links go to the emulator's stand-in pages (as the demo's
 * do) because the emulator's company_base_url names its own host as each company's web host.
 */
function appLinkingToEmulator(): Promise<TestApp> {
  return Promise.resolve(env.stack.app);
}

async function signedInPage(appUrl: string): Promise<Page> {
  // bypassCSP only so axe can be injected; the pages themselves are checked with the CSP in other tests.
  const context = await env.browser.newContext({ bypassCSP: true, acceptDownloads: true });
  const page = await context.newPage();
  await signInInBrowser(page, appUrl, DEMO_USER);
  return page;
}

/** Every project name the list shows, following "Next" through every page. */
async function namesOnEveryPage(page: Page): Promise<string[]> {
  const names: string[] = [];
  for (;;) {
    names.push(...(await page.locator('table.projects tbody td[data-label="Name"] a').allTextContents()));
    // The pagination below the table (it is offered above it too).
    const next = page.getByRole('navigation', { name: 'Pages', exact: true }).getByRole('link', { name: 'Next →' });
    if ((await next.count()) === 0) return names;
    await Promise.all([page.waitForURL(/page=\d+/), next.click()]);
  }
}

describe('into Procore, CSV and the stage mix in a real browser', () => {
  it(
    "when a person follows a project's and the company's Open in Procore links, then Procore's web app opens them by their ids",
    { timeout: 120_000 },
    async () => {
      const app = await appLinkingToEmulator();
      const page = await signedInPage(app.url);
      await page.goto(`${app.url}/projects?company_id=${ACME_COMPANY_ID}`);
      const firstRow = page.locator('table.projects tbody tr').first();
      const name = (await firstRow.locator('td[data-label="Name"] a').textContent())!;
      const link = firstRow.getByRole('link', { name: `Open in Procore (${name})` });
      const href = (await link.getAttribute('href'))!;
      expect(href).toMatch(
        new RegExp(
          `^${env.stack.procore.url}/webclients/host/companies/${ACME_COMPANY_ID}/projects/\\d+/tools/projecthome$`,
        ),
      );

      await Promise.all([page.waitForURL(href), link.click()]);
      await expect(page.locator('#procore-project').textContent()).resolves.toBe(name);
      await page.goBack();

      // The project page links to the same place.
      await Promise.all([page.waitForURL(/\/projects\/\d+\?/), page.getByRole('link', { name, exact: true }).click()]);
      await expect(page.getByRole('link', { name: 'Open in Procore' }).getAttribute('href')).resolves.toBe(href);

      // And the company to its home.
      await page.goto(`${app.url}/projects?company_id=${ACME_COMPANY_ID}`);
      const company = page.getByRole('link', { name: 'Open Acme Builders in Procore' });
      await Promise.all([
        page.waitForURL(`${env.stack.procore.url}/${ACME_COMPANY_ID}/company/home/list`),
        company.click(),
      ]);
      await expect(page.locator('#procore-company').textContent()).resolves.toBe('Acme Builders');
      await page.context().close();
    },
  );

  it(
    'when a person downloads the list as CSV, then the file holds every project of every page, in the order the list shows them',
    { timeout: 120_000 },
    async () => {
      const { stack } = env;
      const page = await signedInPage(stack.app.url);
      await page.goto(`${stack.app.url}/projects?company_id=${ACME_COMPANY_ID}&status=All&sort=-number`);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: /^Download CSV/ }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^projects-acme-builders-\d{4}-\d\d-\d\d\.csv$/);
      const bytes = await readFile(await download.path());
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const records: string[][] = parse(bytes.toString('utf8'), { bom: true });
      const [header, ...rows] = records;
      expect(header).toEqual([...PROJECT_CSV_HEADER]);

      const names = await namesOnEveryPage(page);
      expect(names.length).toBeGreaterThan(50);
      expect(rows.map((row) => row[2])).toEqual(names);
      await page.context().close();
    },
  );

  it(
    'when a person picks a stage in the chart, then the list shows only that stage and the chart marks it',
    { timeout: 120_000 },
    async () => {
      const { stack } = env;
      const page = await signedInPage(stack.app.url);
      await page.goto(`${stack.app.url}/projects?company_id=${ACME_COMPANY_ID}`);
      const chart = page.getByRole('navigation', { name: 'Projects by stage' });
      const bidding = chart.getByRole('link', { name: /^Bidding \d+ projects?$/ });
      const count = Number(/\d+/.exec((await bidding.textContent())!)![0]);
      await Promise.all([page.waitForURL(/stage=Bidding/), bidding.click()]);

      const stages = await page.locator('table.projects tbody td[data-label="Stage"]').allTextContents();
      expect(new Set(stages)).toEqual(new Set(['Bidding']));
      await expect(page.locator('#result-summary').textContent()).resolves.toMatch(
        new RegExp(`of ${count} active projects? at stage “Bidding”`),
      );
      await expect(chart.locator('[aria-current="true"] .stage-name').textContent()).resolves.toBe('Bidding');
      expect(await axeViolations(page)).toEqual([]);

      await Promise.all([
        page.waitForURL((url) => !url.search.includes('stage=')),
        chart.getByRole('link', { name: /^All stages/ }).click(),
      ]);
      await expect(page.locator('#result-summary').textContent()).resolves.not.toContain('stage');
      await page.context().close();
    },
  );
});
