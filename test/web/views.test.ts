import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import * as eslintScope from 'eslint-scope';
import * as espree from 'espree';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_QUERY, ProjectIndex, type ListQuery, type ProjectSummary } from '../../src/projects';
import { procoreWebLinks } from '../../src/procore/web-links';
import { sessionHandle } from '../../src/operators';
import { VIEWS_DIR } from '../../src/web/app';
import { HttpError } from '../../src/web/http-error';
import { compileTemplate, templateNames, Templates } from '../../src/web/view-engine';
import { sessionRows } from '../../src/web/account/session-rows';
import { accountPage } from '../../src/web/account/account-page';
import { adminPage } from '../../src/web/admin/admin-page';
import { projectsLoadingPage, projectsPage } from '../../src/web/projects/list-page';
import { projectPage, staleProjectPage } from '../../src/web/projects/project-page';
import { VIEW_LOCALS } from '../../src/web/view-locals';
import { errorPage, homePage, layoutOf } from '../../src/web/view-models';

const NOW = Date.parse('2026-03-02T10:00:00Z');
const signedOut = (title: string) => layoutOf(undefined, title);
const signedIn = (title: string, current?: 'projects' | 'account') =>
  layoutOf({ user: { name: 'Dana Demo' }, csrfToken: 'csrf-token' }, title, current);

const acme = { id: 7, name: 'Acme Builders', active: true };
const other = { id: 8, name: 'Other Co', active: true };
const summaries: ProjectSummary[] = Array.from({ length: 120 }, (_, i) => ({
  id: 1000 + i,
  name: `Project ${String(i).padStart(3, '0')}`,
  number: i % 3 === 0 ? null : `P-${i}`,
  address: i % 2 === 0 ? `${i} Main St` : null,
  city: 'Austin',
  stateCode: 'TX',
  stage: i % 4 === 0 ? undefined : 'Course of Construction',
  active: i % 5 !== 0,
}));
const index = new ProjectIndex(summaries);
const query = (over: Partial<ListQuery> = {}): ListQuery => ({ ...DEFAULT_QUERY, companyId: acme.id, ...over });
const listing = (q: ListQuery, stale = false) => ({
  list: index.select(q),
  stageMix: index.stageMix(q),
  fetchedAt: NOW - 90_000,
  stale,
});
const links = procoreWebLinks({ webUrl: 'https://app.procore.com' });
const procoreProject = {
  id: 1001,
  name: 'Riverside Tower',
  display_name: 'Riverside Tower',
  project_number: '2021-004',
  address: '1 River Rd',
  city: 'Austin',
  state_code: 'TX',
  country_code: 'US',
  zip: '78701',
  county: 'Travis',
  latitude: null,
  longitude: null,
  stage: 'Bidding',
  phone: '+1 (512) 555-0100',
  created_at: '2021-01-04T10:00:00Z',
  updated_at: '2026-02-01T10:00:00Z',
  active: true,
  origin_id: null,
  origin_data: null,
  company: { id: acme.id, name: acme.name },
};

/**
 * At least one view model per page under views/, built by the page's own builder. A page without
 * fixtures fails the test below. Partials are rendered through the pages that include them.
 */
