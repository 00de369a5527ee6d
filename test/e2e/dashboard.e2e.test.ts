import { describe, expect, it } from 'vitest';
import { ACME_COMPANY_ID, DEMO_USER } from '../../emulator';
import { newWatchedPage, useBrowserAndStack } from '../support/browser';

const env = useBrowserAndStack();

describe('the dashboard in a real browser', () => {
  it('when a person signs in, searches, pages and opens a project, then each step shows the right projects and the way back keeps the search', async () => {
    const { stack, browser } = env;
    const { context, page, consoleErrors } = await newWatchedPage(browser);

    // A deep link while signed out: sign in on Procore, then land where the link pointed.
    await page.goto(`${stack.app.url}/projects?company_id=${ACME_COMPANY_ID}`);
    await page.getByRole('link', { name: 'Sign in with Procore' }).click();
    await page.getByLabel('Email').fill(DEMO_USER.login);
    await page.getByLabel('Password').fill(DEMO_USER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${stack.app.url}/projects?company_id=${ACME_COMPANY_ID}`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Acme Builders');
    expect(await page.locator('table.projects tbody tr').count()).toBe(50);
    await expect(page.locator('#result-summary').textContent()).resolves.toMatch(
      /^Showing 1–50 of \d+ active projects$/,
    );
    await expect(page.locator('.freshness').textContent()).resolves.toMatch(/Updated (just now|\d+ seconds ago)/);

    // Page 2 through the pagination links; the current page is marked for assistive technology.
    await Promise.all([
      page.waitForURL(/page=2/),
      page
        .getByRole('navigation', { name: 'Pages', exact: true })
        .getByRole('link', { name: 'Page 2', exact: true })
        .click(),
    ]);
    await expect(page.locator('#result-summary').textContent()).resolves.toMatch(/^Showing 51–100 of/);
    await expect(page.locator('.pagination [aria-current="page"]').allTextContents()).resolves.toEqual(['2', '2']);

    // Search: every row matches, in the address bar, and the search box keeps the words.
    await page.getByLabel('Search by name or number').fill('School');
    await Promise.all([page.waitForURL(/q=School/), page.getByRole('button', { name: 'Search' }).press('Enter')]);
    const names = await page.locator('table.projects tbody td[data-label="Name"] a').allTextContents();
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(name.toLowerCase()).toContain('school');
    await expect(page.getByLabel('Search by name or number').inputValue()).resolves.toBe('School');

    // Open the first result, then go back to the same search with the link.
    const first = names[0]!;
    await Promise.all([
      page.waitForURL(/\/projects\/\d+\?/),
      page.getByRole('link', { name: first, exact: true }).click(),
    ]);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(first);
    await expect(page.locator('.details').textContent()).resolves.toContain('Procore id');
    await Promise.all([
      page.waitForURL(/\/projects\?company_id=\d+&q=School$/),
      page.getByRole('link', { name: '← Back to projects' }).click(),
    ]);
    expect(await page.locator('table.projects tbody td[data-label="Name"] a').allTextContents()).toEqual(names);
    await expect(page.getByLabel('Search by name or number').inputValue()).resolves.toBe('School');

    // The browser's own back button works too: everything lives in the address.
    await page.goBack();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(first);

    expect(consoleErrors, consoleErrors.join('\n')).toEqual([]);
    await context.close();
  });

  it('when the page is as narrow as a phone, then the list has no sideways scrolling and the filters stay usable', async () => {
    const { stack, browser } = env;
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await page.goto(`${stack.app.url}/auth/procore`);
    await page.getByLabel('Email').fill(DEMO_USER.login);
    await page.getByLabel('Password').fill(DEMO_USER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${stack.app.url}/projects**`);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await expect(page.getByLabel('Status').isVisible()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: 'Search' }).isVisible()).resolves.toBe(true);
    await context.close();
  });
});
