import { describe, expect, it } from 'vitest';
import type { ProcoreCompany, ProcoreProject } from '../../src/procore/types';
import {
  ACME_COMPANY_ID,
  DEMO_USER,
  NORTHWIND_COMPANY_ID,
  OTHER_USER,
  PINE_STREET_COMPANY_ID,
  SUMMIT_COMPANY_ID,
} from '../../emulator';
import { api, parseLink, serviceToken, signIn, start } from './helpers';

const projectsPath = (companyId: number, query = ''): string =>
  `/rest/v1.0/projects?company_id=${companyId}${query ? `&${query}` : ''}`;

async function json<T>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

/** The error object of Procore's published reference: integer code, error, message, reason. */
const errorBody = (status: number, message: unknown = expect.any(String)): Record<string, unknown> => ({
  code: status,
  error: expect.any(String),
  message,
  reason: expect.any(String),
});

describe('authentication on the REST API', () => {
  it('when no bearer token is sent, then 401 with a JSON error and WWW-Authenticate is answered', async () => {
    const { url } = await start();
    const res = await api(url, '/rest/v1.0/me', undefined);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
    expect(await json(res)).toEqual({ ...errorBody(401), error: 'Unauthorized', reason: 'missing_token' });
  });

  it('when the access token has expired (expireAccessTokens), then 401 invalid_token is answered but the refresh token stays valid', async () => {
    const { url, emulator } = await start();
    const tokens = await signIn(url);
    emulator.expireAccessTokens();
    const res = await api(url, '/rest/v1.0/me', tokens.access_token);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(await json(res)).toEqual({
      code: 401,
      error: 'Unauthorized',
      message: 'The access token expired',
      reason: 'invalid_token',
    });
    expect(emulator.isRefreshTokenValid(tokens.refresh_token ?? '')).toBe(true);
  });

  it('when the clock passes the token lifetime, then the access token is refused', async () => {
    let clock = Date.UTC(2025, 4, 1, 12);
    const { url } = await start({ now: () => clock, tokenLifetimeSeconds: 60 });
    const tokens = await signIn(url);
    clock += 59_000;
    expect((await api(url, '/rest/v1.0/me', tokens.access_token)).status).toBe(200);
    clock += 1_000;
    expect((await api(url, '/rest/v1.0/me', tokens.access_token)).status).toBe(401);
  });

  it('when every token is revoked (revokeAll), then access tokens get 401 and refresh tokens are invalid', async () => {
    const { url, emulator } = await start();
    const tokens = await signIn(url);
    emulator.revokeAll();
    const res = await api(url, '/rest/v1.0/companies', tokens.access_token);
    expect(res.status).toBe(401);
    expect(await json(res)).toEqual(errorBody(401, 'The access token was revoked'));
    expect(emulator.isRefreshTokenValid(tokens.refresh_token ?? '')).toBe(false);
  });
});

