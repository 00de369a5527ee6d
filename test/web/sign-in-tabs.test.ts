import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER, NORTHWIND_COMPANY_ID, OTHER_USER } from '../../emulator';
import { HttpClient } from '../support/http-client';
import { startStack, type Stack } from '../support/stack';
import type { SessionAuth } from '../../src/procore-auth/session-data';

/** What the app keeps in Redis for a session, as far as these tests read it. */
type StoredSession = { auth: SessionAuth };

const COOKIE = 'procore-dashboard.sid';

let stack: Stack;
/** The app's clock: tests move it instead of waiting. */
let clock = Date.now();

beforeAll(async () => {
  stack = await startStack({ now: () => clock });
});

afterAll(async () => {
  await stack?.close();
});

/** One tab of a browser: a sign-in started and finished on Procore's page, up to the callback. */
async function startTab(
  browser: HttpClient,
  options: { next?: string; credentials?: typeof DEMO_USER } = {},
): Promise<string> {
  return (await browser.signInUntilCallback(stack.app.url, options.credentials ?? DEMO_USER, options)).toString();
}

async function tokenSetIdOf(browser: HttpClient): Promise<string> {
  const sessionId = browser.sessionId(stack.app.url, COOKIE);
  return (JSON.parse((await stack.redis.get(`${stack.keyPrefix}sess:${sessionId}`))!) as StoredSession).auth.tokenSetId;
}

const tokenKey = (tokenSetId: string): string => `${stack.keyPrefix}tokens:{${tokenSetId}}`;

describe('signing in from two tabs of one browser', () => {
  it('when tab A finishes, then tab B, then both land signed in on their pages and only B’s grant is kept', async () => {
    const browser = new HttpClient();
    const tabA = await startTab(browser, { next: `/projects?company_id=${NORTHWIND_COMPANY_ID}` });
    const tabB = await startTab(browser);
    stack.emulator.resetStats();

    const pageA = await browser.get(tabA);
    expect(pageA.status).toBe(200);
    expect(new URL(pageA.url).search).toBe(`?company_id=${NORTHWIND_COMPANY_ID}`);
    expect(pageA.body).toContain('Northwind Civil Group');
    const grantA = await tokenSetIdOf(browser);

    const pageB = await browser.get(tabB);
    expect(pageB.status).toBe(200);
    expect(new URL(pageB.url).pathname).toBe('/projects');
    expect(pageB.body).toContain(DEMO_USER.name);
    expect(stack.emulator.stats.tokenRequests.authorization_code).toBe(2);
    // B's sign-in replaced A's: A's grant is revoked at Procore and its tokens deleted.
    expect(stack.emulator.stats.revocations).toBe(1);
    expect(await stack.redis.exists(tokenKey(grantA))).toBe(0);
    expect(await stack.redis.exists(tokenKey(await tokenSetIdOf(browser)))).toBe(1);
    expect((await browser.get(`${stack.app.url}/account`)).status).toBe(200);
  });

  it('when tab B finishes first, then tab A, then both land signed in too', async () => {
    const browser = new HttpClient();
    const tabA = await startTab(browser);
    const tabB = await startTab(browser, { next: '/account' });

    const pageB = await browser.get(tabB);
    expect(pageB.status).toBe(200);
    expect(new URL(pageB.url).pathname).toBe('/account');
    const pageA = await browser.get(tabA);
    expect(pageA.status).toBe(200);
    expect(new URL(pageA.url).pathname).toBe('/projects');
    expect(pageA.body).toContain(DEMO_USER.name);
    expect((await browser.get(`${stack.app.url}/account`)).status).toBe(200);
  });

  it('when the second tab signs in as another Procore user, then the session is that user’s', async () => {
    const browser = new HttpClient();
    const tabA = await startTab(browser);
    const tabB = await startTab(browser, { credentials: OTHER_USER });
    expect((await browser.get(tabA)).body).toContain(DEMO_USER.name);
    const pageB = await browser.get(tabB);
    expect(pageB.body).toContain(OTHER_USER.name);
    expect(pageB.body).not.toContain(DEMO_USER.name);
  });
});

describe('callbacks that cannot sign in', () => {
  it('when a sign-in was started more than 10 minutes ago, then its callback is refused with 403 and no code is exchanged', async () => {
    const browser = new HttpClient();
    const callback = await startTab(browser);
    clock += 10 * 60_000 + 1_000;
    stack.emulator.resetStats();
    const page = await browser.get(callback);
    expect(page.status).toBe(403);
    expect(page.body).toContain('couldn&#39;t verify this sign-in');
    expect(stack.emulator.stats.tokenRequests.authorization_code).toBe(0);
  });

  it('when the same state comes back twice while signed out, then the second callback is refused with 403 and no code is exchanged', async () => {
    const browser = new HttpClient();
    const callback = new URL(await startTab(browser));
    // The first callback fails at Procore (a bad code), which uses up its state.
    const realCode = callback.searchParams.get('code')!;
    callback.searchParams.set('code', 'not-a-real-code');
    expect((await browser.get(callback.toString())).status).toBe(400);
    stack.emulator.resetStats();
    callback.searchParams.set('code', realCode);
    const again = await browser.get(callback.toString());
    expect(again.status).toBe(403);
    expect(stack.emulator.stats.tokenRequests.authorization_code).toBe(0);
  });

  it('when a finished callback is opened again while signed in (reload, history), then it goes to the dashboard without asking Procore', async () => {
    const browser = new HttpClient();
    const callback = await startTab(browser);
    expect((await browser.get(callback)).status).toBe(200);
    const tokenSetId = await tokenSetIdOf(browser);
    stack.emulator.resetStats();

    const reloaded = await browser.get(callback, { follow: false });
    expect(reloaded.status).toBe(303);
    expect(reloaded.headers.get('location')).toBe('/projects');
    expect(stack.emulator.stats.tokenRequests.authorization_code).toBe(0);
    expect(await tokenSetIdOf(browser)).toBe(tokenSetId);
  });
});
