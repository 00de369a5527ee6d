/**
 * Procore sends null for whatever nobody entered, and the reference marks every field optional.
 * A Procore that answers with nothing but ids (and sometimes not even names) must still give pages
 * and CLI output without "undefined", "null", "NaN", "[object Object]" or "Invalid Date".
 * Sign-in goes through the emulator; REST calls (and, for the CLI, the token endpoints) go to a
 * small server that answers the fixtures full of nulls.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME_COMPANY_ID, DEMO_USER } from '../../emulator';
import { run, setUp } from '../cli/helpers';
import { HttpClient } from '../support/http-client';
import { startStack, type Stack } from '../support/stack';

const FORBIDDEN = /\bundefined\b|\bnull\b|\bNaN\b|\[object Object\]|Invalid Date/;
const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(path.join(__dirname, '..', 'fixtures', 'procore', name), 'utf8')) as Record<string, unknown>;

const showNulls = fixture('project-show-nulls.json');
const [olderItem] = fixture('projects-list-v1-string-stage.json') as unknown as Array<Record<string, unknown>>;
const nullsOnly = (id: number, extra: Record<string, unknown> = {}) => ({
  ...Object.fromEntries(Object.keys(showNulls).map((key) => [key, null])),
  id,
  ...extra,
});

/** Three projects: the reference's empty list item, the older example (phone ""), one with no name at all. */
const PROJECTS: Array<Record<string, unknown> & { id: number }> = [
  {
    ...(fixture('projects-list-published.json') as unknown as Array<Record<string, unknown>>)[1]!,
    id: 6_000_000_000_101,
    company: { id: ACME_COMPANY_ID, name: null },
  },
  { ...olderItem, id: 6_000_000_000_102, company: { id: ACME_COMPANY_ID, name: null } },
  nullsOnly(6_000_000_000_103),
];

function answer(pathname: string): unknown {
  if (pathname === '/oauth/token')
    return { access_token: 'nulls-token', token_type: 'bearer', expires_in: 5400, created_at: null };
  if (pathname === '/oauth/token/info')
    return { resource_owner_id: null, scopes: null, expires_in_seconds: 4000, application: null, created_at: null };
  if (pathname === '/rest/v1.0/me') return { id: DEMO_USER.id, login: null, name: null };
  if (pathname === '/rest/v1.0/companies')
    return [{ id: ACME_COMPANY_ID, name: null, is_active: null, logo_url: null, my_company: null }];
  if (pathname === '/rest/v1.0/projects') return PROJECTS;
  const shown = PROJECTS.find((project) => pathname === `/rest/v1.0/projects/${String(project.id)}`);
  return shown ? nullsOnly(shown.id, { name: shown.name ?? null }) : undefined;
}

let nullsProcore: Server;
let nullsUrl: string;

beforeAll(async () => {
  nullsProcore = createServer((req, res) => {
    const body = answer(new URL(req.url ?? '/', 'http://x').pathname);
    req.resume();
    res.writeHead(body === undefined ? 404 : 200, {
      'content-type': 'application/json',
      ...(Array.isArray(body) ? { total: String(body.length) } : {}),
    });
    res.end(JSON.stringify(body ?? { code: 404, error: 'Not Found', message: 'Not found', reason: 'not_found' }));
  });
  await new Promise<void>((resolve) => nullsProcore.listen(0, '127.0.0.1', resolve));
  nullsUrl = `http://127.0.0.1:${(nullsProcore.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => nullsProcore.close(resolve));
});

describe('a Procore full of nulls, on the web', () => {
  let stack: Stack;
  const client = new HttpClient();

  beforeAll(async () => {
    stack = await startStack({ env: { PROCORE_API_URL: nullsUrl } });
    await client.signIn(stack.app.url, DEMO_USER);
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('when the project list, every project page and the account page are opened, then none shows null, undefined, NaN or [object Object]', async () => {
    const pages = [
      `/projects?company_id=${ACME_COMPANY_ID}`,
      `/projects?company_id=${ACME_COMPANY_ID}&status=All&sort=-number`,
      ...PROJECTS.map((project) => `/projects/${String(project.id)}?company_id=${ACME_COMPANY_ID}`),
      '/account',
    ];
    for (const page of pages) {
      const res = await client.get(`${stack.app.url}${page}`);
      expect(res.status, page).toBe(200);
      const text = res.body.replace(/<script[\s\S]*?<\/script>/g, '');
      expect(
        FORBIDDEN.exec(text)?.[0],
        `${page}: …${text.slice(Math.max(0, (FORBIDDEN.exec(text)?.index ?? 0) - 120), (FORBIDDEN.exec(text)?.index ?? 0) + 40)}…`,
      ).toBeUndefined();
    }
    const nameless = await client.get(
      `${stack.app.url}/projects/${String(PROJECTS[2]!.id)}?company_id=${ACME_COMPANY_ID}`,
    );
    expect(nameless.body).toContain(`Project ${String(PROJECTS[2]!.id)}`);
  });

  it('when a project page is served, then its CSP lets https: logos in and nothing else from elsewhere', async () => {
    const res = await client.get(`${stack.app.url}/projects/${String(PROJECTS[0]!.id)}?company_id=${ACME_COMPANY_ID}`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("img-src 'self' data: https:");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("default-src 'self';");
  });
});

describe('a Procore full of nulls, in the CLI', () => {
  it('when me, companies, projects and token-info print tables and fields, then none shows null, undefined, NaN or [object Object]', async () => {
    const { env } = await setUp();
    const nullsEnv = { ...env, PROCORE_LOGIN_URL: nullsUrl, PROCORE_API_URL: nullsUrl };
    const company = ['--client-credentials', '--company', String(ACME_COMPANY_ID)];
    for (const argv of [
      ['me', ...company],
      ['companies', ...company],
      ['projects', ...company],
      ['token-info', '--client-credentials'],
    ]) {
      const result = await run(argv, nullsEnv);
      expect(result.code, `${argv.join(' ')}: ${result.stderr}`).toBe(0);
      expect(result.stdout.match(FORBIDDEN)?.[0], `${argv.join(' ')}:\n${result.stdout}`).toBeUndefined();
    }
  });
});
