import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME_COMPANY_ID, DEMO_USER, OTHER_USER } from '../../emulator';
import { csrfTokenIn, HttpClient, type ClientResponse } from '../support/http-client';
import { startStack, type Stack } from '../support/stack';
import { OPEN_REDIRECT_CORPUS } from './open-redirect-corpus';

const other = OTHER_USER;
const COOKIE = 'procore-dashboard.sid';
/** Text that would betray a stack trace or internals on a page. */
const INTERNALS = /\s+at\s+\S+\s+\(|\.ts:\d+|\.js:\d+|node_modules|\bTypeError\b|\bReferenceError\b|Error:\s/;

let stack: Stack;
let demoClient: HttpClient;
let otherClient: HttpClient;

beforeAll(async () => {
  // The open-redirect corpus alone signs in ~50 times from one IP: lift the /auth rate limit here.
  stack = await startStack({ env: { AUTH_RATE_LIMIT_PER_MINUTE: '100000' } });
  demoClient = new HttpClient();
  expect((await demoClient.signIn(stack.app.url, DEMO_USER)).status).toBe(200);
  otherClient = new HttpClient();
  expect((await otherClient.signIn(stack.app.url, other)).status).toBe(200);
});

afterAll(async () => {
  await stack?.close();
});

const url = (path: string): string => `${stack.app.url}${path}`;

/** Runs the Procore side of a sign-in and stops before the callback: returns the callback URL. */
const callbackUrlFor = (client: HttpClient, credentials = DEMO_USER): Promise<URL> =>
  client.signInUntilCallback(stack.app.url, credentials);

/** express-session's cookie format: "s:" + id + "." + base64(HMAC-SHA256(secret, id)) without padding. */
function sign(id: string, secret: string): string {
  return `s:${id}.${createHmac('sha256', secret).update(id).digest('base64').replace(/=+$/, '')}`;
}

/** A client holding only the given raw cookie value. */
function withCookie(value: string): HttpClient {
  const client = new HttpClient();
  client.setCookie(stack.app.url, COOKIE, value);
  return client;
}

interface BadInput {
  name: string;
  request: () => Promise<ClientResponse>;
  /** Exact status when it matters; otherwise any 4xx. */
  status?: number;
  /** Text the page must show. */
  text?: string | RegExp;
  /** False when the page is a normal page showing the refusal (e.g. the projects page's "No access"). */
  errorPage?: boolean;
}

const cases: BadInput[] = [
  {
    name: 'a tampered state on the callback',
    request: async () => {
      const client = new HttpClient();
      const callback = await callbackUrlFor(client);
      callback.searchParams.set('state', `${callback.searchParams.get('state')}x`);
      return client.get(callback.toString());
    },
    status: 403,
    text: 'verify this sign-in',
  },
  {
    name: 'a missing state on the callback',
    request: async () => {
      const client = new HttpClient();
      const callback = await callbackUrlFor(client);
      callback.searchParams.delete('state');
      return client.get(callback.toString());
    },
    status: 403,
  },
  {
    name: 'a callback from another browser (state not in this session)',
    request: async () => new HttpClient().get((await callbackUrlFor(new HttpClient())).toString()),
    status: 403,
  },
  {
    name: 'a missing code',
    request: () => new HttpClient().get(url('/auth/callback?state=abc')),
    status: 400,
    text: 'Sign-in link incomplete',
  },
  { name: 'an empty code', request: () => new HttpClient().get(url('/auth/callback?code=&state=abc')), status: 400 },
  {
    name: 'a code given twice (array)',
    request: () => new HttpClient().get(url('/auth/callback?code=a&code=b&state=abc')),
    status: 400,
  },
  {
    name: "another OAuth error with markup in its description, answering this browser's sign-in",
    request: async () => {
      const browser = new HttpClient();
      const state = await browser.startSignIn(url(''));
      return browser.get(
        url(
          `/auth/callback?error=server_error&state=${state}&error_description=${encodeURIComponent('<script>alert(1)</script>')}`,
        ),
      );
    },
    status: 400,
    text: '&lt;script&gt;',
  },
  {
    name: 'a replayed code',
    request: async () => {
      const client = new HttpClient();
      const callback = await callbackUrlFor(client);
      expect((await client.get(callback.toString())).status).toBe(200);
      const again = await client.get(url('/auth/procore'), { follow: false });
      const state = new URL(again.headers.get('location')!).searchParams.get('state')!;
      callback.searchParams.set('state', state);
      return client.get(callback.toString());
    },
    status: 400,
    text: 'That sign-in link has expired',
  },
  {
    name: 'an unknown route',
    request: () => new HttpClient().get(url('/wp-admin/setup.php')),
    status: 404,
    text: 'Page not found',
  },
  { name: 'a malformed percent-encoding in the path', request: () => demoClient.get(url('/projects/%E0%A4%A')) },
  {
    name: 'an unknown method on a page (refused by CSRF protection first)',
    request: () => new HttpClient().request('DELETE', url('/projects')),
  },
  { name: 'a non-numeric company_id', request: () => demoClient.get(url('/projects?company_id=abc')), status: 400 },
  { name: 'a negative company_id', request: () => demoClient.get(url('/projects?company_id=-1')) },
  { name: 'a company_id beyond 2^53', request: () => demoClient.get(url('/projects?company_id=99999999999999999999')) },
  {
    name: 'a company the person cannot see',
    request: () => otherClient.get(url(`/projects?company_id=${ACME_COMPANY_ID}`)),
    status: 403,
    text: /no access/i,
    errorPage: false,
  },
  {
    name: 'a non-numeric project id',
    request: () => demoClient.get(url(`/projects/abc?company_id=${ACME_COMPANY_ID}`)),
    status: 400,
  },
  {
    name: 'a project of a company the person cannot see',
    request: () => otherClient.get(url(`/projects/1?company_id=${ACME_COMPANY_ID}`)),
  },
  {
    name: 'a 20 KB URL (Node refuses the headers)',
    request: () => new HttpClient().get(url(`/?q=${'a'.repeat(20_000)}`)),
    status: 431,
  },
  { name: 'a 7 KB company_id', request: () => demoClient.get(url(`/projects?company_id=${'9'.repeat(7_000)}`)) },
  {
    name: 'a 20 KB form body',
    request: () => demoClient.post(url('/logout'), { _csrf: 'x', padding: 'p'.repeat(20_000) }),
    status: 413,
  },
  {
    name: 'logout without a CSRF token',
    request: () => demoClient.post(url('/logout'), {}),
    status: 403,
    text: 'This form has expired',
  },
  {
    name: 'logout with a wrong CSRF token',
    request: () => demoClient.post(url('/logout'), { _csrf: randomBytes(16).toString('hex') }),
    status: 403,
  },
  { name: 'logout with a GET (no state change on GET)', request: () => demoClient.get(url('/logout')), status: 404 },
];

describe('bad input ends on a clear 4xx page, never a 500 or a stack trace', () => {
  it.each(cases.map((testCase) => [testCase.name, testCase] as const))('%s', async (_name, testCase) => {
    const response = await testCase.request();
    expect(response.status, response.body.slice(0, 300)).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    if (testCase.status !== undefined) expect(response.status).toBe(testCase.status);
    expect(response.body).not.toMatch(INTERNALS);
    if (response.status !== 431) {
      // Node itself answers 431 before the app sees the request; everything else is our error page.
      expect(response.headers.get('content-type')).toMatch(/text\/html/);
      if (testCase.errorPage !== false) expect(response.body).toContain(`Error ${response.status}`);
      expect(response.headers.get('cache-control')).toBe('no-store');
    }
    if (testCase.text !== undefined) expect(response.body).toMatch(testCase.text);
  });

  it('when a 7 KB query parameter, 2,000 parameters or a repeated company_id are sent, then the page answers without a 500', async () => {
    for (const path of [
      `/projects?company_id=${ACME_COMPANY_ID}&company_id=1`,
      `/?q=${'a'.repeat(7_000)}`,
      `/?next=${'/a'.repeat(3_500)}`,
      `/?${Array.from({ length: 2_000 }, (_v, i) => `p${i}=1`).join('&')}`,
    ]) {
      const response = await demoClient.get(url(path));
      expect(response.status).toBeLessThan(500);
      expect(response.body).not.toMatch(INTERNALS);
    }
  });

  it("when error=access_denied answers this browser's sign-in (the person said no at Procore), then the home page says so, without an error page", async () => {
    const browser = new HttpClient();
    const state = await browser.startSignIn(url(''));
    const response = await browser.get(url(`/auth/callback?error=access_denied&state=${state}`));
    expect(response.hops[0]!.status).toBe(303);
    expect(response.status).toBe(200);
    expect(response.body).toContain('Sign-in cancelled');
    expect(response.body).not.toMatch(/Error \d{3}/);
    expect(response.body).not.toMatch(INTERNALS);
  });

  it('when logout was refused, then the session is still valid', async () => {
    const page = await demoClient.get(url('/account'));
    expect(page.status).toBe(200);
    expect(csrfTokenIn(page.body)).toBeTruthy();
  });
});

describe('malformed and forged session cookies are treated as signed out', () => {
  const cookieCases: Array<[string, () => string]> = [
    ['garbage', () => '%%%not-a-cookie'],
    ['an empty signed value', () => 's:'],
    ['an unsigned session id of a live session', () => demoClient.sessionId(stack.app.url)],
    [
      'a live session id with a wrong signature',
      () => encodeURIComponent(`s:${demoClient.sessionId(stack.app.url)}.${randomBytes(32).toString('base64url')}`),
    ],
    [
      'a live session id signed with another secret',
      () => encodeURIComponent(sign(demoClient.sessionId(stack.app.url), 'some-other-secret')),
    ],
    [
      'a well-signed id of a session that does not exist',
      () =>
        encodeURIComponent(sign(randomBytes(24).toString('base64url'), stack.app.running.config.session.secrets[0]!)),
    ],
    ['a 4 KB cookie', () => 'x'.repeat(4_000)],
  ];

  it.each(cookieCases)('%s', async (_name, value) => {
    const client = withCookie(value());
    const projects = await client.get(url('/projects'), { follow: false });
    expect(projects.status).toBe(303);
    expect(projects.headers.get('location')).toMatch(/^\/\?next=/);
    const home = await client.get(url('/'));
    expect(home.status).toBe(200);
    expect(home.body).toContain('id="sign-in"');
    expect(home.body).not.toMatch(INTERNALS);
  });

  it('when forged cookies were tried, then the real session still works (and the signing above is the real format)', async () => {
    expect((await demoClient.get(url('/account'))).status).toBe(200);
    const resigned = withCookie(
      encodeURIComponent(sign(demoClient.sessionId(stack.app.url), stack.app.running.config.session.secrets[0]!)),
    );
    expect((await resigned.get(url('/account'), { follow: false })).status).toBe(200);
  });
});

describe('open redirects: every trick ends on a local path', () => {
  function expectLocal(response: ClientResponse): void {
    for (const hop of response.hops) {
      if (!hop.location) continue;
      const target = new URL(hop.location, hop.url);
      const allowed = [new URL(stack.app.url).origin, new URL(stack.procore.url).origin];
      expect(allowed, `${hop.url} → ${hop.location}`).toContain(target.origin);
    }
    expect(new URL(response.url).origin).toBe(new URL(stack.app.url).origin);
  }

  it.each(OPEN_REDIRECT_CORPUS.map((payload) => [JSON.stringify(payload), payload]))(
    'through /auth/procore?next=%s',
    async (_name, payload) => {
      const client = new HttpClient();
      const page = await client.signIn(stack.app.url, DEMO_USER, { next: payload });
      expectLocal(page);
      expect(page.status).toBe(200);
      expect(new URL(page.url).pathname).toBe('/projects');
    },
  );

  it.each(OPEN_REDIRECT_CORPUS.map((payload) => [JSON.stringify(payload), payload]))(
    'through /?next=%s when signed in',
    async (_name, payload) => {
      const response = await demoClient.get(url(`/?next=${encodeURIComponent(payload)}`), { follow: false });
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe('/projects');
    },
  );

  it('through /?next=%s when signed out, the sign-in link keeps only local paths', async () => {
    for (const payload of OPEN_REDIRECT_CORPUS) {
      const response = await new HttpClient().get(url(`/?next=${encodeURIComponent(payload)}`));
      expect(response.status).toBe(200);
      expect(response.body).toContain('href="/auth/procore"');
    }
  });

  it('when the same trick is sent raw (not encoded) in the URL, then it still ends locally', async () => {
    for (const raw of [
      '//evil.example',
      '/\\evil.example',
      'https://evil.example',
      '/%2F%2Fevil.example',
      '/.//evil.example',
    ]) {
      const response = await demoClient.get(url(`/?next=${raw}`), { follow: false });
      expect(response.headers.get('location')).toBe('/projects');
    }
  });
});