const FIXTURES: Record<string, object[]> = {
  home: [
    homePage(signedOut('Sign in'), { notice: undefined, signInHref: '/auth/procore' }),
    homePage(signedOut('Sign in'), { notice: 'You have signed out.', signInHref: '/auth/procore?next=%2Fprojects' }),
  ],
  error: [
    errorPage(
      signedOut('Page not found'),
      new HttpError(404, 'Page not found', 'There is nothing at this address.', { retryHref: '/', retryLabel: 'Home' }),
    ),
    errorPage(signedIn('Something went wrong'), new HttpError(500, 'Something went wrong', 'Please try again.')),
  ],
  account: [
    accountPage(signedIn('Account', 'account'), {
      me: { id: 42, login: 'dana@example.com', name: 'Dana Demo' },
      signedInAt: NOW - 3_600_000,
      accessTokenExpiresAt: NOW + 5_400_000,
    }),
    accountPage(signedIn('Account', 'account'), {
      me: { id: 42, login: 'dana@example.com', name: 'Dana Demo' },
      signedInAt: NOW - 3_600_000,
      accessTokenExpiresAt: NOW + 5_400_000,
      sessions: sessionRows(
        [
          {
            handle: sessionHandle('sid-here'),
            sid: 'sid-here',
            tokenSetId: 't1',
            signedInAt: NOW - 3_600_000,
            browser: 'Chrome 156 on Linux',
            ip: '203.0.113.9',
            lastActiveAt: NOW,
            lastIp: '203.0.113.9',
            expiresAt: NOW + 7_200_000,
          },
          {
            handle: sessionHandle('sid-there'),
            sid: 'sid-there',
            tokenSetId: 't2',
            signedInAt: NOW - 7_200_000,
            browser: 'Safari 17 on iOS',
            ip: '198.51.100.4',
            lastActiveAt: NOW - 600_000,
            lastIp: '198.51.100.5',
            expiresAt: NOW + 6_600_000,
          },
        ],
        'sid-here',
      ),
      sessionsNotice: 'Signed out 1 other session.',
    }),
  ],
  projects: [
    projectsPage(signedIn('Acme Builders projects', 'projects'), {
      companies: [acme, other],
      company: acme,
      query: query(),
      notice: undefined,
      listing: listing(query()),
      now: NOW,
      links,
    }),
    projectsPage(signedIn('Acme Builders projects', 'projects'), {
      companies: [acme],
      company: acme,
      query: query({ q: 'nothing like this', status: 'All', page: 2 }),
      notice: 'Procore is not answering right now.',
      listing: listing(query({ q: 'nothing like this', status: 'All' }), true),
      now: NOW,
      links,
    }),
    projectsPage(signedIn('Acme Builders projects', 'projects'), {
      companies: [acme],
      company: acme,
      query: query({ q: 'Project 00', sort: '-name' }),
      notice: undefined,
      listing: listing(query({ q: 'Project 00', sort: '-name' })),
      now: NOW,
      links,
    }),
    projectsPage(signedIn('No access', 'projects'), {
      companies: [acme],
      company: undefined,
      query: query({ companyId: 99 }),
      notice: undefined,
      noAccess: true,
      now: NOW,
      links,
    }),
    projectsPage(signedIn('No access', 'projects'), {
      companies: [acme, other],
      company: other,
      query: query({ companyId: other.id }),
      notice: undefined,
      noAccess: true,
      now: NOW,
      links,
    }),
    projectsPage(signedIn('Projects', 'projects'), {
      companies: [],
      company: undefined,
      query: { ...DEFAULT_QUERY, companyId: undefined },
      notice: undefined,
      now: NOW,
      links,
    }),
  ],
  admin: [
    adminPage(signedIn('Operators'), {
      people: [],
      instances: 1,
      audit: { events: [], older: undefined },
      paged: false,
    }),
    adminPage(signedIn('Operators'), {
      people: [
        {
          userId: 42,
          name: 'Dana Demo',
          login: 'dana@example.com',
          sessions: 2,
          accessTokenExpiresAt: NOW + 5_400_000,
          lastRefreshAt: NOW - 60_000,
          refreshes: 3,
          refreshFailures: 1,
          lockWaits: 2,
          lastError: { status: 503, at: NOW - 30_000 },
          lastSeenAt: NOW,
          rateLimit: { limit: 3600, remaining: 3412, resetAt: NOW + 600_000, seenAt: NOW - 5_000 },
        },
        {
          userId: 43,
          name: 'Sam New',
          login: 'sam@example.com',
          sessions: 0,
          accessTokenExpiresAt: undefined,
          lastRefreshAt: undefined,
          refreshes: 0,
          refreshFailures: 0,
          lockWaits: 0,
          lastError: undefined,
          lastSeenAt: NOW,
          rateLimit: undefined,
        },
      ],
      instances: 2,
      audit: {
        events: [
          {
            id: '1-0',
            at: NOW,
            type: 'sign-in',
            userId: 42,
            login: 'dana@example.com',
            ip: '203.0.113.9',
            browser: 'Chrome 156 on Linux',
            requestId: 'abc',
            detail: undefined,
          },
        ],
        older: '1-0',
      },
      paged: true,
    }),
  ],
  'projects-loading': [
    projectsLoadingPage(signedIn('Loading Acme Builders', 'projects'), {
      company: acme,
      reloadHref: '/projects?company_id=7',
    }),
  ],
  project: [
    projectPage(signedIn('Riverside Tower', 'projects'), {
      project: procoreProject,
      backHref: '/projects?company_id=7',
      procoreHref: links.project({ id: 7 }, 1001),
    }),
    projectPage(signedIn('Bare project', 'projects'), {
      project: {
        ...procoreProject,
        project_number: null,
        stage: null,
        phone: null,
        address: null,
        city: null,
        state_code: null,
        zip: null,
        country_code: null,
        county: null,
        active: false,
      },
      backHref: '/projects?company_id=7',
      procoreHref: links.project({ id: 7 }, 1001),
    }),
    staleProjectPage(signedIn('Project 001', 'projects'), {
      project: summaries[1]!,
      fetchedAt: NOW - 600_000,
      now: NOW,
      backHref: '/projects?company_id=7',
      procoreHref: links.project({ id: 7 }, 1001),
    }),
  ],
};

/** The ECMAScript built-ins (no Node globals such as `crypto` or `process`): all a template may read besides its locals. */
const BUILT_INS = new Set(vm.runInNewContext('Object.getOwnPropertyNames(globalThis)') as string[]);

