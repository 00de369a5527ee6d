import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { CSV_BOM } from '../../src/csv/csv';
import { DEMO_USER, OTHER_USER } from '../../src/emulator';
import { axeViolations } from '../support/axe';
import { signInInBrowser, useBrowserAndStack } from '../support/browser';

const env = useBrowserAndStack({ env: { ADMIN_USER_IDS: String(DEMO_USER.id) } });

/** The cells of each body row of a table, as the page shows them. */
function tableRows(page: import('playwright-core').Page, selector: string): Promise<string[][]> {
  return page.$$eval(`${selector} tbody tr`, (rows) => rows.map((row) => Array.from(row.querySelectorAll('td')).map((cell) => (cell.textContent ?? '').trim())));
}

describe('operators and "Your sessions" in a real browser', () => {
  it('when Dana signs in on two browsers and ends the other one from the first, then that browser is signed out, Procore saw its tokens revoked, and /admin shows it all with a matching CSV', async () => {
    const { stack, browser } = env;
    const first = await browser.newContext({ bypassCSP: true, acceptDownloads: true });
    const second = await browser.newContext();
    const third = await browser.newContext();
    const here = await first.newPage();
    const there = await second.newPage();
    const sam = await third.newPage();
    await signInInBrowser(here, stack.app.url, DEMO_USER);
    await signInInBrowser(there, stack.app.url, DEMO_USER);
    await signInInBrowser(sam, stack.app.url, OTHER_USER);

    // Someone not listed in ADMIN_USER_IDS: the ordinary 404 page.
    const refused = await sam.goto(`${stack.app.url}/admin`);
    expect(refused?.status()).toBe(404);
    await expect(sam.locator('h1').textContent()).resolves.toBe('Page not found');

    await here.goto(`${stack.app.url}/account`);
    const sessions = here.locator('#sessions table tbody tr');
    expect(await sessions.count()).toBe(2);
    await expect(here.locator('#sessions tr.is-current th').textContent()).resolves.toContain('This session');
    expect(await axeViolations(here)).toEqual([]);

    const revocations = stack.emulator.stats.revocations;
    await Promise.all([here.waitForURL(/sessions_ended=1/), here.getByRole('button', { name: 'Sign out all other sessions' }).click()]);
    await expect(here.getByRole('status').textContent()).resolves.toContain('Signed out 1 other session.');
    expect(await sessions.count()).toBe(1);
    expect(stack.emulator.stats.revocations).toBe(revocations + 1);

    await there.goto(`${stack.app.url}/projects`);
    expect(new URL(there.url()).pathname).toBe('/');
    await expect(there.getByRole('link', { name: 'Sign in with Procore' }).isVisible()).resolves.toBe(true);

    await here.goto(`${stack.app.url}/admin`);
    await expect(here.locator('h1').textContent()).resolves.toBe('Operators');
    const health = await tableRows(here, 'table.token-health');
    expect(health.map((cells) => cells[0])).toEqual(expect.arrayContaining([String(DEMO_USER.id), String(OTHER_USER.id)]));
    const events = await tableRows(here, 'table.audit-trail');
    expect(events.map((cells) => cells[1])).toEqual(['Session ended from another session', 'Signed in', 'Signed in', 'Signed in']);
    expect(events[0]![5]).toMatch(/^Chrome \d+ on Linux$/);
    expect(await axeViolations(here)).toEqual([]);

    const [download] = await Promise.all([here.waitForEvent('download'), here.getByRole('link', { name: /Download the whole audit trail as CSV/ }).click()]);
    expect(download.suggestedFilename()).toMatch(/^audit-trail-\d{4}-\d\d-\d\d\.csv$/);
    const csv = await readFile(await download.path(), 'utf8');
    expect(csv.startsWith(CSV_BOM)).toBe(true);
    const lines = csv.slice(CSV_BOM.length).trimEnd().split('\r\n');
    expect(lines).toHaveLength(events.length + 1);
    // No cell here holds a comma or quote, so each row is the page's cells joined by commas.
    expect(lines.slice(1)).toEqual(events.map((cells) => cells.map((cell) => (/[",]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell)).join(',')));

    await Promise.all([first.close(), second.close(), third.close()]);
  });
});
