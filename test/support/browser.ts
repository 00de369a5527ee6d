import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, test } from 'vitest';
import { launchChromium } from './chromium';
import { startStack, type Stack, type StackOptions } from './stack';

/**
 * The worker's Chromium: launched for the first browser test file a vitest worker runs, shared by
 * the browser files after it (each in contexts of its own), closed when the worker ends. With
 * `isolate: false` (vitest.config.ts) that is one launch per worker instead of one per file.
 */
const withWorkerBrowser = test.extend('browser', { scope: 'worker' }, async ({}, { onCleanup }) => {
  const browser = await launchChromium();
  onCleanup(() => browser.close());
  return browser;
});

/**
 * For a browser test file: an app stack of its own and the worker's Chromium, ready before its
 * tests; the stack and every browser context the file left open are closed after them.
 * The returned object's fields are set once `beforeAll` has run.
 */
export function useBrowserAndStack(options?: StackOptions): { stack: Stack; browser: Browser } {
  const shared = {} as { stack: Stack; browser: Browser };
  withWorkerBrowser.beforeAll(async ({ browser }) => {
    shared.browser = browser;
    shared.stack = await startStack(options);
  });
  afterAll(async () => {
    await Promise.all(shared.browser?.contexts().map((context) => context.close()) ?? []);
    await shared.stack?.close();
  });
  return shared;
}

/** Opens `startPath` signed out, signs in on the emulator's page and waits to land back on the app. */
export async function signInInBrowser(
  page: Page,
  appUrl: string,
  user: { login: string; password: string },
  startPath = '/auth/procore',
): Promise<void> {
  await page.goto(`${appUrl}${startPath}`);
  if (startPath !== '/auth/procore') await page.getByRole('link', { name: 'Sign in with Procore' }).click();
  await page.getByLabel('Email').fill(user.login);
  await page.getByLabel('Password').fill(user.password);
  await Promise.all([page.waitForURL(`${appUrl}/**`), page.getByRole('button', { name: 'Sign in' }).click()]);
}

/** A fresh context and page that collects the page's console errors (a test then expects none). */
export async function newWatchedPage(
  browser: Browser,
  options?: BrowserContextOptions,
): Promise<{ context: BrowserContext; page: Page; consoleErrors: string[] }> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  return { context, page, consoleErrors };
}
