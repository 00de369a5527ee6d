/**
 * The contract between Procore's published reference, the app's client and the built-in emulator.
 * test/fixtures/procore/ holds example bodies written from the reference (README.md there cites the
 * source of each). The client must read every one of them; the emulator must answer with the same
 * keys and value types, nested objects included (null stands for "any type": Procore sends null
 * for whatever nobody entered). If either drifts from the reference, this fails.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACME_COMPANY_ID, NORTHWIND_COMPANY_ID, OTHER_USER, SUMMIT_COMPANY_ID } from '../../emulator';
import {
  asCompanyList,
  asProject,
  asProjectList,
  asTokenInfo,
  asUser,
  projectStageName,
} from '../../src/procore/shape';
import { summarizeProject } from '../../src/projects/project-summary';
import { api, signIn, start } from '../emulator/helpers';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'procore');
const fixture = (name: string): unknown => JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8'));
const projectsPath = (companyId: number, query = ''): string =>
  `/rest/v1.0/projects?company_id=${companyId}&per_page=300&filters[by_status]=All${query}`;

type Shape = 'null' | 'string' | 'number' | 'boolean' | { array: Shape } | { object: Record<string, Shape> };

/** Fields whose keys are data, not schema (`custom_field_<definition id>`): compared as plain objects. */
const OPAQUE = new Set(['custom_fields']);

function shapeOf(value: unknown, key = ''): Shape {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return { array: value.map((item) => shapeOf(item)).reduce(merge, 'null') };
  if (typeof value === 'object') {
    if (OPAQUE.has(key)) return { object: {} };
    return {
      object: Object.fromEntries(Object.entries(value).map(([field, inner]) => [field, shapeOf(inner, field)])),
    };
  }
  return typeof value as 'string' | 'number' | 'boolean';
}

/** One shape for several examples: a null in one is filled by the type another shows. */
function merge(a: Shape, b: Shape): Shape {
  if (a === 'null') return b;
  if (b === 'null' || typeof a === 'string' || typeof b === 'string') return a;
  if ('array' in a && 'array' in b) return { array: merge(a.array, b.array) };
  if ('object' in a && 'object' in b) {
    const keys = new Set([...Object.keys(a.object), ...Object.keys(b.object)]);
    return {
      object: Object.fromEntries(
        [...keys].map((key) => [key, merge(a.object[key] ?? 'null', b.object[key] ?? 'null')]),
      ),
    };
  }
  return a;
}

