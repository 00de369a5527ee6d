import { describe, expect, it } from 'vitest';
import { DEMO_USER } from '../../emulator';
import { newWatchedPage, useBrowserAndStack } from '../support/browser';

const env = useBrowserAndStack();

describe('signing in with a real browser', () => {
  it('when a person signs in, switches company and signs out, then every step shows what they expect', async () => {
    const { stack, browser } = env;
    const { context, page, consoleErrors } = await newWatchedPage(browser);

    await page.goto(stack.app.url);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('Your Procore projects');
    await page.getByRole('link', { name: 'Sign in with Procore' }).click();

    // On Procore's (the emulator's) own sign-in page.
    await page.waitForURL(`${stack.procore.url}/oauth/authorize**`);
    await page.getByLabel('Email').fill(DEMO_USER.login);
    await page.getByLabel('Password').fill(DEMO_USER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();

    await page.waitForURL(`${stack.app.url}/projects**`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Acme Builders');
    expect(await page.locator('table.projects tbody tr').count()).toBeGreaterThan(0);
    await expect(page.locator('.user-name').textContent()).resolves.toContain(DEMO_USER.name);

    // No token may be visible to the page's JavaScript: cookies are HttpOnly, the DOM has none.
    expect(await page.evaluate(() => document.cookie)).toBe('');
    const cookies = await context.cookies();
    expect(cookies.map((cookie) => [cookie.name, cookie.httpOnly, cookie.sameSite]).sort()).toEqual([
      ['procore-dashboard.sid', true, 'Lax'],
      ['procore-dashboard.sid.was', true, 'Lax'],
    ]);

    // Switch company with the picker: choose, then Show (choosing alone changes nothing, WCAG 3.2.2).
    await page.getByLabel('Company', { exact: true }).selectOption({ label: 'Northwind Civil Group' });
    await Promise.all([page.waitForURL(/company_id=5000000002/), page.getByRole('button', { name: /^Show/ }).click()]);
    await expect(page.locator('h1').textContent()).resolves.toBe('Northwind Civil Group');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${stack.app.url}/?signed_out=1`);
    await expect(page.getByRole('status').textContent()).resolves.toContain('You have signed out.');
    await page.goto(`${stack.app.url}/projects`);
    expect(new URL(page.url()).pathname).toBe('/');
    expect(consoleErrors, consoleErrors.join('\n')).toEqual([]);
    await context.close();
  });

  it('when the person clicks Deny on Procore’s page, then the home page says the sign-in was cancelled, with no error label', async () => {
    const { stack, browser } = env;
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${stack.app.url}/auth/procore`);
    await Promise.all([
      page.waitForURL(`${stack.app.url}/?sign_in=cancelled`),
      page.getByRole('button', { name: 'Deny' }).click(),
    ]);
    await expect(page.getByRole('status').textContent()).resolves.toContain('Sign-in cancelled');
    expect(await page.locator('body').textContent()).not.toMatch(/Error \d{3}/);
    await expect(page.getByRole('link', { name: 'Sign in with Procore' }).getAttribute('href')).resolves.toBe(
      '/auth/procore',
    );
    await context.close();
  });
});
