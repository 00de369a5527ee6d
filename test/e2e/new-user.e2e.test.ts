import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME_COMPANY_ID, DEMO_USER } from '../../emulator';
import { signInInBrowser, useBrowserAndStack } from '../support/browser';

// What a new user hit (issue 22), at a desktop's width and a phone's (390 px).
const env = useBrowserAndStack({ env: { ADMIN_USER_IDS: String(DEMO_USER.id) } });
const acme = `/projects?company_id=${ACME_COMPANY_ID}`;
const WIDTHS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } } as const;
type Width = keyof typeof WIDTHS;
const contexts = {} as Record<Width, BrowserContext>;

beforeAll(async () => {
  for (const width of Object.keys(WIDTHS) as Width[]) {
    const context = await env.browser.newContext({
      viewport: WIDTHS[width],
      bypassCSP: true,
      ...(width === 'phone' ? { isMobile: true, hasTouch: true } : {}),
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await signInInBrowser(page, env.stack.app.url, DEMO_USER, acme);
    await page.close();
    contexts[width] = context;
  }
});

afterAll(async () => {
  for (const context of Object.values(contexts)) await context?.close();
});

async function open(width: Width, path: string): Promise<Page> {
  const page = await contexts[width].newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${env.stack.app.url}${path}`);
  await page.locator('h1').waitFor();
  return page;
}

const sidewaysOverflow = (page: Page): Promise<number> =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe.each(['desktop', 'phone'] as const)('a leftover stage filter (%s)', (width) => {
  it('when "Completed" is chosen among inactive projects and the status goes back to Active, then the form shows the stage, its chip is current at 0 and the page offers to clear it instead of saying the company has no projects', async () => {
    const page = await open(width, `${acme}&status=Inactive`);
    await Promise.all([
      page.waitForURL(/stage=Completed/),
      page.locator('.stage-bar', { hasText: 'Completed' }).click(),
    ]);
    await page.getByLabel('Status').selectOption('Active');
    await Promise.all([
      page.waitForURL(/status=Active|^(?!.*status=)/),
      page.getByRole('button', { name: 'Search', exact: true }).click(),
    ]);

    await expect(page.getByLabel('Stage', { exact: true }).inputValue()).resolves.toBe('Completed');
    await expect(page.locator('.stage-bar[aria-current="true"]').textContent()).resolves.toMatch(/^Completed 0/);
    const empty = (await page.locator('.empty-state').textContent())!;
    expect(empty).toContain('No projects at this stage');
    expect(empty).toMatch(/None of Acme Builders's? [\d,]+ active projects is at stage “Completed”/);
    expect(empty).not.toContain('has no');
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);

    await Promise.all([
      page.waitForURL((url) => !url.searchParams.has('stage')),
      page.getByRole('link', { name: /^Clear the stage filter/ }).click(),
    ]);
    expect(await page.locator('table.projects tbody tr').count()).toBe(50);
    await expect(page.getByLabel('Stage', { exact: true }).inputValue()).resolves.toBe('');
    await page.close();
  });

  it('when the address names a stage no project has, then the form and the chart show it chosen', async () => {
    const page = await open(width, `${acme}&stage=Nonexistent`);
    await expect(page.getByLabel('Stage', { exact: true }).inputValue()).resolves.toBe('Nonexistent');
    await expect(page.locator('.stage-bar[aria-current="true"] .stage-name').textContent()).resolves.toBe(
      'Nonexistent',
    );
    await expect(page.getByRole('link', { name: /^Clear the stage filter/ }).count()).resolves.toBe(1);
    await page.close();
  });
});

describe.each(['desktop', 'phone'] as const)('long searches (%s)', (width) => {
  const pastedUrl = `https://app.procore.com/webclients/host/companies/${ACME_COMPANY_ID}/projects/6000000123/tools/projecthome?tab=details&x=${'y'.repeat(40)}`;

  it('when a pasted Procore address is searched, then the page stays as wide as the screen and the search-all-statuses button stays inside its box', async () => {
    const page = await open(width, `${acme}&q=${encodeURIComponent(pastedUrl)}`);
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    const box = (await page.locator('.empty-state').boundingBox())!;
    const button = (await page.locator('#search-all-statuses').boundingBox())!;
    expect(button.x).toBeGreaterThanOrEqual(box.x);
    expect(button.x + button.width).toBeLessThanOrEqual(box.x + box.width);
    await expect(page.locator('#search-all-statuses').textContent()).resolves.toMatch(/…”$/);
    await page.close();
  });

  it('when 100 x are searched, then the button stays inside its box', async () => {
    const page = await open(width, `${acme}&q=${'x'.repeat(100)}`);
    const box = (await page.locator('.empty-state').boundingBox())!;
    const button = (await page.locator('#search-all-statuses').boundingBox())!;
    expect(button.x + button.width).toBeLessThanOrEqual(box.x + box.width);
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    await page.close();
  });

  it('when more is typed than the field takes, then the field says it stopped at 100 characters', async () => {
    const page = await open(width, acme);
    const hint = page.locator('#q-hint');
    await expect(hint.textContent()).resolves.toContain('up to 100 characters');
    await page.getByLabel('Search by name or number').pressSequentially('z'.repeat(105));
    await expect(page.getByLabel('Search by name or number').inputValue()).resolves.toHaveLength(100);
    await expect(hint.textContent()).resolves.toContain('limit reached');
    await page.close();
  });
});

describe('an oversized request', () => {
  it("when the address holds a 20,000-character search, then the answer is the app's own 431 page, not Node's bare status line", async () => {
    const response = await fetch(`${env.stack.app.url}${acme}&q=${'x'.repeat(20_000)}`);
    expect(response.status).toBe(431);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    expect(html).toContain('<title>Request too large · Procore Dashboard</title>');
    expect(html).toContain('search for a part of it instead');
    expect(html).toContain('href="/static/app.css"');
  });
});

describe.each(['desktop', 'phone'] as const)('details (%s)', (width) => {
  it('when stage labels wrap onto two lines, then every bar and count of a row stays level with its neighbours', async () => {
    const page = await open(width, acme);
    // Narrow the chart so labels wrap at any width the test runs at.
    await page.addStyleTag({ content: '.stage-bars { grid-template-columns: repeat(3, 7rem) !important; }' });
    const rows = await page.locator('.stage-bars li').evaluateAll((items) =>
      items.map((item) => {
        const rect = (selector: string): DOMRect => item.querySelector(selector)!.getBoundingClientRect();
        const name = item.querySelector('.stage-name')!;
        const range = document.createRange();
        range.selectNodeContents(name);
        return {
          top: Math.round(item.getBoundingClientRect().top),
          lines: new Set(Array.from(range.getClientRects(), (line) => Math.round(line.top))).size,
          count: Math.round(rect('.stage-count').bottom),
          meter: item.querySelector('.stage-meter') ? Math.round(rect('.stage-meter').top) : undefined,
        };
      }),
    );
    expect(rows.some((row) => row.lines > 1)).toBe(true);
    for (const top of new Set(rows.map((bar) => bar.top))) {
      const row = rows.filter((bar) => bar.top === top);
      expect(new Set(row.map((bar) => bar.count)).size).toBe(1);
      expect(new Set(row.filter((bar) => bar.meter !== undefined).map((bar) => bar.meter)).size).toBeLessThanOrEqual(1);
    }
    await page.close();
  });

  it("when the skip link gets the keyboard's focus, then its whole focus outline is on screen", async () => {
    const page = await open(width, acme);
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Skip to content');
    const box = (await page.locator('.skip-link').boundingBox())!;
    // outline 3px + offset 2px
    expect(box.y).toBeGreaterThanOrEqual(5);
    await page.close();
  });

  it('when a keyboard user wants the next page, then pagination is a few Tabs after the search form, above the table', async () => {
    const page = await open(width, acme);
    await page.getByRole('button', { name: 'Search', exact: true }).focus();
    let tabs = 0;
    while (tabs < 30) {
      await page.keyboard.press('Tab');
      tabs += 1;
      const focused = await page.evaluate(() =>
        (document.activeElement as HTMLAnchorElement | null)?.getAttribute('rel'),
      );
      if (focused === 'next') break;
    }
    expect(tabs).toBeLessThan(20);
    await page.close();
  });

  it('when an operator opens a page, then the header links to /admin', async () => {
    const page = await open(width, acme);
    await expect(page.locator('.header-nav a[href="/admin"]').textContent()).resolves.toBe('Admin');
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    await Promise.all([page.waitForURL(/\/admin$/), page.locator('.header-nav a[href="/admin"]').click()]);
    await expect(page.locator('.header-nav [aria-current="page"]').textContent()).resolves.toBe('Admin');
    await page.close();
  });
});

describe.each(['phone', 'desktop'] as const)('the account page (%s)', (width) => {
  it('when the person has two sessions, then every session shows its browser, IP, both times and its Sign out within the screen, each time on at most two lines', async () => {
    const page = await open(width, '/account');
    const rows = page.locator('#sessions tbody tr');
    expect(await rows.count()).toBeGreaterThanOrEqual(2);
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    const viewport = WIDTHS[width].width;
    const inside = async (selector: string): Promise<void> => {
      for (const box of await page
        .locator(selector)
        .evaluateAll((elements) => elements.map((element) => element.getBoundingClientRect().toJSON() as DOMRect))) {
        expect(box.width).toBeGreaterThan(0);
        expect(box.left).toBeGreaterThanOrEqual(0);
        expect(box.right).toBeLessThanOrEqual(viewport);
      }
    };
    await inside('#sessions tbody th');
    await inside('#sessions tbody td[data-label="Last active"] time');
    await inside('#sessions tbody td[data-label="Signed in"] time');
    await inside('#sessions tbody button');
    const lines = await page.locator('#sessions tbody time').evaluateAll((times) =>
      times.map((time) => {
        const range = document.createRange();
        range.selectNodeContents(time);
        return new Set(Array.from(range.getClientRects(), (rect) => Math.round(rect.top))).size;
      }),
    );
    expect(Math.max(...lines)).toBeLessThanOrEqual(2);
    if (width === 'phone')
      await expect(page.locator('#sessions tbody td[data-label="Last active"]').first().textContent()).resolves.toMatch(
        /\d/,
      );
    await page.close();
  });
});

describe('dates', () => {
  it('when /account and /admin are read in Berlin with an American browser, then every moment on both is written one way, in Berlin time with its zone named', async () => {
    const context = await env.browser.newContext({ timezoneId: 'Europe/Berlin', locale: 'en-US' });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await signInInBrowser(page, env.stack.app.url, DEMO_USER, '/account');
    const texts: string[] = [];
    for (const path of ['/account', '/admin']) {
      await page.goto(`${env.stack.app.url}${path}`);
      texts.push(...(await page.locator('time[data-local]').allTextContents()));
    }
    expect(texts.length).toBeGreaterThan(4);
    for (const text of texts) expect(text).toMatch(/^\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d(:\d\d)? (CET|CEST)$/);
    await context.close();
  });
});
