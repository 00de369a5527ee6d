import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME_COMPANY_ID, DEMO_USER } from '../../emulator';
import { axeViolations } from '../support/axe';
import { signInInBrowser, useBrowserAndStack } from '../support/browser';

const env = useBrowserAndStack();
const acme = `/projects?company_id=${ACME_COMPANY_ID}`;

let desktop: BrowserContext;
let phone: BrowserContext;

/** One signed-in browser profile per width, shared by the tests below (they only read pages). */
async function signedInContext(options: Parameters<typeof env.browser.newContext>[0]): Promise<BrowserContext> {
  const context = await env.browser.newContext(options);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await signInInBrowser(page, env.stack.app.url, DEMO_USER, acme);
  await page.close();
  return context;
}

async function open(context: BrowserContext, path: string): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${env.stack.app.url}${path}`);
  await page.locator('h1').waitFor();
  return page;
}

beforeAll(async () => {
  // bypassCSP: axe is injected as a script; Europe/Berlin: a reader whose zone is not UTC.
  desktop = await signedInContext({
    viewport: { width: 1280, height: 900 },
    bypassCSP: true,
    timezoneId: 'Europe/Berlin',
    locale: 'en-GB',
  });
  phone = await signedInContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
});

afterAll(async () => {
  await desktop?.close();
  await phone?.close();
});

describe('the project list in Chromium, at desktop and phone widths', () => {
  it('when 50 projects are listed at 390 px, then each is one compact row and the table is far shorter than four labelled lines per project', async () => {
    const page = await open(phone, acme);
    expect(await page.locator('table.projects tbody tr').count()).toBe(50);
    const table = await page.locator('table.projects').boundingBox();
    const firstRow = await page.locator('table.projects tbody tr').first().boundingBox();
    console.info(
      `phone (390 px): 50 rows = ${Math.round(table!.height)} px, one row = ${Math.round(firstRow!.height)} px`,
    );
    expect(table!.height).toBeLessThan(5_000);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await page.close();
  });

  it('when a phone shows page 1 of several, then the pagination keeps the "…" before the last page', async () => {
    const page = await open(phone, acme);
    const visible = await page
      .getByRole('navigation', { name: 'Pages', exact: true })
      .locator('.page-numbers li:visible')
      .allTextContents();
    expect(visible.map((text) => text.trim())).toEqual(['1', '…', '5']);
    await page.close();
  });

  it('when the list is wide enough, then no stage wraps onto a second line (names wrap first)', async () => {
    const page = await open(desktop, acme);
    const lines = await page.locator('table.projects td[data-label="Stage"]').evaluateAll((cells) =>
      cells.map((cell) => {
        const range = document.createRange();
        range.selectNodeContents(cell);
        return new Set(Array.from(range.getClientRects(), (rect) => Math.round(rect.top))).size;
      }),
    );
    expect(lines.length).toBe(50);
    expect(Math.max(...lines)).toBe(1);
    await page.close();
  });

  it('when the Inactive filter is on, then rows carry no Inactive badge; with all statuses, inactive rows do', async () => {
    const inactive = await open(desktop, `${acme}&status=Inactive`);
    expect(await inactive.locator('table.projects tbody tr').count()).toBeGreaterThan(0);
    expect(await inactive.locator('table.projects .badge').count()).toBe(0);
    await inactive.close();
    const all = await open(desktop, `${acme}&status=All`);
    expect(await all.locator('table.projects tbody tr.is-inactive .badge').count()).toBe(
      await all.locator('table.projects tbody tr.is-inactive').count(),
    );
    await all.close();
  });

  it('when a search finds no active project, then "Search all statuses" keeps the search and finds the inactive one', async () => {
    // An inactive project's number: unique, so no active project matches it.
    const inactive = await open(desktop, `${acme}&status=Inactive`);
    const numbers = await inactive.locator('table.projects td[data-label="Number"]').allTextContents();
    await inactive.close();
    const number = numbers.map((text) => text.trim()).find((text) => text !== '—')!;
    expect(number).toBeDefined();

    const page = await open(desktop, acme);
    await page.getByLabel('Search by name or number').fill(number);
    await Promise.all([page.waitForURL(/q=/), page.getByRole('button', { name: 'Search', exact: true }).click()]);
    expect(await page.locator('table.projects tbody tr').count()).toBe(0);
    await expect(page.getByRole('link', { name: 'Show all active projects' }).count()).resolves.toBe(0);
    await Promise.all([
      page.waitForURL(/status=All/),
      page.getByRole('link', { name: /^Search all statuses/ }).click(),
    ]);
    expect(new URL(page.url()).searchParams.get('q')).toBe(number);
    await expect(page.getByLabel('Search by name or number').inputValue()).resolves.toBe(number);
    await expect(page.locator('table.projects td[data-label="Number"]').allTextContents()).resolves.toContain(number);
    await page.close();
  });

  it('when a search is applied, then the Search and Clear buttons are the same height', async () => {
    const page = await open(desktop, `${acme}&q=Tower`);
    const search = await page.getByRole('button', { name: 'Search', exact: true }).boundingBox();
    const clear = await page.getByRole('link', { name: 'Clear', exact: true }).boundingBox();
    expect(Math.round(clear!.height)).toBe(Math.round(search!.height));
    await page.close();
  });

  it('when a page of the app is shown, then the header marks it as the current page', async () => {
    const projects = await open(desktop, acme);
    await expect(projects.locator('.header-nav [aria-current="page"]').textContent()).resolves.toBe('Projects');
    await projects.close();
    const account = await open(desktop, '/account');
    await expect(account.locator('.header-nav [aria-current="page"]').getAttribute('href')).resolves.toBe('/account');
    await account.close();
  });

  it('when the account page is read in Berlin, then times show in Berlin time with the zone named; without script, in UTC said so', async () => {
    const page = await open(desktop, '/account');
    const signedIn = page.locator('time[data-local]').first();
    const iso = (await signedIn.getAttribute('datetime'))!;
    const text = (await signedIn.textContent())!;
    expect(text).toMatch(/GMT\+1|CET|GMT\+2|CEST/);
    const berlinHour = new Intl.DateTimeFormat('en-GB', {
      hour: '2-digit',
      hourCycle: 'h23',
      timeZone: 'Europe/Berlin',
    }).format(new Date(iso));
    expect(text).toContain(`${berlinHour}:`);
    await page.close();

    const noScript = await env.browser.newContext({
      javaScriptEnabled: false,
      storageState: await desktop.storageState(),
    });
    const plain = await noScript.newPage();
    await plain.goto(`${env.stack.app.url}/account`);
    await expect(plain.locator('time[data-local]').first().textContent()).resolves.toMatch(
      /^\d{1,2} \w{3} \d{4}, \d{2}:\d{2} UTC$/,
    );
    await noScript.close();
  });

  it('when the first page of a list shows the disabled Previous, then axe finds no contrast problem', async () => {
    const page = await open(desktop, acme);
    await expect(page.locator('.pagination .is-disabled').first().textContent()).resolves.toContain('Previous');
    expect((await axeViolations(page)).filter((violation) => violation.startsWith('color-contrast'))).toEqual([]);
    await page.close();
  });

  it("when the emulator's sign-in page is shown, then its Sign in button passes axe's contrast check", async () => {
    const context = await env.browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${env.stack.app.url}/auth/procore`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect((await axeViolations(page)).filter((violation) => violation.startsWith('color-contrast'))).toEqual([]);
    await context.close();
  });
});