describe('/me and /companies', () => {
  it('when a user token calls /me and /companies without Procore-Company-Id, then the user and their companies are answered', async () => {
    const { url } = await start();
    const tokens = await signIn(url);
    expect(await json(await api(url, '/rest/v1.0/me', tokens.access_token))).toEqual({
      id: DEMO_USER.id,
      login: 'demo@example.com',
      name: 'Dana Demo',
    });
    const res = await api(url, '/rest/v1.0/companies', tokens.access_token);
    expect(res.status).toBe(200);
    expect(res.headers.get('total')).toBe('3');
    const companies = await json<ProcoreCompany[]>(res);
    expect(companies.map((company) => company.id)).toEqual([ACME_COMPANY_ID, NORTHWIND_COMPANY_ID, SUMMIT_COMPANY_ID]);
    expect(companies[0]).toMatchObject({ id: 5_000_000_001, name: 'Acme Builders', is_active: true });
    expect(companies.every((company) => company.id > 2 ** 32)).toBe(true);
  });

  it('when companies are listed with include_free_companies=true, then the free company is among them; without it, it is left out', async () => {
    const { url } = await start();
    const tokens = await signIn(url);
    const withFree = await json<ProcoreCompany[]>(
      await api(url, '/rest/v1.0/companies?include_free_companies=true', tokens.access_token),
    );
    expect(withFree.map((company) => company.id)).toEqual([
      ACME_COMPANY_ID,
      NORTHWIND_COMPANY_ID,
      SUMMIT_COMPANY_ID,
      PINE_STREET_COMPANY_ID,
    ]);
    const without = await json<ProcoreCompany[]>(await api(url, '/rest/v1.0/companies', tokens.access_token));
    expect(without.map((company) => company.id)).not.toContain(PINE_STREET_COMPANY_ID);
  });

  it("when a company's base URL is asked with Procore-Company-Id and no token, then its zone and web host are answered", async () => {
    const { url } = await start();
    const ask = (headers: Record<string, string>) => fetch(`${url}/rest/v1.0/company_base_url`, { headers });
    expect(await json(await ask({ 'Procore-Company-Id': String(ACME_COMPANY_ID) }))).toEqual({
      zone: 'US01',
      web_base_url: url,
    });
    expect(await json(await ask({ 'Procore-Company-Id': String(SUMMIT_COMPANY_ID) }))).toEqual({
      zone: 'US02',
      web_base_url: `${url}/us02`,
    });
    expect((await ask({ 'Procore-Company-Id': '5000000099' })).status).toBe(404);
    expect((await ask({})).status).toBe(400);
  });

  it('when the second user lists companies, then only their own company is answered', async () => {
    const { url } = await start();
    const tokens = await signIn(url, OTHER_USER);
    const companies = await json<ProcoreCompany[]>(await api(url, '/rest/v1.0/companies', tokens.access_token));
    expect(companies.map((company) => company.id)).toEqual([SUMMIT_COMPANY_ID]);
  });

  it('when a client-credentials token calls /me or /companies without Procore-Company-Id, then 400 with a clear JSON error is answered', async () => {
    const { url } = await start();
    const { access_token } = await serviceToken(url);
    for (const path of ['/rest/v1.0/me', '/rest/v1.0/companies']) {
      const res = await api(url, path, access_token);
      expect(res.status).toBe(400);
      expect((await json<{ message: string }>(res)).message).toMatch(/Procore-Company-Id/);
    }
  });

  it('when a client-credentials token sends Procore-Company-Id, then /me is the service account and /companies lists every installed company', async () => {
    const { url, emulator } = await start();
    const { access_token } = await serviceToken(url);
    const me = await api(url, '/rest/v1.0/me', access_token, ACME_COMPANY_ID);
    expect(me.status).toBe(200);
    const account = emulator.serviceAccount;
    expect(await json(me)).toEqual({ id: account?.id, login: account?.login, name: account?.name });
    const companies = await json<ProcoreCompany[]>(
      await api(url, '/rest/v1.0/companies', access_token, ACME_COMPANY_ID),
    );
    expect(companies).toHaveLength(3);
  });

  it('when a service account installed in one company names another in Procore-Company-Id, then 403 is answered', async () => {
    const { url } = await start({
      serviceAccount: { id: 42, login: 'svc@example.com', name: 'Svc', companyIds: [SUMMIT_COMPANY_ID] },
    });
    const { access_token } = await serviceToken(url);
    expect((await api(url, '/rest/v1.0/me', access_token, ACME_COMPANY_ID)).status).toBe(403);
    const companies = await json<ProcoreCompany[]>(
      await api(url, '/rest/v1.0/companies', access_token, SUMMIT_COMPANY_ID),
    );
    expect(companies.map((company) => company.id)).toEqual([SUMMIT_COMPANY_ID]);
  });
});

