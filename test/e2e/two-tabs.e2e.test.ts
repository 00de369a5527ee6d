import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_USER } from '../../emulator';
import { useBrowserAndStack } from '../support/browser';

const env = useBrowserAndStack();

/** Opens "Sign in with Procore" in a new tab and fills in Procore's form, without sending it. */
async function startSignIn(context: BrowserContext): Promise<Page> {
  const { stack } = env;
  const page = await context.newPage();
  await page.goto(stack.app.url);
  await page.getByRole('link', { name: 'Sign in with Procore' }).click();
  await page.waitForURL(`${stack.procore.url}/oauth/authorize**`);
  await page.getByLabel('Email').fill(DEMO_USER.login);
  await page.getByLabel('Password').fill(DEMO_USER.password);
  return page;
}

/** Sends Procore's form; returns the callback address the tab came back through. */
async function finishSignIn(page: Page): Promise<string> {
  const [callback] = await Promise.all([
    page.waitForRequest(`${env.stack.app.url}/auth/callback**`),
    page.waitForURL(`${env.stack.app.url}/projects**`),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
  await expect(page.locator('.user-name').textContent()).resolves.toContain(DEMO_USER.name);
  return callback.url();
}

describe('signing in from two tabs in Chromium', () => {
  it.each([
    ['A, then B', [0, 1]],
    ['B, then A', [1, 0]],
  ] as const)(
    'when both tabs started a sign-in and they finish %s, then both land on the projects signed in',
    async (_order, [first, second]) => {
      const context = await env.browser.newContext();
      const tabs = [await startSignIn(context), await startSignIn(context)];
      const callback = await finishSignIn(tabs[first]!);
      await finishSignIn(tabs[second]!);

      // Still signed in in both tabs afterwards: one browser, one session.
      for (const tab of tabs) {
        await tab.reload();
        expect(new URL(tab.url()).pathname).toBe('/projects');
        await expect(tab.locator('.user-name').textContent()).resolves.toContain(DEMO_USER.name);
      }
      // Opening a finished callback again (history, reload) goes to the projects, not to an error.
      await tabs[first]!.goto(callback);
      expect(new URL(tabs[first]!.url()).pathname).toBe('/projects');
      await context.close();
    },
  );
});