/** What a template's compiled code reads: its unused locals and any name that is neither a local nor a built-in. */
function readsOf(
  name: string,
  locals: readonly string[],
  viewsDir = VIEWS_DIR,
): { unused: string[]; undeclared: string[]; extraLocalsReads: number } {
  const source = compileTemplate(viewsDir, name, locals).toString();
  const ast = espree.parse(source, { ecmaVersion: 'latest', sourceType: 'script', range: true });
  const scopes = eslintScope.analyze(ast as Parameters<typeof eslintScope.analyze>[0], {
    ecmaVersion: 2022,
    sourceType: 'script',
  });
  const template = scopes.acquire(ast.body[0] as Parameters<typeof scopes.acquire>[0])!;
  const reads = (variable: string): number =>
    template.set.get(variable)?.references.filter((reference) => reference.isRead()).length ?? 0;
  return {
    unused: locals.filter((local) => reads(local) === 0),
    undeclared: [...new Set(scopes.globalScope!.through.map((reference) => reference.identifier.name))].filter(
      (free) => !BUILT_INS.has(free),
    ),
    // EJS's prologue (when there are locals) reads `locals` once and `__locals` once per local;
    // anything more is the template itself.
    extraLocalsReads: reads('locals') - Math.min(1, locals.length) + (reads('__locals') - locals.length),
  };
}

describe('views', () => {
  const names = templateNames(VIEWS_DIR);
  const pages = names.filter((name) => !name.startsWith('partials/'));
  const templates = new Templates({ viewsDir: VIEWS_DIR, locals: VIEW_LOCALS, precompile: true });

  it('when the views folder is listed, then every template has a key list and every key list a template', () => {
    expect(pages).toEqual(
      expect.arrayContaining(['home', 'projects', 'projects-loading', 'project', 'account', 'error']),
    );
    expect(names.filter((name) => !VIEW_LOCALS[name])).toEqual([]);
    expect(Object.keys(VIEW_LOCALS).filter((name) => !names.includes(name))).toEqual([]);
  });

  it('when the pages are listed, then every page has fixtures to render', () => {
    expect(pages.filter((page) => !FIXTURES[page]?.length)).toEqual([]);
  });

  it.each(names)(
    'when %s is compiled, then it reads every local of its view model, nothing else and no global outside ECMAScript',
    (name) => {
      expect(readsOf(name, VIEW_LOCALS[name] ?? [])).toEqual({ unused: [], undeclared: [], extraLocalsReads: 0 });
    },
  );

  it.each(pages)(
    'when %s is rendered from each of its view models, then no local is missing and the page is complete',
    (page) => {
      for (const model of FIXTURES[page] ?? []) {
        expect(Object.keys(model).sort()).toEqual([...VIEW_LOCALS[page]!].sort());
        const html = templates.render(page, model);
        expect(html).toContain(
          `<title>${(model as { layout: { title: string } }).layout.title} · Procore Dashboard</title>`,
        );
        expect(html.trimEnd()).toMatch(/<\/html>$/);
      }
    },
  );

  it('when a view model lacks a key, then rendering fails and names the key', () => {
    const { notice: _notice, ...withoutNotice } = FIXTURES.home![1] as Record<string, unknown>;
    expect(() => templates.render('home', withoutNotice)).toThrow('The view model of home has no "notice"');
  });

  it('when a signed-in page is rendered, then the header marks the current page and carries the sign-out form token', () => {
    const html = templates.render('account', FIXTURES.account![0]!);
    expect(html).toContain(
      '<a href="/account" class="user-name" title="Your account" aria-current="page">Dana Demo</a>',
    );
    expect(html).toContain('<a href="/projects">Projects</a>');
    expect(html).toContain('name="_csrf" value="csrf-token"');
  });

  describe('with a views folder of its own', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'views-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('when templates are precompiled and one has no key list, then start-up fails and names it', () => {
      writeFileSync(path.join(dir, 'greeting.ejs'), '<p><%= `${greeting}, ${crypto}` %></p>');
      writeFileSync(path.join(dir, 'stray.ejs'), '<p>no key list</p>');
      expect(
        () => new Templates({ viewsDir: dir, locals: { greeting: ['greeting', 'crypto'] }, precompile: true }),
      ).toThrow('The template stray has no key list');
    });

    it('when a local is only read in a template literal or named like a Node global, then it is still the local', () => {
      const own = new Templates({
        viewsDir: dir,
        locals: { greeting: ['greeting', 'crypto'], stray: [] },
        precompile: true,
      });
      expect(own.render('greeting', { greeting: 'Hello', crypto: 'mine' })).toBe('<p>Hello, mine</p>');
    });

    it('when a template reads a name its view model lacks, leaves a local unread or reads `locals`, then the check names each', () => {
      writeFileSync(
        path.join(dir, 'careless.ejs'),
        "<% if (typeof notice !== 'undefined') { %><%= notice %><% } %><%= locals.title %><%# const unread = 1 %>",
      );
      expect(readsOf('careless', ['title', 'unread'], dir)).toEqual({
        unused: ['title', 'unread'],
        undeclared: ['notice'],
        extraLocalsReads: 1,
      });
      expect(readsOf('greeting', ['greeting'], dir)).toEqual({
        unused: [],
        undeclared: ['crypto'],
        extraLocalsReads: 0,
      });
    });
  });
});
