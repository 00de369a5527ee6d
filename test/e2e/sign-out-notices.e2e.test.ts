import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ACME_COMPANY_ID, DEMO_USER } from '../../emulator';
import { signInInBrowser, useBrowserAndStack } from '../support/browser';

// Sign-outs the person did not ask for in this tab say why (issue 22, items 3 and 4).
const env = useBrowserAndStack();
const acme = `/projects?company_id=${ACME_COMPANY_ID}`;

async function signedIn(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await signInInBrowser(page, env.stack.app.url, DEMO_USER, acme);
  return { context, page };
}

/** The session id in this browser's session cookie (`s:<id>.<signature>`). */
async function sessionId(context: BrowserContext): Promise<string> {
  const cookie = (await context.cookies()).find((candidate) => candidate.name.endsWith('.sid'))!;
  return /^s:([^.]+)\./.exec(decodeURIComponent(cookie.value))![1]!;
}

async function signInAgain(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Sign in with Procore' }).click();
  await page.getByLabel('Email').fill(DEMO_USER.login);
  await page.getByLabel('Password').fill(DEMO_USER.password);
  await Promise.all([
    page.waitForURL(`${env.stack.app.url}/projects**`),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
}

describe('sign-outs with a word', () => {
  it('when the session lapses without activity, then the next page is the sign-in page saying "signed out after 2 hours without activity", and signing in returns to that page', async () => {
    const { context, page } = await signedIn();
    // What Redis' idle expiry does: the session is gone, the browser still remembers it was signed in.
    await env.stack.redis.del(`${env.stack.keyPrefix}sess:${await sessionId(context)}`);
    await page.goto(`${env.stack.app.url}${acme}&status=All`);
    await expect(page.getByRole('status').textContent()).resolves.toBe(
      'You were signed out after 2 hours without activity. Please sign in again.',
    );
    await signInAgain(page);
    expect(page.url()).toBe(`${env.stack.app.url}${acme}&status=All`);
    // Said once: a later visit to the sign-in page after signing out on purpose says only that.
    await Promise.all([page.waitForURL(/signed_out=1/), page.getByRole('button', { name: 'Sign out' }).click()]);
    await page.goto(`${env.stack.app.url}/`);
    await expect(page.getByRole('status').count()).resolves.toBe(0);
    await context.close();
  });

  it('when the person signs this browser out from another of their sessions, then this browser is told so', async () => {
    const here = await signedIn();
    const there = await signedIn();
    await there.page.goto(`${env.stack.app.url}/account`);
    await Promise.all([
      there.page.waitForURL(/#sessions$/),
      there.page.getByRole('button', { name: 'Sign out all other sessions' }).click(),
    ]);

    await here.page.goto(`${env.stack.app.url}${acme}`);
    await expect(here.page.getByRole('status').textContent()).resolves.toBe(
      'You were signed out from another of your sessions. Please sign in again.',
    );
    await here.context.close();
    await there.context.close();
  });

  it('when a form is sent after signing out in another tab, then instead of "This form has expired" the person is told they were signed out and signing in brings them back to that page', async () => {
    const { context, page } = await signedIn();
    const other = await context.newPage();
    await other.goto(`${env.stack.app.url}/account`);
    await Promise.all([
      other.waitForURL(/signed_out=1/),
      other.locator('.header-nav').getByRole('button', { name: 'Sign out' }).click(),
    ]);

    // The first tab still shows the list it loaded while signed in.
    expect(page.url()).toBe(`${env.stack.app.url}${acme}`);
    await Promise.all([page.waitForURL(/signed_out=/), page.getByRole('button', { name: /^Refresh/ }).click()]);
    await expect(page.locator('h1').textContent()).resolves.not.toBe('This form has expired');
    const notice = (await page.getByRole('status').textContent())!;
    expect(notice).toContain('You were signed out');
    expect(notice).toContain('The form you sent was not used');
    await signInAgain(page);
    expect(page.url()).toBe(`${env.stack.app.url}${acme}`);
    await context.close();
  });
});
