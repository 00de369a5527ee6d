import { describe, expect, it } from 'vitest';
import { ProcoreError } from '../../src/procore/errors';
import {
  asCompanyList,
  asProject,
  asProjectList,
  asTokenInfo,
  asUser,
  MAX_TEXT_LENGTH,
  projectStageName,
} from '../../src/procore/shape';
import { summarizeProject } from '../../src/projects/project-summary';

const ENDPOINT = 'GET /rest/v1.0/projects';

function thrown(run: () => unknown): ProcoreError {
  try {
    run();
  } catch (error) {
    if (error instanceof ProcoreError) return error;
    throw error;
  }
  throw new Error('expected a ProcoreError');
}

describe('reading projects', () => {
  it('when a project has a project_stage object, then its name is the stage, whatever the stage string says', () => {
    expect(projectStageName({ project_stage: { id: 3, name: 'Course of Construction' }, stage: 'Bidding' })).toBe(
      'Course of Construction',
    );
    expect(
      summarizeProject(
        asProject({ id: 1, name: 'A', project_stage: { id: 3, name: 'Course of Construction' } }, ENDPOINT),
      ).stage,
    ).toBe('Course of Construction');
  });

  it('when a project has only the older stage string, then that is the stage', () => {
    expect(summarizeProject(asProject({ id: 1, name: 'A', stage: 'Bidding' }, ENDPOINT)).stage).toBe('Bidding');
    expect(projectStageName({ project_stage: { id: 3, name: null }, stage: 'Bidding' })).toBe('Bidding');
    expect(projectStageName({ project_stage: null, stage: 'Bidding' })).toBe('Bidding');
  });

  it('when a project has neither (missing, null or blank), then the stage is undefined', () => {
    for (const body of [
      { id: 1, name: 'A' },
      { id: 1, name: 'A', stage: null, project_stage: null },
      { id: 1, name: 'A', stage: ' ', project_stage: { name: '' } },
    ]) {
      expect(summarizeProject(asProject(body, ENDPOINT)).stage).toBeUndefined();
    }
  });

  it('when optional fields are null, missing or of another type, then they read as missing and the project is kept', () => {
    const project = asProject(
      {
        id: 6_000_000_001,
        name: 'Tower',
        latitude: 'north',
        total_value: '12',
        office: 'HQ',
        active: 'yes',
        departments: 'Ops',
        custom_fields: [],
        city: 42,
      },
      ENDPOINT,
    );
    expect(project.id).toBe(6_000_000_001);
    expect(project.latitude).toBeUndefined();
    expect(project.total_value).toBeUndefined();
    expect(project.office).toBeUndefined();
    expect(project.active).toBeUndefined();
    expect(project.departments).toBeUndefined();
    expect(project.custom_fields).toBeUndefined();
    expect(project.city).toBeUndefined();
    expect(summarizeProject(project)).toMatchObject({ active: true, city: null, number: null });
  });

  it('when text fields are longer than 500 characters, then they are cut to 500 before anything reads them, nested names too', () => {
    const long = 'x'.repeat(1_000_000);
    const [project] = asProjectList(
      [{ id: 1, name: long, city: long, project_stage: { id: 2, name: long }, departments: [{ id: 3, name: long }] }],
      ENDPOINT,
    );
    expect(MAX_TEXT_LENGTH).toBe(500);
    expect(project!.name).toHaveLength(500);
    expect(project!.city).toHaveLength(500);
    expect(project!.project_stage!.name).toHaveLength(500);
    expect(project!.departments![0]!.name).toHaveLength(500);
    expect(summarizeProject(project!).stage).toHaveLength(500);
    const [company] = asCompanyList([{ id: 1, name: long }], 'GET /rest/v1.0/companies');
    expect(company!.name).toHaveLength(500);
    expect(asUser({ id: 1, login: long, name: long }, 'GET /rest/v1.0/me').name).toHaveLength(500);
  });

  it('when fields the client does not know come along, then they are kept as they came', () => {
    const project = asProject({ id: 1, name: 'A', brand_new_field: { nested: [1, 2] }, flag: 'Red' }, ENDPOINT);
    expect(project.brand_new_field).toEqual({ nested: [1, 2] });
    expect(project.flag).toBe('Red');
  });

  it('when ids exceed 32 bits, then they are kept exactly as numbers', () => {
    const [project] = asProjectList(
      [{ id: 2 ** 40 + 7, name: 'Big', company: { id: 2 ** 33 + 1, name: 'Co' } }],
      ENDPOINT,
    );
    expect(project?.id).toBe(2 ** 40 + 7);
    expect(project?.company?.id).toBe(2 ** 33 + 1);
  });

  it('when a project has no name, then it is named by its display name, else by its id', () => {
    expect(asProject({ id: 5, name: null, display_name: '2024-001 - Tower' }, ENDPOINT).name).toBe('2024-001 - Tower');
    expect(asProject({ id: 5 }, ENDPOINT).name).toBe('Project 5');
  });

  it.each([
    ['a string id', [{ id: '5', name: 'A' }]],
    ['a fractional id', [{ id: 5.5, name: 'A' }]],
    ['a negative id', [{ id: -1, name: 'A' }]],
    ['an item that is not an object', ['A']],
    ['an object instead of a list', { projects: [] }],
  ])('when a list has %s, then it is bad_response', (_what, body) => {
    expect(thrown(() => asProjectList(body, ENDPOINT)).code).toBe('bad_response');
  });
});

describe('reading users, companies and token info', () => {
  it('when /me answers without a name (Procore sends one only when asked with a company), then the login stands in for it', () => {
    expect(asUser({ id: 9, login: 'pat@example.com' }, 'GET /rest/v1.0/me')).toMatchObject({
      id: 9,
      login: 'pat@example.com',
      name: 'pat@example.com',
    });
    expect(asUser({ id: 9, login: null, name: null }, 'GET /rest/v1.0/me')).toMatchObject({
      login: '',
      name: 'Procore user 9',
    });
  });

  it('when companies have null names or no is_active, then they get a name and count as active', () => {
    expect(
      asCompanyList(
        [
          { id: 5_000_000_001, name: null },
          { id: 7, name: 'B', is_active: false, logo_url: null },
        ],
        'GET /rest/v1.0/companies',
      ),
    ).toEqual([
      { id: 5_000_000_001, name: 'Company 5000000001', is_active: true },
      { id: 7, name: 'B', is_active: false, logo_url: null },
    ]);
  });

  it('when token info lacks the application, scopes or created_at, then they read as empty; without expires_in_seconds it is bad_response', () => {
    expect(asTokenInfo({ expires_in_seconds: 30 }, 'GET /oauth/token/info')).toEqual({
      resource_owner_id: null,
      scopes: [],
      expires_in_seconds: 30,
      application: { uid: null },
      created_at: null,
    });
    expect(thrown(() => asTokenInfo({ application: { uid: 'x' } }, 'GET /oauth/token/info')).code).toBe('bad_response');
  });
});
