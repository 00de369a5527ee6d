import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME_COMPANY_ID, DEMO_USER } from '../../emulator';
import { csrfTokenIn, HttpClient } from '../support/http-client';
import { startStack, type Stack } from '../support/stack';

const PROJECTS = 'GET /rest/v1.0/projects';

let stack: Stack;
let first: HttpClient;
let second: HttpClient;

beforeAll(async () => {
  stack = await startStack();
  first = new HttpClient();
  second = new HttpClient();
  // The same person signed in twice (two browsers): one list, two sessions with their own CSRF tokens.
  await first.signIn(stack.app.url, DEMO_USER);
  await second.signIn(stack.app.url, DEMO_USER);
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

const every = (body: string, pattern: RegExp): string[] => [...body.matchAll(pattern)].map((match) => match[1]!);

describe('the listing section of a project page, kept and reused', () => {
  it('when the same list is shown in two sessions, then the listing is the same bytes but each page carries its own CSRF token, and the length is exact', async () => {
    const url = `${stack.app.url}/projects?company_id=${ACME_COMPANY_ID}&page=2`;
    const a = await first.get(url);
    const b = await second.get(url);
    const again = await first.get(url);
    for (const page of [a, b, again]) {
      expect(page.status).toBe(200);
      expect(Number(page.headers.get('content-length'))).toBe(Buffer.byteLength(page.body));
      expect(page.body.trimEnd()).toMatch(/<\/html>$/);
      expect(page.body).not.toContain('<!--listing-->');
      expect(page.body.match(/<tr/g)?.length).toBe(51);
    }
    const listing = (body: string) =>
      body.slice(body.indexOf('<form method="get" action="/projects" class="filters card"'), body.indexOf('</main>'));
    expect(listing(b.body)).toBe(listing(a.body));
    expect(csrfTokenIn(a.body)).not.toBe(csrfTokenIn(b.body));
    expect(new Set(every(a.body, /name="_csrf" value="([^"]+)"/g))).toEqual(new Set([csrfTokenIn(again.body)]));
    expect(new Set(every(b.body, /name="_csrf" value="([^"]+)"/g))).toEqual(new Set([csrfTokenIn(b.body)]));
  });

  it('when the list is refreshed, then the next page shows a listing rendered from the new copy', async () => {
    const url = `${stack.app.url}/projects?company_id=${ACME_COMPANY_ID}`;
    const before = await first.get(url);
    const updated = (body: string) => /datetime="([^"]+)" data-age/.exec(body)?.[1];
    const calls = stack.emulator.stats.restCalls[PROJECTS] ?? 0;
    const refreshed = await first.post(`${stack.app.url}/projects/refresh`, {
      _csrf: csrfTokenIn(before.body),
      company_id: String(ACME_COMPANY_ID),
      status: 'Active',
      sort: 'name',
    });
    expect(refreshed.status).toBe(200);
    expect(stack.emulator.stats.restCalls[PROJECTS]).toBe(calls + 1);
    expect(updated(refreshed.body)).not.toBe(updated(before.body));
    expect(refreshed.body.match(/<tr/g)?.length).toBe(51);
  });

  it('when the page is asked for with HEAD, then the headers give the page length and no body is sent', async () => {
    const url = `${stack.app.url}/projects?company_id=${ACME_COMPANY_ID}`;
    const page = await first.get(url);
    const head = await first.request('HEAD', url);
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(Math.abs(Number(head.headers.get('content-length')) - Buffer.byteLength(page.body))).toBeLessThan(64);
  });
});
