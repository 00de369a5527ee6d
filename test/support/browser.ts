import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startStack, type Stack, type StackOptions } from './stack';

/** Debian's Chromium; `npx playwright install` cannot download browsers here. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Headless Chromium; Playwright gives every launch a fresh, empty profile of its own. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/**
 * For a browser test file: the app stack and Chromium, started before its tests and closed after.
 * The returned object's fields are set once `beforeAll` has run.
 */
export function useBrowserAndStack(options?: StackOptions): { stack: Stack; browser: Browser } {
  const shared = {} as { stack: Stack; browser: Browser };
  beforeAll(async () => {
    [shared.stack, shared.browser] = await Promise.all([startStack(options), launchChromium()]);
  });
  afterAll(async () => {
    await shared.browser?.close();
    await shared.stack?.close();
  });
  return shared;
}
