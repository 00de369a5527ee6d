/**
 * Screenshots of the real pages for the README: starts its own redis-server, the Procore emulator
 * and the app, signs in with headless Chromium and saves PNGs to docs/screenshots/.
 * Run: npx tsx scripts/screenshots.ts
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { createEmulator, DEMO_USER } from '../emulator';
import { startApp } from '../src/main';
import { launchChromium } from '../test/support/chromium';
import { freePort, startOwnedRedis } from '../test/support/redis-server';

const OUT = path.resolve(__dirname, '..', 'docs', 'screenshots');
async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const redis = await startOwnedRedis();
  const port = await freePort();
  const appUrl = `http://127.0.0.1:${port}`;
  const emulator = createEmulator({ redirectUris: [`${appUrl}/auth/callback`] });
  const procore = await emulator.listen(0);
  const app = await startApp({
    NODE_ENV: 'development',
    PORT: String(port),
    APP_URL: appUrl,
    PROCORE_LOGIN_URL: procore.url,
    PROCORE_API_URL: procore.url,
    // "Open in Procore" links go to the emulator's stand-in pages, as in the demo.
    PROCORE_WEB_URL: procore.url,
    PROCORE_CLIENT_ID: emulator.clientId,
    PROCORE_CLIENT_SECRET: emulator.clientSecret,
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: 'screenshots:',
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    METRICS_PORT: '0',
    LOG_LEVEL: 'warn',
  });
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const shoot = async (target: Page, name: string, fullPage = false): Promise<void> => {
      await target.screenshot({ path: path.join(OUT, `${name}.png`), fullPage });
      process.stdout.write(`saved docs/screenshots/${name}.png\n`);
    };

    await page.goto(appUrl);
    await shoot(page, 'sign-in');
    await page.getByRole('link', { name: 'Sign in with Procore' }).click();
    await page.getByLabel('Email').fill(DEMO_USER.login);
    await page.getByLabel('Password').fill(DEMO_USER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${appUrl}/projects**`);
    await shoot(page, 'projects-desktop');

    await page.getByLabel('Search by name or number').fill('school');
    await Promise.all([page.waitForURL(/q=school/), page.getByRole('button', { name: 'Search' }).click()]);
    await shoot(page, 'search-results');

    // The stage chart: choosing a stage filters the list.
    await page.goto(`${appUrl}/projects`);
    await Promise.all([
      page.waitForURL(/stage=/),
      page
        .getByRole('navigation', { name: 'Projects by stage' })
        .getByRole('link', { name: /^Bidding/ })
        .click(),
    ]);
    await shoot(page, 'stage-filter');

    await Promise.all([page.waitForURL(/\/projects\/\d+/), page.locator('table.projects tbody a').first().click()]);
    await shoot(page, 'project');

    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      storageState: await context.storageState(),
    });
    const phonePage = await phone.newPage();
    await phonePage.goto(`${appUrl}/projects`);
    await shoot(phonePage, 'projects-phone');
    await phone.close();
    await context.close();
  } finally {
    await browser.close();
    await app.stop();
    await procore.close();
    await redis.destroy();
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(
    `screenshots failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