describe('GET /rest/v1.0/projects', () => {
  it('when company_id is missing, then 400; when the header is missing, then 400; when they differ, then 403', async () => {
    const { url } = await start();
    const { access_token } = await signIn(url);
    const noQuery = await api(url, '/rest/v1.0/projects', access_token, ACME_COMPANY_ID);
    expect(noQuery.status).toBe(400);
    expect((await json<{ message: string }>(noQuery)).message).toMatch(/company_id/);
    const noHeader = await api(url, projectsPath(ACME_COMPANY_ID), access_token);
    expect(noHeader.status).toBe(400);
    expect((await json<{ message: string }>(noHeader)).message).toMatch(/Procore-Company-Id/);
    expect((await api(url, projectsPath(ACME_COMPANY_ID), access_token, NORTHWIND_COMPANY_ID)).status).toBe(403);
  });

  it('when a user asks for a company they cannot access, then 403 is answered; for a company that does not exist, 404', async () => {
    const { url } = await start();
    const { access_token } = await signIn(url, OTHER_USER);
    const foreign = await api(url, projectsPath(ACME_COMPANY_ID), access_token, ACME_COMPANY_ID);
    expect(foreign.status).toBe(403);
    expect(await json(foreign)).toEqual({
      ...errorBody(403, expect.stringContaining(String(ACME_COMPANY_ID))),
      error: 'Forbidden',
    });
    const foreignProject = await api(
      url,
      `/rest/v1.0/projects/6000000001?company_id=${ACME_COMPANY_ID}`,
      access_token,
      ACME_COMPANY_ID,
    );
    expect(foreignProject.status).toBe(403);
    expect((await api(url, projectsPath(123), access_token, 123)).status).toBe(404);
    expect((await api(url, projectsPath(SUMMIT_COMPANY_ID), access_token, SUMMIT_COMPANY_ID)).status).toBe(200);
  });

  it('when projects of a v1-string-stage company are listed, then each has the older v1.0 shape with a stage string and the company', async () => {
    const { url } = await start();
    const { access_token } = await signIn(url);
    const projects = await json<ProcoreProject[]>(
      await api(url, projectsPath(NORTHWIND_COMPANY_ID, 'per_page=5'), access_token, NORTHWIND_COMPANY_ID),
    );
    expect(projects).toHaveLength(5);
    for (const project of projects) {
      expect(Object.keys(project).sort()).toEqual(
        [
          'active',
          'address',
          'city',
          'company',
          'country_code',
          'county',
          'created_at',
          'display_name',
          'id',
          'latitude',
          'longitude',
          'name',
          'origin_data',
          'origin_id',
          'phone',
          'project_number',
          'stage',
          'state_code',
          'updated_at',
          'zip',
        ].sort(),
      );
      expect(project.company).toEqual({ id: NORTHWIND_COMPANY_ID, name: 'Northwind Civil Group' });
      expect(project.active).toBe(true);
      expect(project.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      expect(typeof project.stage).toBe('string');
      expect(project.id).toBeGreaterThan(2 ** 32);
    }
  });

  it('when a multi-page company is paged, then Total, Per-Page and absolute first/prev/next/last links are right and next is absent on the last page', async () => {
    const { url } = await start();
    const { access_token } = await signIn(url);
    const all = await json<ProcoreProject[]>(
      await api(url, projectsPath(ACME_COMPANY_ID, 'per_page=300'), access_token, ACME_COMPANY_ID),
    );
    const total = all.length;
    expect(total).toBeGreaterThan(200);
    const lastPage = Math.ceil(total / 100);

    const first = await api(url, projectsPath(ACME_COMPANY_ID), access_token, ACME_COMPANY_ID);
    expect(first.headers.get('total')).toBe(String(total));
    expect(first.headers.get('per-page')).toBe('100');
    const firstLinks = parseLink(first.headers.get('link'));
    expect(Object.keys(firstLinks).sort()).toEqual(['first', 'last', 'next']);
    expect(firstLinks.next?.startsWith(`${url}/rest/v1.0/projects?`)).toBe(true);
    const next = new URL(firstLinks.next ?? '');
    expect(next.searchParams.get('page')).toBe('2');
    expect(next.searchParams.get('company_id')).toBe(String(ACME_COMPANY_ID));
    expect(new URL(firstLinks.last ?? '').searchParams.get('page')).toBe(String(lastPage));

    const second = await api(url, projectsPath(ACME_COMPANY_ID, 'page=2'), access_token, ACME_COMPANY_ID);
    const secondLinks = parseLink(second.headers.get('link'));
    expect(new URL(secondLinks.prev ?? '').searchParams.get('page')).toBe('1');
    expect(new URL(secondLinks.next ?? '').searchParams.get('page')).toBe('3');

    // Follow rel="next" to the end: every project exactly once, and the last page is short.
    const seen: number[] = [];
    let link: string | undefined = `${url}${projectsPath(ACME_COMPANY_ID)}`;
    let pages = 0;
    let lastLinks: Record<string, string> = {};
    while (link) {
      const res = await fetch(link, {
        headers: { Authorization: `Bearer ${access_token}`, 'Procore-Company-Id': String(ACME_COMPANY_ID) },
      });
      seen.push(...(await json<ProcoreProject[]>(res)).map((project) => project.id));
      lastLinks = parseLink(res.headers.get('link'));
      link = lastLinks.next;
      pages += 1;
    }
    expect(pages).toBe(lastPage);
    expect(lastLinks).not.toHaveProperty('next');
    expect(lastLinks).toHaveProperty('prev');
    expect(seen).toEqual(all.map((project) => project.id));
    expect(new Set(seen).size).toBe(total);
  });

  it('when per_page exceeds 300, then it is clamped to 300; a page past the end is empty and points back to the last page', async () => {
    const { url } = await start();
    const { access_token } = await signIn(url);
    const res = await api(
      url,
      projectsPath(ACME_COMPANY_ID, 'per_page=1000&filters[by_status]=All'),
      access_token,
      ACME_COMPANY_ID,
    );
    expect(res.headers.get('per-page')).toBe('300');
    expect(await json<unknown[]>(res)).toHaveLength(250);
    const beyond = await api(url, projectsPath(ACME_COMPANY_ID, 'page=9'), access_token, ACME_COMPANY_ID);
    expect(beyond.status).toBe(200);
    expect(await json<unknown[]>(beyond)).toEqual([]);
    const activeTotal = Number(beyond.headers.get('total'));
    expect(activeTotal).toBeGreaterThan(200);
    expect(activeTotal).toBeLessThan(250);
    const links = parseLink(beyond.headers.get('link'));
    expect(links).not.toHaveProperty('next');
    expect(new URL(links.prev ?? '').searchParams.get('page')).toBe(String(Math.ceil(activeTotal / 100)));
  });

  it('when filters[by_status] is Inactive or All, then only inactive or every project is listed', async () => {
    const { url } = await start();
    const { access_token } = await signIn(url);
    const get = async (status: string): Promise<ProcoreProject[]> =>
      json<ProcoreProject[]>(
        await api(
          url,
          projectsPath(ACME_COMPANY_ID, `per_page=300&filters[by_status]=${status}`),
          access_token,
          ACME_COMPANY_ID,
        ),
      );
    const [active, inactive, all] = [await get('Active'), await get('Inactive'), await get('All')];
    expect(active.every((project) => project.active)).toBe(true);
    expect(inactive.length).toBeGreaterThan(0);
    expect(inactive.every((project) => !project.active)).toBe(true);
    expect(all).toHaveLength(250);
    expect(active.length + inactive.length).toBe(250);
    expect(
      (await api(url, projectsPath(ACME_COMPANY_ID, 'filters[by_status]=Closed'), access_token, ACME_COMPANY_ID))
        .status,
    ).toBe(400);
  });

  it('when filters[name] is given, then names containing it in any letter case are listed', async () => {
    const { url } = await start();
    const { access_token } = await signIn(url);
    const all = await json<ProcoreProject[]>(
      await api(url, projectsPath(ACME_COMPANY_ID, 'per_page=300'), access_token, ACME_COMPANY_ID),
    );
    const expected = all
      .filter((project) => project.name.toLowerCase().includes('hospital'))
      .map((project) => project.id);
    expect(expected.length).toBeGreaterThan(0);
    const res = await api(
      url,
      projectsPath(ACME_COMPANY_ID, 'per_page=300&filters[name]=HoSpItAl'),
      access_token,
      ACME_COMPANY_ID,
    );
    expect((await json<ProcoreProject[]>(res)).map((project) => project.id)).toEqual(expected);
    expect(res.headers.get('total')).toBe(String(expected.length));
  });

  it('when filters[id][] lists ids, then exactly those projects are listed', async () => {
    const { url } = await start();
    const { access_token } = await signIn(url);
    const page = await json<ProcoreProject[]>(
      await api(url, projectsPath(ACME_COMPANY_ID, 'per_page=10'), access_token, ACME_COMPANY_ID),
    );
    const wanted = [page[2]?.id, page[7]?.id] as number[];
    const res = await api(
      url,
      projectsPath(ACME_COMPANY_ID, wanted.map((id) => `filters[id][]=${id}`).join('&')),
      access_token,
      ACME_COMPANY_ID,
    );
    expect((await json<ProcoreProject[]>(res)).map((project) => project.id)).toEqual(wanted);
  });

  it('when sort=name or sort=display_name is given, then the list is in that order', async () => {
    const { url } = await start();
    const { access_token } = await signIn(url);
    for (const sort of ['name', 'display_name'] as const) {
      const projects = await json<ProcoreProject[]>(
        await api(url, projectsPath(ACME_COMPANY_ID, `per_page=300&sort=${sort}`), access_token, ACME_COMPANY_ID),
      );
      const keys = projects.map((project) => (project[sort] ?? project.name).toLowerCase());
      expect(keys).toEqual([...keys].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' })));
    }
  });

  it('when serializer_view=compact is given, then projects carry only id, name and display_name, as Procore documents', async () => {
    const { url } = await start();
    const { access_token } = await signIn(url);
    const [project] = await json<Record<string, unknown>[]>(
      await api(
        url,
        projectsPath(ACME_COMPANY_ID, 'per_page=1&serializer_view=compact'),
        access_token,
        ACME_COMPANY_ID,
      ),
    );
    expect(Object.keys(project ?? {}).sort()).toEqual(['display_name', 'id', 'name']);
  });
});

describe('GET /rest/v1.0/projects/:id', () => {
  it('when a project of the company is asked for, then it is answered; a project of another company or an unknown id is 404', async () => {
    const { url } = await start();
    const { access_token } = await signIn(url);
    const [acmeProject] = await json<ProcoreProject[]>(
      await api(url, projectsPath(ACME_COMPANY_ID, 'per_page=1'), access_token, ACME_COMPANY_ID),
    );
    const id = acmeProject?.id ?? 0;
    const one = await api(
      url,
      `/rest/v1.0/projects/${id}?company_id=${ACME_COMPANY_ID}`,
      access_token,
      ACME_COMPANY_ID,
    );
    expect(one.status).toBe(200);
    // Acme answers in the published shape: Show project has more fields than the list item, and no stage string.
    expect(await json(one)).toMatchObject({
      id,
      name: acmeProject?.name,
      display_name: acmeProject?.display_name,
      project_stage: acmeProject?.project_stage,
    });
    const [northwindProject] = await json<ProcoreProject[]>(
      await api(url, projectsPath(NORTHWIND_COMPANY_ID, 'per_page=1'), access_token, NORTHWIND_COMPANY_ID),
    );
    const older = await api(
      url,
      `/rest/v1.0/projects/${northwindProject?.id}?company_id=${NORTHWIND_COMPANY_ID}`,
      access_token,
      NORTHWIND_COMPANY_ID,
    );
    expect(await json(older)).toEqual(northwindProject);
    expect(
      (
        await api(
          url,
          `/rest/v1.0/projects/${id}?company_id=${NORTHWIND_COMPANY_ID}`,
          access_token,
          NORTHWIND_COMPANY_ID,
        )
      ).status,
    ).toBe(404);
    expect(
      (await api(url, `/rest/v1.0/projects/999?company_id=${ACME_COMPANY_ID}`, access_token, ACME_COMPANY_ID)).status,
    ).toBe(404);
    expect((await api(url, `/rest/v1.0/projects/${id}`, access_token, ACME_COMPANY_ID)).status).toBe(400);
  });
});

describe('unknown routes', () => {
  it('when a path is not served, then 404 JSON is answered', async () => {
    const { url } = await start();
    const res = await fetch(`${url}/nothing/here`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(await json(res)).toEqual(errorBody(404));
  });
});

describe('the two project shapes', () => {
  it('when a published-shape company lists projects, then they carry project_stage, an empty stage and the extra fields, many null', async () => {
    const { url } = await start();
    const { access_token } = await signIn(url);
    const projects = await json<Record<string, unknown>[]>(
      await api(
        url,
        projectsPath(ACME_COMPANY_ID, 'per_page=300&filters[by_status]=All'),
        access_token,
        ACME_COMPANY_ID,
      ),
    );
    expect(projects).toHaveLength(250);
    for (const project of projects) {
      expect(project.stage).toBeNull();
      expect(project).toHaveProperty('project_stage');
      expect(project).toHaveProperty('custom_fields');
      expect(project).not.toHaveProperty('logo_url');
    }
    const staged = projects.filter((project) => project.project_stage !== null);
    expect(staged.length).toBeGreaterThan(200);
    expect(staged.length).toBeLessThan(250);
    expect(projects.some((project) => project.total_value === null)).toBe(true);
    expect(projects.some((project) => typeof project.total_value === 'number')).toBe(true);
  });

  it('when a published-shape project is shown, then it has no stage string and carries logo_url, office, project_type and dates', async () => {
    const { url } = await start();
    const { access_token } = await signIn(url);
    const [first] = await json<Array<{ id: number }>>(
      await api(url, projectsPath(SUMMIT_COMPANY_ID, 'per_page=1'), access_token, SUMMIT_COMPANY_ID),
    );
    const one = await json<Record<string, unknown>>(
      await api(
        url,
        `/rest/v1.0/projects/${first?.id}?company_id=${SUMMIT_COMPANY_ID}`,
        access_token,
        SUMMIT_COMPANY_ID,
      ),
    );
    expect(one).not.toHaveProperty('stage');
    for (const field of [
      'logo_url',
      'office',
      'project_type',
      'project_stage',
      'start_date',
      'completion_date',
      'total_value',
      'time_zone',
      'departments',
    ]) {
      expect(one).toHaveProperty(field);
    }
  });

  it('when companies are listed, then each has the published fields and one is my_company', async () => {
    const { url } = await start();
    const tokens = await signIn(url);
    const companies = await json<Array<Record<string, unknown>>>(
      await api(url, '/rest/v1.0/companies', tokens.access_token),
    );
    for (const company of companies) {
      expect(Object.keys(company).sort()).toEqual([
        'id',
        'is_active',
        'logo_url',
        'my_company',
        'name',
        'pcn_business_experience',
      ]);
    }
    expect(companies.filter((company) => company.my_company === true)).toHaveLength(1);
  });
});

describe('error bodies', () => {
  it.each([
    [403, 'Forbidden'],
    [404, 'Not Found'],
    [422, 'Unprocessable Entity'],
    [429, 'Too Many Requests'],
  ])('when a %i is injected on the REST API, then the body is the published error object', async (status, error) => {
    const { url, emulator } = await start();
    const { access_token } = await signIn(url);
    emulator.inject({ match: 'GET /rest/v1.0/companies', status });
    const res = await api(url, '/rest/v1.0/companies', access_token);
    expect(res.status).toBe(status);
    expect(await json(res)).toEqual({ ...errorBody(status), error });
  });
});
