import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME_COMPANY_ID, DEMO_USER } from '../../emulator';
import type { AppProcess } from '../support/app-process';
import { startForwardingHost, type ForwardingHost } from '../support/forwarding-host';
import { HttpClient } from '../support/http-client';
import { MIB, sendHugeBody, type HugeBody } from '../support/huge-body';
import { startStack, type Stack } from '../support/stack';

const HUGE = 150 * MIB;

interface Armed {
  /** `METHOD /path` of the next request to answer with a huge body. */
  match: string;
  status: number;
  body: HugeBody;
}

/** Procore's hosts as someone hostile could answer: the emulator, except that an armed request gets a 150 MB body. */
async function hostileProcore(
  target: string,
): Promise<ForwardingHost & { arm(armed: Armed): void; answered: string[] }> {
  let armed: Armed | undefined;
  const answered: string[] = [];
  const host = await startForwardingHost(target, (req, res, route) => {
    if (!armed || armed.match !== route) return false;
    const { status, body } = armed;
    armed = undefined;
    answered.push(route);
    req.resume();
    void sendHugeBody(res, status, {}, body);
    return true;
  });
  return { ...host, arm: (next) => (armed = next), answered };
}

/** Polls /healthz every 50 ms and keeps the slowest answer, and the app's resident memory. */
function watch(app: AppProcess): { stop(): Promise<{ slowestHealthMs: number; peakRssMiB: number }> } {
  let slowest = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      await fetch(`${app.url}/healthz`)
        .then((response) => response.text())
        .catch(() => (slowest = Number.POSITIVE_INFINITY));
      slowest = Math.max(slowest, performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      // VmHWM: the most the process ever held resident, start-up and every test so far included.
      const status = readFileSync(`/proc/${app.child.pid}/status`, 'utf8');
      const peakKiB = Number(/^VmHWM:\s+(\d+) kB/m.exec(status)![1]);
      return { slowestHealthMs: slowest, peakRssMiB: peakKiB / 1024 };
    },
  };
}

let stack: Stack;
let procore: Awaited<ReturnType<typeof hostileProcore>>;
let app: AppProcess;
let client: HttpClient;

beforeAll(async () => {
  stack = await startStack();
  procore = await hostileProcore(stack.procore.url);
  app = await stack.spawnAnotherApp({
    PROCORE_LOGIN_URL: procore.url,
    PROCORE_API_URL: procore.url,
    PROCORE_TIMEOUT_MS: '20000',
    PROJECTS_CACHE_SECONDS: '60',
  });
  client = new HttpClient();
  expect((await client.signIn(app.url, DEMO_USER)).status).toBe(200);
});

afterAll(async () => {
  await stack?.close();
  await procore?.close();
});

const ACME_LIST = `/projects?company_id=${ACME_COMPANY_ID}`;

/** The cached lists' freshness lapses (on the app's clock and on Redis's, where the `:fresh` markers expire). */
async function listsNoLongerFresh(): Promise<void> {
  await stack.clock.advance(61_000);
  const markers = (await stack.keys()).filter((key) => key.endsWith(':fresh'));
  if (markers.length > 0) await stack.redis.del(...markers);
}

/** Every value the app cached in Redis, as one text (to look for the filler). */
async function cachedText(): Promise<string> {
  const keys = (await stack.keys()).filter((key) => !key.includes('sess:') && !key.includes('tokens:'));
  const values = await Promise.all(keys.map((key) => stack.redis.getBuffer(key).catch(() => null)));
  return values.map((value) => value?.toString('latin1') ?? '').join('\n');
}

describe('Procore answers with 150 MB bodies', () => {
  it('when a list page, an invalid list, an error body, /me, a refresh and a code exchange are 150 MB each, then each is refused, the saved list is shown, nothing is cached, /healthz answers within 1 s and RSS stays under 400 MiB', async () => {
    const first = await client.get(`${app.url}${ACME_LIST}`);
    expect(first.status).toBe(200);
    const savedName = /<td[^>]*>\s*<a[^>]*>([^<]+)<\/a>/.exec(first.body)?.[1];
    expect(savedName).toBeTruthy();
    const watcher = watch(app);
    const seen: Record<string, number> = {};

    // One valid project with a 150 MB name, chunked: the saved list is shown instead.
    await listsNoLongerFresh();
    procore.arm({
      match: 'GET /rest/v1.0/projects',
      status: 200,
      body: { bytes: HUGE, prefix: '[{"id":1,"name":"', suffix: '"}]' },
    });
    const list = await client.get(`${app.url}${ACME_LIST}`);
    seen.list = list.status;
    expect(list.body).toContain('id="stale-banner"');
    expect(list.body).toContain(savedName);

    // 150 MB of invalid JSON, announced by Content-Length.
    await listsNoLongerFresh();
    procore.arm({
      match: 'GET /rest/v1.0/projects',
      status: 200,
      body: { bytes: HUGE, prefix: '[{', declareLength: true },
    });
    const invalid = await client.get(`${app.url}${ACME_LIST}`);
    seen.invalid = invalid.status;
    expect(invalid.body).toContain('id="stale-banner"');

    // A 150 MB error body on /me.
    procore.arm({ match: 'GET /rest/v1.0/me', status: 500, body: { bytes: HUGE, prefix: '{"error":"' } });
    const errorPage = await client.get(`${app.url}/account`);
    seen.errorBody = errorPage.status;
    expect(errorPage.status).toBe(502);
    expect(errorPage.body).toContain('Procore gave an unexpected answer');

    // A 150 MB /me.
    procore.arm({ match: 'GET /rest/v1.0/me', status: 200, body: { bytes: HUGE, prefix: '{"id":1,"login":"' } });
    seen.me = (await client.get(`${app.url}/account`)).status;
    expect(seen.me).toBe(502);

    // A 150 MB answer to a refresh (the app's own OAuth client).
    stack.emulator.expireAccessTokens();
    await stack.clock.advance(2 * 3_600_000);
    procore.arm({ match: 'POST /oauth/token', status: 200, body: { bytes: HUGE, prefix: '{"access_token":"' } });
    seen.refresh = (await client.get(`${app.url}/account`)).status;
    expect(seen.refresh).toBe(502);

    // A 150 MB answer to a sign-in's code exchange (made by passport-oauth2's own client).
    const signingIn = new HttpClient();
    const callback = await signingIn.signInUntilCallback(app.url, DEMO_USER);
    procore.arm({ match: 'POST /oauth/token', status: 200, body: { bytes: HUGE, prefix: '{"access_token":"' } });
    const exchange = await signingIn.get(callback.toString(), { follow: false });
    seen.exchange = exchange.status;
    expect(exchange.body).toContain('Sign-in failed');

    const { slowestHealthMs, peakRssMiB } = await watcher.stop();
    console.info(
      `150 MB bodies: ${JSON.stringify(seen)}, slowest /healthz ${Math.round(slowestHealthMs)} ms, peak RSS ${Math.round(peakRssMiB)} MiB`,
    );
    expect(procore.answered).toEqual([
      'GET /rest/v1.0/projects',
      'GET /rest/v1.0/projects',
      'GET /rest/v1.0/me',
      'GET /rest/v1.0/me',
      'POST /oauth/token',
      'POST /oauth/token',
    ]);
    expect(await cachedText()).not.toContain('x'.repeat(1_000));
    expect(slowestHealthMs).toBeLessThan(1_000);
    expect(peakRssMiB).toBeLessThan(400);
    // Nothing was lost: once Procore answers normally again, the person goes on.
    expect((await client.get(`${app.url}/account`)).status).toBe(200);
  });
});
