import { describe, expect, it } from 'vitest';
import {
  createEmulator,
  DEFAULT_COMPANIES,
  DEMO_USER,
  EMULATOR_CLIENT_ID,
  EMULATOR_CLIENT_SECRET,
  OTHER_USER,
} from '../../emulator';
import { buildData, PROJECT_STAGES } from '../../emulator/data';
import { api, signIn, start } from './helpers';

describe('default data', () => {
  it('when the emulator is created without options, then it has the documented client, demo user, a second user and four companies above 2^32 (one free, one in another zone)', () => {
    const emulator = createEmulator();
    expect(emulator.clientId).toBe('demo-client-id');
    expect(emulator.clientSecret).toBe('demo-client-secret');
    expect([EMULATOR_CLIENT_ID, EMULATOR_CLIENT_SECRET]).toEqual(['demo-client-id', 'demo-client-secret']);
    expect(DEMO_USER).toMatchObject({ login: 'demo@example.com', password: 'procore-demo', name: 'Dana Demo' });
    expect(emulator.users.map((user) => user.login)).toEqual([DEMO_USER.login, OTHER_USER.login]);
    expect(OTHER_USER.companyIds.length).toBeLessThan(DEMO_USER.companyIds.length);
    expect(emulator.companies.map((company) => company.projectCount)).toEqual([250, 40, 6, 3]);
    expect(emulator.companies.filter((company) => company.free).map((company) => company.name)).toEqual([
      'Pine Street Remodeling',
    ]);
    expect(emulator.companies.filter((company) => company.zone === 'US02').map((company) => company.name)).toEqual([
      'Summit Ridge Contractors',
    ]);
    expect(emulator.companies.every((company) => company.id > 2 ** 32)).toBe(true);
    expect(emulator.companies[0]?.name).toBe('Acme Builders');
  });

  it('when data is built twice from the same companies, then the projects are identical, unique by id and name, with Procore stages (some unset in published-shape companies)', () => {
    const first = buildData(DEFAULT_COMPANIES);
    const second = buildData(DEFAULT_COMPANIES);
    expect(second.projectsByCompany).toEqual(first.projectsByCompany);
    const all = [...first.projectsByCompany.values()].flat();
    expect(all).toHaveLength(299);
    expect(new Set(all.map((project) => project.id)).size).toBe(all.length);
    const acme = first.projectsByCompany.get(DEFAULT_COMPANIES[0]?.id ?? 0) ?? [];
    expect(new Set(acme.map((project) => project.name)).size).toBe(acme.length);
    for (const project of all) {
      if (project.stage === null) expect(first.shapeByCompany.get(project.company.id)).toBe('published');
      else expect(PROJECT_STAGES).toContain(project.stage);
      expect(project.project_stage?.name ?? null).toBe(project.stage);
      expect(project.display_name).toBe(
        project.project_number ? `${project.project_number} - ${project.name}` : project.name,
      );
      expect(project.updated_at >= project.created_at).toBe(true);
    }
    expect(all.some((project) => project.stage === null)).toBe(true);
  });

  it('when the default companies are built, then the demo mixes both project shapes and the published one carries nulls and extra fields', () => {
    const data = buildData(DEFAULT_COMPANIES);
    expect([...data.shapeByCompany.values()]).toEqual(['published', 'v1-string-stage', 'published', 'published']);
    const acme = data.projectsByCompany.get(DEFAULT_COMPANIES[0]!.id) ?? [];
    const share = (has: (project: (typeof acme)[number]) => boolean): number => acme.filter(has).length / acme.length;
    for (const field of [
      'logo_url',
      'total_value',
      'start_date',
      'completion_date',
      'office',
      'project_type',
    ] as const) {
      const filled = share((project) => project[field] !== null && project[field] !== undefined);
      expect(filled, field).toBeGreaterThan(0.1);
      expect(filled, field).toBeLessThan(1);
    }
    expect(
      acme.every((project) => project.completion_date === null || project.start_date! <= project.completion_date!),
    ).toBe(true);
    expect(acme.some((project) => Object.keys(project.custom_fields ?? {}).length > 0)).toBe(true);
  });

  it('when custom users, companies and redirect URIs are given, then the emulator serves exactly those', async () => {
    const { url } = await start({
      companies: [{ id: 9_000_000_000_001, name: 'Tiny Co', projectCount: 3 }],
      users: [{ id: 1, login: 'a@b.c', name: 'A B', password: 'pw', companyIds: [9_000_000_000_001] }],
    });
    const tokens = await signIn(url, { login: 'a@b.c', password: 'pw' });
    const companies = (await (await api(url, '/rest/v1.0/companies', tokens.access_token)).json()) as Array<{
      id: number;
    }>;
    expect(companies.map((company) => company.id)).toEqual([9_000_000_000_001]);
    const projects = await api(
      url,
      '/rest/v1.0/projects?company_id=9000000000001&filters[by_status]=All',
      tokens.access_token,
      9_000_000_000_001,
    );
    expect(projects.headers.get('total')).toBe('3');
    await expect(signIn(url, DEMO_USER)).rejects.toThrow(/401/);
  });
});
