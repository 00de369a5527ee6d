import { parse } from 'csv-parse/sync';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { CSV_BOM } from '../../src/csv/csv';
import { DEMO_USER, OTHER_USER } from '../../emulator';
import { axeViolations } from '../support/axe';
import { signInInBrowser, useBrowserAndStack } from '../support/browser';

const env = useBrowserAndStack({ env: { ADMIN_USER_IDS: String(DEMO_USER.id) } });

/** The cells of each body row of a table, as the page shows them. */
function tableRows(page: import('playwright-core').Page, selector: string): Promise<string[][]> {
  return page.$$eval(`${selector} tbody tr`, (rows) =>
    rows.map((row) => Array.from(row.querySelectorAll('td')).map((cell) => (cell.textContent ?? '').trim())),
  );
}

describe('operators and "Your sessions" in a real browser', () => {
  it("when Sam hits a forced refresh failure and signs out, and Dana ends her other browser's session from the first, then that browser is signed out, Procore saw its tokens revoked, and /admin shows it all with a matching CSV", async () => {
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

    // A forced refresh failure for Sam: the access tokens expire and Procore's token endpoint fails once.
    stack.emulator.expireAccessTokens();
    stack.emulator.inject({ match: 'POST /oauth/token', status: 503, times: 1 });
    expect((await sam.goto(`${stack.app.url}/account`))?.status()).toBe(503);
    // Then Sam signs out.
    await Promise.all([
      sam.waitForURL(`${stack.app.url}/?signed_out=*`),
      sam.getByRole('button', { name: 'Sign out' }).click(),
    ]);

    await here.goto(`${stack.app.url}/account`);
    const sessions = here.locator('#sessions table tbody tr');
    expect(await sessions.count()).toBe(2);
    await expect(here.locator('#sessions tr.is-current th').textContent()).resolves.toContain('This session');
    expect(await axeViolations(here)).toEqual([]);

    const revocations = stack.emulator.stats.revocations;
    await Promise.all([
      here.waitForURL(/\/account#sessions$/),
      here.getByRole('button', { name: 'Sign out all other sessions' }).click(),
    ]);
    await expect(here.getByRole('status').textContent()).resolves.toContain('Signed out 1 other session.');
    expect(await sessions.count()).toBe(1);
    expect(stack.emulator.stats.revocations).toBe(revocations + 1);

    await there.goto(`${stack.app.url}/projects`);
    expect(new URL(there.url()).pathname).toBe('/');
    await expect(there.getByRole('link', { name: 'Sign in with Procore' }).isVisible()).resolves.toBe(true);

    await here.goto(`${stack.app.url}/admin`);
    await expect(here.locator('h1').textContent()).resolves.toBe('Operators');
    const health = await tableRows(here, 'table.token-health');
    const samHealth = health.find((cells) => cells[0] === String(OTHER_USER.id))!;
    // Procore user id, sessions, token expiry, last refresh, refreshes, failed, lock waits, last error.
    expect(samHealth[1]).toBe('0');
    expect(samHealth.slice(4, 7)).toEqual(['0', '1', '0']);
    expect(samHealth[7]).toMatch(/^503 Procore error at \d{1,2} \w{3} \d{4}, \d\d:\d\d:\d\d \S+$/);
    expect(health.find((cells) => cells[0] === String(DEMO_USER.id))![1]).toBe('1');
    const events = await tableRows(here, 'table.audit-trail');
    expect(events.map((cells) => `${cells[1]} ${cells[2]}`)).toEqual([
      `Session ended from another session ${DEMO_USER.login}`,
      `Signed out ${OTHER_USER.login}`,
      `Signed in ${OTHER_USER.login}`,
      `Signed in ${DEMO_USER.login}`,
      `Signed in ${DEMO_USER.login}`,
    ]);
    expect(events[0]![5]).toMatch(/^Chrome \d+ on Linux$/);
    expect(await axeViolations(here)).toEqual([]);

    const [download] = await Promise.all([
      here.waitForEvent('download'),
      here.getByRole('link', { name: /Download the whole audit trail as CSV/ }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^audit-trail-\d{4}-\d\d-\d\d\.csv$/);
    const csv = await readFile(await download.path(), 'utf8');
    expect(csv.startsWith(CSV_BOM)).toBe(true);
    const records: string[][] = parse(csv.slice(CSV_BOM.length));
    const csvRows = records.slice(1);
    // The CSV holds the page's rows, cell for cell; its times (UTC, ISO-like) are the page's moments.
    expect(csvRows.map((cells) => cells.slice(1))).toEqual(events.map((cells) => cells.slice(1)));
    const moments = await here.$$eval('table.audit-trail tbody time', (times) =>
      times.map((time) => time.getAttribute('datetime')),
    );
    expect(csvRows.map((cells) => new Date(`${cells[0]}Z`).toISOString().slice(0, 19))).toEqual(
      moments.map((at) => at!.slice(0, 19)),
    );

    await Promise.all([first.close(), second.close(), third.close()]);
  });
});
