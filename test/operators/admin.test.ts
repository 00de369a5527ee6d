import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenCipher } from '../../src/procore-auth/token-cipher';
import { RedisTokenStore, type StoredTokens } from '../../src/procore-auth/token-store';
import { CSV_BOM } from '../../src/csv/csv';
import { DEMO_USER, OTHER_USER } from '../../emulator';
import { csrfTokenIn, HttpClient } from '../support/http-client';
import { collectSecrets, secretFragmentsIn } from '../support/secrets';
import { startStack, type Stack } from '../support/stack';

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';

let stack: Stack;

beforeAll(async () => {
  // TRUST_PROXY=loopback: requests from this machine may say which client they forward for.
  stack = await startStack({ env: { ADMIN_USER_IDS: `${DEMO_USER.id}, 99`, TRUST_PROXY: 'loopback' } });
});

afterAll(async () => {
  await stack?.close();
});

/** A browser stand-in that always sends a desktop Chrome User-Agent. */
class Browser extends HttpClient {
  override request(method: string, url: string, options: Parameters<HttpClient['request']>[2] = {}) {
    return super.request(method, url, { ...options, headers: { 'user-agent': CHROME, ...options.headers } });
  }
}

/** The token sets of a person's live sessions, read from Redis with the app's own key (tests only). */
async function tokensOf(userId: number): Promise<StoredTokens[]> {
  const config = stack.app.running.config;
  const store = new RedisTokenStore(stack.redis, new TokenCipher(config.tokenEncryptionKeys), {
    keyPrefix: stack.keyPrefix,
    ttlMs: 60_000,
  });
  const info = await stack.redis.hgetall(`${stack.keyPrefix}user-session-info:{user:${userId}}`);
  const ids = Object.entries(info)
    .filter(([field]) => !field.endsWith(':seen'))
    .map(([, value]) => (JSON.parse(value) as { tokenSetId: string }).tokenSetId);
  const tokens = await Promise.all(ids.map((id) => store.get(id)));
  return tokens.filter((set): set is StoredTokens => set !== undefined);
}

function decode(html: string): string {
  return html
    .replace(/<[^>]+>/g, '')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .trim();
}

/** The audit table of /admin: one array of cell texts per row. */
function auditTable(html: string): string[][] {
  const table = /<table class="data-table audit-trail">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(table)?.[1] ?? '';
  // The time cell as the CSV writes it (from its <time datetime>), the others as they read.
  const cell = (html: string): string => {
    const at = /<time datetime="([^"]+)"/.exec(html)?.[1];
    return at ? at.replace('T', ' ').slice(0, 19) : decode(html);
  };
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map(([, row]) =>
    [...row!.matchAll(/<td>([\s\S]*?)<\/td>/g)].map(([, html]) => cell(html!)),
  );
}