/** Every difference between what the reference shows and what was answered, as "path: problem". */
function differences(expected: Shape, actual: Shape, at = '$'): string[] {
  if (expected === 'null' || actual === 'null') return [];
  if (typeof expected === 'string' || typeof actual === 'string') {
    return JSON.stringify(expected) === JSON.stringify(actual)
      ? []
      : [`${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
  }
  if ('array' in expected && 'array' in actual) return differences(expected.array, actual.array, `${at}[]`);
  if ('object' in expected && 'object' in actual) {
    const problems: string[] = [];
    for (const key of Object.keys(expected.object)) if (!(key in actual.object)) problems.push(`${at}.${key}: missing`);
    for (const key of Object.keys(actual.object))
      if (!(key in expected.object)) problems.push(`${at}.${key}: not in the reference`);
    for (const key of Object.keys(expected.object)) {
      if (key in actual.object)
        problems.push(...differences(expected.object[key]!, actual.object[key]!, `${at}.${key}`));
    }
    return problems;
  }
  return [`${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}

const itemsShape = (items: unknown): Shape => (items as unknown[]).map((item) => shapeOf(item)).reduce(merge, 'null');

describe('the client reads every fixture written from Procore’s reference', () => {
  it('when /me, companies and token info are parsed, then ids over 32 bits and every field come through', () => {
    expect(asUser(fixture('me.json'), 'GET /rest/v1.0/me')).toMatchObject({
      id: 5_012_345_678,
      login: 'pat.builder@example.com',
      name: 'Pat Builder',
    });
    expect(
      asCompanyList(fixture('companies.json'), 'GET /rest/v1.0/companies').map((company) => [
        company.id,
        company.is_active,
      ]),
    ).toEqual([
      [5_000_000_123, true],
      [5_000_000_456, false],
    ]);
    expect(asTokenInfo(fixture('token-info.json'), 'GET /oauth/token/info')).toMatchObject({
      resource_owner_id: 5_012_345_678,
      expires_in_seconds: 5341,
    });
  });

  it('when both list shapes are parsed, then the stage comes from project_stage or from the stage string, and is undefined when neither is set', () => {
    const [filled, empty] = asProjectList(fixture('projects-list-published.json'), 'GET /rest/v1.0/projects');
    expect(filled?.id).toBe(6_000_000_185_407);
    expect(summarizeProject(filled!)).toMatchObject({
      stage: 'Bidding',
      number: 'A-2',
      city: 'Carpinteria',
      active: true,
    });
    expect(summarizeProject(empty!)).toMatchObject({ stage: undefined, number: null, address: null, city: null });
    const [older] = asProjectList(fixture('projects-list-v1-string-stage.json'), 'GET /rest/v1.0/projects');
    expect(summarizeProject(older!).stage).toBe('Course of Construction');
  });

  it('when Show project is parsed, then the extra fields are typed and the empty one reads as missing everywhere', () => {
    const shown = asProject(fixture('project-show-published.json'), 'GET /rest/v1.0/projects/:id');
    const anHttpsUrl: unknown = expect.stringMatching(/^https:/);
    expect(shown).toMatchObject({
      logo_url: anHttpsUrl,
      total_value: 12_500_000.5,
      office: { name: 'Carpinteria' },
      project_type: { name: 'Commercial' },
    });
    expect(projectStageName(shown)).toBe('Bidding');
    const empty = asProject(fixture('project-show-nulls.json'), 'GET /rest/v1.0/projects/:id');
    expect(empty.name).toBe('Null Street Depot');
    expect(projectStageName(empty)).toBeUndefined();
  });
});

describe('the emulator answers in the reference’s shapes', () => {
  it('when /me, /companies and token info are asked for, then their keys and types match the fixtures', async () => {
    const { url } = await start();
    const { access_token } = await signIn(url);
    const me: unknown = await (await api(url, '/rest/v1.0/me', access_token)).json();
    expect(differences(shapeOf(fixture('me.json')), shapeOf(me))).toEqual([]);
    const companies: unknown = await (await api(url, '/rest/v1.0/companies', access_token)).json();
    expect(differences(itemsShape(fixture('companies.json')), itemsShape(companies))).toEqual([]);
    const info: unknown = await (
      await fetch(`${url}/oauth/token/info`, { headers: { Authorization: `Bearer ${access_token}` } })
    ).json();
    expect(differences(shapeOf(fixture('token-info.json')), shapeOf(info))).toEqual([]);
  });

  it('when a published-shape company lists and shows projects, then every project matches the List projects and Show project fixtures', async () => {
    const { url } = await start();
    const { access_token } = await signIn(url);
    for (const companyId of [ACME_COMPANY_ID, SUMMIT_COMPANY_ID]) {
      const list = (await (await api(url, projectsPath(companyId), access_token, companyId)).json()) as Array<{
        id: number;
      }>;
      expect(differences(itemsShape(fixture('projects-list-published.json')), itemsShape(list))).toEqual([]);
      const shown = await Promise.all(
        list
          .slice(0, 12)
          .map(async (item): Promise<unknown> =>
            (await api(url, `/rest/v1.0/projects/${item.id}?company_id=${companyId}`, access_token, companyId)).json(),
          ),
      );
      const reference = merge(
        shapeOf(fixture('project-show-published.json')),
        shapeOf(fixture('project-show-nulls.json')),
      );
      expect(differences(reference, itemsShape(shown))).toEqual([]);
    }
  });

  it('when a v1-string-stage company lists projects, then every project matches the older example', async () => {
    const { url } = await start();
    const { access_token } = await signIn(url);
    const list: unknown = await (
      await api(url, projectsPath(NORTHWIND_COMPANY_ID), access_token, NORTHWIND_COMPANY_ID)
    ).json();
    expect(differences(itemsShape(fixture('projects-list-v1-string-stage.json')), itemsShape(list))).toEqual([]);
  });

  it('when the API answers 401, 403, 404, 422 and 429, then each body matches the published error object', async () => {
    const { url, emulator } = await start();
    const { access_token } = await signIn(url);
    const sam = await signIn(url, OTHER_USER);
    const errors = fixture('error-bodies.json') as Record<string, unknown>;
    const injected = (status: number): Promise<Response> => {
      emulator.inject({ match: 'GET /rest/v1.0/me', status, retryAfterSeconds: 1 });
      return api(url, '/rest/v1.0/me', access_token);
    };
    const answers: Array<[number, Response]> = [
      [401, await api(url, '/rest/v1.0/me', 'not-a-token')],
      [403, await api(url, projectsPath(ACME_COMPANY_ID), sam.access_token, ACME_COMPANY_ID)],
      [404, await api(url, `/rest/v1.0/projects/999?company_id=${ACME_COMPANY_ID}`, access_token, ACME_COMPANY_ID)],
      [422, await injected(422)],
      [429, await injected(429)],
    ];
    for (const [status, res] of answers) {
      expect(res.status).toBe(status);
      expect(differences(shapeOf(errors[String(status)]), shapeOf(await res.json())), String(status)).toEqual([]);
    }
  });
});
