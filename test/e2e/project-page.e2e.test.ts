import { describe, expect, it } from 'vitest';
import { ACME_COMPANY_ID, DEFAULT_COMPANIES, DEMO_USER, NORTHWIND_COMPANY_ID } from '../../emulator';
import { buildData } from '../../emulator/data';
import { axeViolations } from '../support/axe';
import { newWatchedPage, signInInBrowser, useBrowserAndStack } from '../support/browser';

const env = useBrowserAndStack();
const data = buildData(DEFAULT_COMPANIES);
const acme = data.projectsByCompany.get(ACME_COMPANY_ID)!;
const northwind = data.projectsByCompany.get(NORTHWIND_COMPANY_ID)!;

/** A published-shape project with everything the page can show. */
const rich = acme.find(
  (project) =>
    project.active &&
    project.project_number &&
    project.project_stage &&
    project.logo_url &&
    project.total_value &&
    project.start_date &&
    project.office &&
    project.project_type,
)!;
const occurrences = (text: string, part: string): number => text.split(part).length - 1;

describe('the project page in a real browser', () => {
  it('when a published-shape project is opened, then stage, status, address with a map link, dates, value, office, type and logo show, number and stage once each', async () => {
    const { stack, browser } = env;
    const { context, page, consoleErrors } = await newWatchedPage(browser);
    await signInInBrowser(
      page,
      stack.app.url,
      { login: DEMO_USER.login, password: DEMO_USER.password },
      `/projects/${rich.id}?company_id=${ACME_COMPANY_ID}`,
    );
    await page.waitForURL(`${stack.app.url}/projects/${rich.id}?company_id=${ACME_COMPANY_ID}`);

    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(rich.name);
    const main = (await page.locator('main').innerText()).replace(/\s+/g, ' ');
    expect(occurrences(main, rich.project_number!)).toBe(1);
    expect(occurrences(main, rich.project_stage!.name)).toBe(1);
    await expect(page.locator('#project-stage').textContent()).resolves.toBe(`Stage: ${rich.project_stage!.name}`);
    await expect(page.locator('#project-status').innerText()).resolves.toBe('Active');

    const details = await page.locator('#project-details').innerText();
    for (const label of ['Address', 'Start date', 'Total value', 'Office', 'Project type', 'Procore id'])
      expect(details).toContain(label);
    expect(details).toContain(rich.office!.name!);
    expect(details).toContain(rich.project_type!.name!);
    expect(details).toContain(new Intl.NumberFormat('en-US', { minimumFractionDigits: 2 }).format(rich.total_value!));
    expect(details).not.toMatch(/\$|USD/);
    await expect(page.getByRole('link', { name: 'Map (OpenStreetMap)' }).getAttribute('href')).resolves.toBe(
      `https://www.openstreetmap.org/?mlat=${rich.latitude}&mlon=${rich.longitude}#map=16/${rich.latitude}/${rich.longitude}`,
    );
    // The logo loads under the page's Content-Security-Policy (a blocked image would log an error).
    expect(
      await page
        .locator('img.project-logo')
        .evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth > 0),
    ).toBe(true);
    expect(consoleErrors, consoleErrors.join('\n')).toEqual([]);
    await context.close();
  });

  it('when a published-shape company and a v1-string-stage company list projects, then both show stages in the list and on the project page', async () => {
    const { stack, browser } = env;
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInInBrowser(
      page,
      stack.app.url,
      { login: DEMO_USER.login, password: DEMO_USER.password },
      `/projects?company_id=${ACME_COMPANY_ID}`,
    );
    for (const [companyId, projects] of [
      [ACME_COMPANY_ID, acme],
      [NORTHWIND_COMPANY_ID, northwind],
    ] as const) {
      await page.goto(`${stack.app.url}/projects?company_id=${companyId}`);
      const stages = (await page.locator('table.projects tbody td[data-label="Stage"]').allInnerTexts()).map((text) =>
        text.trim(),
      );
      const known = new Set(projects.map((project) => project.stage).filter(Boolean));
      expect(stages.filter((stage) => known.has(stage)).length, String(companyId)).toBeGreaterThan(stages.length * 0.8);
      const staged = projects.find((project) => project.active && project.stage && !project.logo_url)!;
      await page.goto(`${stack.app.url}/projects/${staged.id}?company_id=${companyId}`);
      await expect(page.locator('#project-stage').textContent()).resolves.toBe(`Stage: ${staged.stage}`);
    }
    const unstaged = acme.find((project) => project.active && project.stage === null)!;
    await page.goto(`${stack.app.url}/projects/${unstaged.id}?company_id=${ACME_COMPANY_ID}`);
    expect(await page.locator('#project-stage').count()).toBe(0);
    await context.close();
  });

  it('when a project with a logo, a map link and every detail, and one with none, are shown, then axe reports nothing', async () => {
    const { stack, browser } = env;
    // bypassCSP only so axe can be injected.
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await signInInBrowser(page, stack.app.url, { login: DEMO_USER.login, password: DEMO_USER.password });
    const bare = acme.find((project) => project.stage === null && !project.logo_url)!;
    for (const project of [rich, bare]) {
      await page.goto(`${stack.app.url}/projects/${project.id}?company_id=${ACME_COMPANY_ID}`);
      expect(await axeViolations(page), String(project.id)).toEqual([]);
    }
    await context.close();
  });
});
