import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ACME_COMPANY_ID, DEMO_USER, NORTHWIND_COMPANY_ID } from '../../emulator';
import { axeViolations } from '../support/axe';
import { signInInBrowser, useBrowserAndStack } from '../support/browser';

// Browsers on a small shared machine: each test signs in and walks several pages, so it gets two minutes.
const env = useBrowserAndStack();

/** A fresh context (bypassCSP only so axe can be injected) on `path`, signed in or not. */
async function openPage(path: string, options: { signedIn: boolean }): Promise<Page> {
  const context = await env.browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  if (options.signedIn) await signInInBrowser(page, env.stack.app.url, DEMO_USER);
  await page.goto(`${env.stack.app.url}${path}`);
  return page;
}

/** Opens each path in turn on the same page and runs axe on it. */
async function expectNoViolations(
  page: Page,
  paths: ReadonlyArray<readonly [path: string, status: number]>,
): Promise<void> {
  for (const [path, status] of paths) {
    const response = await page.goto(`${env.stack.app.url}${path}`);
    expect(response?.status(), path).toBe(status);
    expect(await axeViolations(page), path).toEqual([]);
  }
  await page.context().close();
}

describe('accessibility of every page, checked by axe-core in Chromium', () => {
  it('when the home page is shown signed out, then axe reports nothing', { timeout: 120_000 }, async () => {
    await expectNoViolations(await openPage('/', { signedIn: false }), [['/', 200]]);
  });

  it(
    'when the project list, a filtered list, a project page and the account page are shown, then axe reports nothing',
    { timeout: 120_000 },
    async () => {
      await expectNoViolations(await openPage('/account', { signedIn: true }), [
        [`/projects?company_id=${ACME_COMPANY_ID}`, 200],
        [`/projects?company_id=${ACME_COMPANY_ID}&q=school&status=All&sort=-number&page=2`, 200],
        [`/projects?company_id=${ACME_COMPANY_ID}&q=no+such+project`, 200],
        [`/projects/6000000001?company_id=${ACME_COMPANY_ID}`, 200],
        ['/account', 200],
      ]);
    },
  );

  it('when a large company is still loading, then the loading page passes axe', { timeout: 120_000 }, async () => {
    const { stack } = env;
    const page = await openPage('/account', { signedIn: true });
    // Slow Procore down so the first load outlasts the page's wait, and keep the page from reloading itself under axe.
    stack.emulator.inject({ match: /^GET \/rest\/v1\.0\/projects$/, delayMs: 4_000, times: 5 });
    await page.route('**/projects?*', async (route) => {
      const response = await route.fetch();
      const headers = { ...response.headers() };
      delete headers.refresh;
      await route.fulfill({ response, headers });
    });
    const response = await page.goto(`${stack.app.url}/projects?company_id=${NORTHWIND_COMPANY_ID}&status=Inactive`);
    expect(response?.status()).toBe(202);
    await expect(page.locator('h1').textContent()).resolves.toContain('Northwind');
    expect(await axeViolations(page)).toEqual([]);
    await page.context().close();
    stack.emulator.clearFaults();
  });

  it(
    'when an error page is shown (not found, no access to a company, Procore unavailable), then axe reports nothing',
    { timeout: 120_000 },
    async () => {
      const { stack } = env;
      await expectNoViolations(await openPage('/', { signedIn: false }), [['/no-such-page', 404]]);
      await expectNoViolations(await openPage('/account', { signedIn: true }), [
        ['/no-such-page', 404],
        ['/projects?company_id=5000000099', 403],
        ['/projects/abc', 400],
      ]);

      const page = await openPage('/account', { signedIn: true });
      stack.emulator.inject({ match: /^GET \/rest\/v1\.0\/projects\/\d+$/, status: 503, times: 20 });
      const response = await page.goto(`${stack.app.url}/projects/6000099999?company_id=${ACME_COMPANY_ID}`);
      expect(response?.status()).toBe(503);
      expect(await axeViolations(page)).toEqual([]);
      stack.emulator.clearFaults();
      await page.context().close();
    },
  );
});