describe('/admin for operators', () => {
  it('when a listed operator looks after sign-ins, a refresh Procore refuses for good and a sign-out, then /admin shows the sessions, counters and events, and the CSV matches', async () => {
    stack.emulator.resetStats();
    const operator = new Browser();
    expect((await operator.signIn(stack.app.url, DEMO_USER)).status).toBe(200);
    const secondDemo = new Browser();
    expect((await secondDemo.signIn(stack.app.url, DEMO_USER)).status).toBe(200);
    const person = new Browser();
    expect((await person.signIn(stack.app.url, OTHER_USER)).status).toBe(200);

    // The access tokens expire; Procore's token endpoint fails once (a forced fault): Sam's refresh fails, Sam stays signed in.
    stack.emulator.expireAccessTokens();
    stack.emulator.inject({ match: 'POST /oauth/token', status: 503, times: 1 });
    const failed = await person.get(`${stack.app.url}/account`);
    expect(failed.status).toBe(503);
    // Then someone revokes Sam's grant at Procore (with a live access token, as Procore documents it): Sam's next refresh is refused for good.
    const [samTokens] = await tokensOf(OTHER_USER.id);
    const client = { client_id: stack.emulator.clientId, client_secret: stack.emulator.clientSecret };
    const renewed = await fetch(`${stack.procore.url}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: samTokens!.refreshToken!, ...client }),
    });
    const { access_token } = (await renewed.json()) as { access_token: string };
    await fetch(`${stack.procore.url}/oauth/revoke`, {
      method: 'POST',
      body: new URLSearchParams({ token: access_token, ...client }),
    });
    const refused = await person.get(`${stack.app.url}/account`);
    expect(new URL(refused.url).pathname).toBe('/');
    expect(refused.url).toContain('signed_out=grant_revoked');

    // The second demo session signs out.
    const account = await secondDemo.get(`${stack.app.url}/account`);
    expect(account.status).toBe(200);
    await secondDemo.post(`${stack.app.url}/logout`, { _csrf: csrfTokenIn(account.body) });

    const admin = await operator.get(`${stack.app.url}/admin`);
    expect(admin.status).toBe(200);
    expect(admin.body).toContain('<h1 id="admin-title">Operators</h1>');
    const health = /<table class="data-table token-health">([\s\S]*?)<\/table>/.exec(admin.body)![1]!;
    const rows = [...health.matchAll(/<tr>\s*<th scope="row">([\s\S]*?)<\/tr>/g)].map(([, row]) =>
      decode(row!.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' '),
    );
    const demoRow = rows.find((row) => row.includes(DEMO_USER.login))!;
    const samRow = rows.find((row) => row.includes(OTHER_USER.login))!;
    // Dana: one live session (the other signed out), one refresh after Procore's 401 for the expired access token, no failure.
    expect(demoRow).toMatch(
      new RegExp(
        `${DEMO_USER.name} ${DEMO_USER.login} ${DEMO_USER.id} 1 \\d{1,2} \\w{3} \\d{4}, [\\d:]+ UTC \\d{1,2} \\w{3} \\d{4}, [\\d:]+ UTC 1 0 0 401 not accepted at \\d{1,2} \\w{3} \\d{4}, [\\d:]+ UTC [\\d,]+ of 3,600 left, resets .* UTC \\(seen .* UTC ?\\)$`,
      ),
    );
    // Sam: no session left, two failed refreshes (the 503, then the refusal); the last Procore error is the
    // 401 that started the second one (a refused refresh is a 400, not an error status shown here).
    expect(samRow).toMatch(
      new RegExp(
        `${OTHER_USER.name} ${OTHER_USER.login} ${OTHER_USER.id} 0 .* UTC — 0 2 0 401 not accepted at \\d{1,2} \\w{3} \\d{4}, [\\d:]+ UTC .*$`,
      ),
    );
    expect(admin.body).toMatch(/<dt>Active sessions<\/dt><dd>1<\/dd>/);
    expect(admin.body).toMatch(/<dt>App instances seen in the last minute<\/dt><dd>1<\/dd>/);

    const events = auditTable(admin.body);
    expect(events.map((cells) => [cells[1], cells[2]])).toEqual([
      ['Signed out', DEMO_USER.login],
      ['Refresh failed (must sign in again)', OTHER_USER.login],
      ['Signed in', OTHER_USER.login],
      ['Signed in', DEMO_USER.login],
      ['Signed in', DEMO_USER.login],
    ]);
    for (const cells of events) {
      expect(cells[0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
      expect(cells[4]).toBe('127.0.0.1');
      expect(cells[5]).toBe('Chrome 156 on Linux');
      expect(cells[6]).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(events[1]![7]).toContain('invalid_grant');

    // The CSV download holds the same rows (all of them: one page here), formula-safe, with a BOM.
    const cookie = [...operator.cookies(stack.app.url)].map(([name, value]) => `${name}=${value}`).join('; ');
    const csv = await fetch(`${stack.app.url}/admin/audit.csv`, { headers: { cookie } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="audit-trail-\d{4}-\d\d-\d\d\.csv"$/);
    const csvText = Buffer.from(await csv.arrayBuffer()).toString('utf8');
    expect(csvText.startsWith(CSV_BOM)).toBe(true);
    const records: string[][] = parse(csvText.slice(CSV_BOM.length));
    const [header, ...csvRows] = records;
    expect(header).toEqual([
      'Time (UTC)',
      'Event',
      'Procore login',
      'Procore user id',
      'IP address',
      'Browser',
      'Request id',
      'Detail',
    ]);
    expect(csvRows).toEqual(events);

    // No token, code, session id or secret in the page, the CSV, the stream or the session list, not even a part of one.
    const stream = JSON.stringify(await stack.redis.xrange(`${stack.keyPrefix}audit`, '-', '+'));
    const cookies = [operator, secondDemo, person].flatMap((client) => [...client.cookies(stack.app.url).values()]);
    const secrets = collectSecrets(stack, [
      ...cookies,
      ...cookies.map(decodeURIComponent),
      ...[samTokens!.accessToken, samTokens!.refreshToken!],
    ]);
    expect(secrets.size).toBeGreaterThanOrEqual(8);
    const sessionList = (await operator.get(`${stack.app.url}/account`)).body;
    expect(secretFragmentsIn(`${admin.body}\n${csvText}\n${stream}\n${sessionList}`, secrets)).toEqual([]);
  });

  it('when Procore keeps refusing a freshly refreshed token, then the person is signed out and the audit trail says the token was revoked', async () => {
    const person = new Browser();
    await person.signIn(stack.app.url, OTHER_USER);
    stack.emulator.inject({ match: 'GET /rest/v1.0/me', status: 401, times: 2 });
    const page = await person.get(`${stack.app.url}/account`);
    stack.emulator.clearFaults();
    expect(page.url).toContain('signed_out=access_denied');
    const fields = (await stack.redis.xrevrange(`${stack.keyPrefix}audit`, '+', '-', 'COUNT', 1))[0]?.[1];
    expect(fields).toEqual(
      expect.arrayContaining(['type', 'token-revoked', 'login', OTHER_USER.login, 'detail', 'unauthorized (401)']),
    );
  });

  it('when the audit trail is longer than a page, then "Older events" pages through it without gaps and the CSV holds every row of every page', async () => {
    for (let index = 0; index < 70; index += 1) {
      await stack.redis.xadd(
        `${stack.keyPrefix}audit`,
        '*',
        'type',
        'sign-in-refused',
        'at',
        String(Date.now()),
        'ip',
        '192.0.2.1',
        'browser',
        'Unknown browser',
        'requestId',
        `r${index}`,
        'detail',
        `=cmd|${index}`,
      );
    }
    const operator = new Browser();
    await operator.signIn(stack.app.url, DEMO_USER);
    const pages: string[][][] = [];
    let href: string | undefined = '/admin';
    while (href) {
      const page = await operator.get(`${stack.app.url}${href}`);
      pages.push(auditTable(page.body));
      href = /<a href="([^"]+)" rel="next">Older events<\/a>/.exec(page.body)?.[1]?.replace(/&amp;/g, '&');
    }
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(pages[0]).toHaveLength(50);
    const rows = pages.flat();
    expect(new Set(rows.map((cells) => cells[6])).size).toBe(rows.length);
    const cookie = [...operator.cookies(stack.app.url)].map(([name, value]) => `${name}=${value}`).join('; ');
    const csv = Buffer.from(
      await (await fetch(`${stack.app.url}/admin/audit.csv`, { headers: { cookie } })).arrayBuffer(),
    ).toString('utf8');
    const records: string[][] = parse(csv.slice(CSV_BOM.length));
    const csvRows = records.slice(1);
    // The page shows what was recorded; the CSV shows the same text, formula-looking cells with a leading '.
    expect(csvRows.map((cells) => cells.map((cell) => cell.replace(/^'(?=[=+\-@\t\r])/, '')))).toEqual(rows);
    expect(csvRows.filter((cells) => cells[7]!.startsWith("'=cmd|"))).toHaveLength(70);
  });

  it("when Procore answers a person's call with 401 (cured by a refresh) or 500, then /admin shows it as their last Procore error", async () => {
    const operator = new Browser();
    await operator.signIn(stack.app.url, DEMO_USER);
    const lastError = async (): Promise<string> => {
      const admin = await operator.get(`${stack.app.url}/admin`);
      const row = [...admin.body.matchAll(/<tr>\s*<th scope="row">([\s\S]*?)<\/tr>/g)]
        .map(([, cells]) => cells!)
        .find((cells) => cells.includes(DEMO_USER.login))!;
      return decode([...row.matchAll(/<td>([\s\S]*?)<\/td>/g)].at(-2)![1]!.replace(/<[^>]+>/g, ''));
    };
    stack.emulator.expireAccessTokens();
    expect((await operator.get(`${stack.app.url}/account`)).status).toBe(200);
    // Written as every page writes a moment (here with seconds): "6 Dec 2026, 13:55:27 UTC".
    expect(await lastError()).toMatch(/^401 not accepted at \d{1,2} \w{3} \d{4}, \d\d:\d\d:\d\d UTC$/);
    stack.emulator.inject({ match: 'GET /rest/v1.0/me', status: 500, times: 10 });
    expect((await operator.get(`${stack.app.url}/account`)).status).toBeGreaterThanOrEqual(500);
    stack.emulator.clearFaults();
    expect(await lastError()).toMatch(/^500 Procore error at /);
  });

  it('when Procore sends a person back from their own sign-in with an OAuth error through a trusted proxy, then the refusal is recorded with that error and the client address the proxy names', async () => {
    for (const [query, detail] of [
      ['error=access_denied', 'cancelled (access_denied)'],
      ['error=invalid_scope&error_description=no', 'refused_by_procore (invalid_scope)'],
    ] as const) {
      const browser = new HttpClient();
      const headers = { 'x-forwarded-for': '203.0.113.77', 'user-agent': CHROME };
      const state = await browser.startSignIn(stack.app.url, { headers });
      await browser.get(`${stack.app.url}/auth/callback?${query}&state=${state}`, { headers, follow: false });
      const [event] = (await stack.redis.xrevrange(`${stack.keyPrefix}audit`, '+', '-', 'COUNT', 1)).map(
        ([, fields]) => fields,
      );
      expect(event).toEqual(
        expect.arrayContaining([
          'type',
          'sign-in-refused',
          'ip',
          '203.0.113.77',
          'browser',
          'Chrome 156 on Linux',
          'detail',
          detail,
        ]),
      );
    }
  });

  it('when someone not listed, or no one, asks for /admin or its CSV, then they get the ordinary 404 page', async () => {
    const person = new HttpClient();
    await person.signIn(stack.app.url, OTHER_USER);
    // Only the request id and the form token differ between two 404 pages of one person.
    const comparable = (html: string): string =>
      html.replace(/[0-9a-f-]{36}/g, '').replace(/name="_csrf" value="[^"]*"/g, '');
    for (const client of [new HttpClient(), person]) {
      const notFound = await client.get(`${stack.app.url}/no-such-page`);
      for (const path of ['/admin', '/admin/audit.csv', '/admin?before=1-0']) {
        const response = await client.get(`${stack.app.url}${path}`, { follow: false });
        expect(response.status, path).toBe(404);
        expect(comparable(response.body)).toBe(comparable(notFound.body));
      }
    }
    const home = await person.get(`${stack.app.url}/account`);
    expect(home.body).not.toContain('/admin');
  });

  it('when PROCORE_ENV=federal, then /auth/procore sends the browser to the Federal Zone login host', async () => {
    const federal = await stack.startAnotherApp({ PROCORE_ENV: 'federal', PROCORE_LOGIN_URL: '', PROCORE_API_URL: '' });
    try {
      const response = await new HttpClient().get(`${federal.url}/auth/procore`, { follow: false });
      expect(response.status).toBe(302);
      const location = new URL(response.headers.get('location')!);
      expect(`${location.origin}${location.pathname}`).toBe('https://login.procoregov.com/oauth/authorize');
      expect(location.searchParams.get('client_id')).toBe(stack.emulator.clientId);
      expect(federal.running.config.procore.apiUrl).toBe('https://api.procoregov.com');
    } finally {
      await federal.stop();
    }
  });
});

describe('"Your sessions" on /account', () => {
  it('when a person signs in twice on two instances and ends the other session from the first, then its next request is signed out and Procore saw its tokens revoked', async () => {
    const second = await stack.startAnotherApp();
    try {
      // Sessions an earlier test left hold access tokens it expired at Procore behind the app's back (revoking one does nothing).
      const earlier = new Set((await tokensOf(DEMO_USER.id)).map((tokens) => tokens.refreshToken));
      const here = new Browser();
      const there = new HttpClient();
      await here.signIn(stack.app.url, DEMO_USER);
      await there.signIn(second.url, DEMO_USER);
      const before = await tokensOf(DEMO_USER.id);
      const account = await here.get(`${stack.app.url}/account`);
      expect(account.body).toContain('Your sessions');
      expect(account.body).toContain('This session');
      expect(account.body).toContain('Unknown browser');
      const handles = [...account.body.matchAll(/name="session" value="([^"]+)"/g)].map(([, handle]) => handle!);
      expect(handles).toHaveLength(before.length - 1);

      const revocationsBefore = stack.emulator.stats.revocations;
      const ended = await here.post(`${stack.app.url}/account/sessions/end-others`, {
        _csrf: csrfTokenIn(account.body),
      });
      expect(ended.status).toBe(200);
      expect(ended.body).toContain(
        `Signed out ${handles.length === 1 ? '1 other session' : `${handles.length} other sessions`}.`,
      );
      expect(ended.body).not.toContain('name="session"');

      const afterwards = await there.get(`${second.url}/projects`, { follow: false });
      expect(afterwards.status).toBe(303);
      expect(afterwards.headers.get('location')).toMatch(/^\/\?signed_out=other_session&next=/);
      const left = await tokensOf(DEMO_USER.id);
      expect(left).toHaveLength(1);
      const endedTokens = before.filter((tokens) => tokens.refreshToken !== left[0]!.refreshToken);
      expect(stack.emulator.stats.revocations - revocationsBefore).toBe(endedTokens.length);
      for (const tokens of endedTokens.filter((set) => !earlier.has(set.refreshToken)))
        expect(stack.emulator.isRefreshTokenValid(tokens.refreshToken!)).toBe(false);
      expect(stack.emulator.isRefreshTokenValid(left[0]!.refreshToken!)).toBe(true);
      expect((await here.get(`${stack.app.url}/account`)).status).toBe(200);
      // Both instances beat (the probe path /readyz counts too: the heartbeat sits before the health routes).
      expect((await fetch(`${second.url}/readyz`)).status).toBe(200);
      expect(
        await stack.redis.zcount(`${stack.keyPrefix}instances`, Date.now() - 60_000, '+inf'),
      ).toBeGreaterThanOrEqual(2);
    } finally {
      await second.stop();
    }
  });

  it('when someone signs in again in the same browser, then the session it replaced leaves the list', async () => {
    const index = `${stack.keyPrefix}user-sessions:{user:${OTHER_USER.id}}`;
    const sam2 = new Browser();
    await sam2.signIn(stack.app.url, OTHER_USER);
    const before = await stack.redis.zrange(index, 0, -1);
    await sam2.signIn(stack.app.url, OTHER_USER);
    const after = await stack.redis.zrange(index, 0, -1);
    expect(after).toHaveLength(before.length);
    expect(after.filter((handle) => !before.includes(handle))).toHaveLength(1);
    const [event] = (await stack.redis.xrevrange(`${stack.keyPrefix}audit`, '+', '-', 'COUNT', 2)).filter(
      ([, fields]) => fields.includes('sign-out'),
    );
    expect(event?.[1]).toEqual(
      expect.arrayContaining(['login', OTHER_USER.login, 'detail', 'replaced by a new sign-in in the same browser']),
    );
    const account = await sam2.get(`${stack.app.url}/account`);
    expect(account.body).toContain('<td data-label="IP address">127.0.0.1</td>');
  });

  it('when a link says how many sessions were ended, then /account ignores it; the count after a real "Sign out all other sessions" is shown once', async () => {
    const here = new HttpClient();
    const there = new HttpClient();
    await here.signIn(stack.app.url, OTHER_USER);
    await there.signIn(stack.app.url, OTHER_USER);
    const forged = await here.get(`${stack.app.url}/account?sessions_ended=9999`);
    expect(forged.status).toBe(200);
    expect(forged.body).not.toMatch(/Signed out \d+ other session|already ended/);
    const ended = await here.post(`${stack.app.url}/account/sessions/end-others`, { _csrf: csrfTokenIn(forged.body) });
    expect(new URL(ended.url).search).toBe('');
    expect(ended.body).toMatch(/Signed out \d+ other sessions?\./);
    const again = await here.get(`${stack.app.url}/account`);
    expect(again.body).not.toMatch(/Signed out \d+ other session/);
  });

  it("when a form names a session that is not the person's or comes without the CSRF token, then nothing is ended", async () => {
    const dana = new HttpClient();
    await dana.signIn(stack.app.url, DEMO_USER);
    const sam2 = new HttpClient();
    await sam2.signIn(stack.app.url, OTHER_USER);
    const samAccount = await sam2.get(`${stack.app.url}/account`);
    const danaAccount = await dana.get(`${stack.app.url}/account`);
    const samSessions = await stack.redis.zrange(`${stack.keyPrefix}user-sessions:{user:${OTHER_USER.id}}`, 0, -1);
    const forged = await dana.post(`${stack.app.url}/account/sessions/end`, {
      _csrf: csrfTokenIn(danaAccount.body),
      session: samSessions[0]!,
    });
    expect(forged.body).toContain('That session had already ended.');
    const noCsrf = await dana.post(`${stack.app.url}/account/sessions/end-others`, {}, { follow: false });
    expect(noCsrf.status).toBe(403);
    expect((await sam2.get(`${stack.app.url}/account`)).status).toBe(200);
    expect(samAccount.status).toBe(200);
  });
});
