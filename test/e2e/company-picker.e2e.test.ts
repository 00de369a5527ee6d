import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ACME_COMPANY_ID, DEMO_USER, NORTHWIND_COMPANY_ID, OTHER_USER } from '../../emulator';
import { signInInBrowser, useBrowserAndStack } from '../support/browser';

const env = useBrowserAndStack();

/** Page loads the browser has started so far (a change handler that submits starts one at once). */
function navigationsOf(page: Page): string[] {
  const started: string[] = [];
  page.on('request', (request) => {
    if (request.isNavigationRequest()) started.push(request.url());
  });
  return started;
}

/** Lets the page finish what the last input set off (event handlers, a frame). */
async function settle(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
}

describe('the company picker in a real browser', () => {
  it('when a keyboard user arrows through the companies, then nothing loads until Enter, and then the chosen company shows', async () => {
    const { stack, browser } = env;
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await signInInBrowser(page, stack.app.url, DEMO_USER, `/projects?company_id=${ACME_COMPANY_ID}`);
    const before = page.url();
    const navigations = navigationsOf(page);

    await page.getByLabel('Company', { exact: true }).focus();
    await page.keyboard.press('ArrowDown');
    await expect(page.getByLabel('Company', { exact: true }).inputValue()).resolves.toBe(String(NORTHWIND_COMPANY_ID));
    await settle(page);
    expect(navigations).toEqual([]);
    expect(page.url()).toBe(before);
    await expect(page.locator('h1').textContent()).resolves.toBe('Acme Builders');

    await Promise.all([
      page.waitForURL(`**/projects?company_id=${NORTHWIND_COMPANY_ID}`),
      page.keyboard.press('Enter'),
    ]);
    await expect(page.locator('h1').textContent()).resolves.toBe('Northwind Civil Group');
    await context.close();
  });

  it('when a person picks a company with the mouse, then the Show button loads it', async () => {
    const { stack, browser } = env;
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await signInInBrowser(page, stack.app.url, DEMO_USER, `/projects?company_id=${ACME_COMPANY_ID}`);
    const navigations = navigationsOf(page);
    await page.getByLabel('Company', { exact: true }).selectOption(String(NORTHWIND_COMPANY_ID));
    await settle(page);
    expect(navigations).toEqual([]);
    await expect(page.locator('h1').textContent()).resolves.toBe('Acme Builders');
    await Promise.all([
      page.waitForURL(`**/projects?company_id=${NORTHWIND_COMPANY_ID}`),
      page.getByRole('button', { name: /^Show/ }).click(),
    ]);
    await expect(page.locator('h1').textContent()).resolves.toBe('Northwind Civil Group');
    await context.close();
  });

  it('when JavaScript is off, then choosing a company and pressing Show still works', async () => {
    const { stack, browser } = env;
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await signInInBrowser(page, stack.app.url, DEMO_USER, `/projects?company_id=${ACME_COMPANY_ID}`);
    await page.getByLabel('Company', { exact: true }).selectOption(String(NORTHWIND_COMPANY_ID));
    await Promise.all([
      page.waitForURL(`**/projects?company_id=${NORTHWIND_COMPANY_ID}`),
      page.getByRole('button', { name: /^Show/ }).click(),
    ]);
    await expect(page.locator('h1').textContent()).resolves.toBe('Northwind Civil Group');
    await context.close();
  });

  it('when the company asked for is not one of theirs, then the picker shows a placeholder instead of another company', async () => {
    const { stack, browser } = env;
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await signInInBrowser(page, stack.app.url, DEMO_USER, '/projects?company_id=999');
    await expect(page.locator('h1').textContent()).resolves.toBe('No access');
    await expect(page.locator('#company_id option:checked').textContent()).resolves.toBe('Choose a company');
    await expect(page.locator('#no-access-title + p').textContent()).resolves.toContain('Pick another company above');
    await context.close();
  });

  it('when a person with a single company opens a foreign one, then the page does not point to a picker that is not there', async () => {
    const { stack, browser } = env;
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await signInInBrowser(page, stack.app.url, OTHER_USER, `/projects?company_id=${ACME_COMPANY_ID}`);
    await expect(page.locator('h1').textContent()).resolves.toBe('No access');
    await expect(page.getByLabel('Company', { exact: true }).count()).resolves.toBe(0);
    const text = await page.locator('#no-access-title + p').textContent();
    expect(text).not.toContain('Pick another company');
    expect(text).toContain('Ask a Procore admin');
    await context.close();
  });
});
