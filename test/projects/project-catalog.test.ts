import { brotliDecompressSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ProcoreApiClient } from '../../src/procore/contracts';
import { ProcoreError } from '../../src/procore/errors';
import type { ProcoreCompany, ProcoreProject, ProjectListQuery } from '../../src/procore/types';
import { RedisLock } from '../../src/procore-auth';
import { ProjectCatalog, type WithAccessToken } from '../../src/projects/project-catalog';
import type { CacheHit, CacheRead } from '../../src/projects/list-cache';
import type { ProjectIndex } from '../../src/projects/query';
import { useTestRedis } from '../support/test-redis';

const testRedis = useTestRedis();

function fakeProject(id: number, active = true): ProcoreProject {
  return {
    id,
    name: `Project ${id}`,
    display_name: `P-${id} - Project ${id}`,
    project_number: `P-${id}`,
    address: '1 Main St',
    city: 'Austin',
    state_code: 'TX',
    country_code: 'US',
    zip: '78701',
    county: 'Travis County',
    latitude: 30.1,
    longitude: -97.7,
    stage: 'Bidding',
    phone: null,
    created_at: '2020-01-01T00:00:00Z',
    updated_at: '2020-01-02T00:00:00Z',
    active,
    origin_id: null,
    origin_data: null,
    company: { id: 1, name: 'Co' },
  };
}

/** A stand-in for the Procore client that counts calls and can be told to fail or stall. */
class FakeApi {
  calls: Array<{ companyId: number; status: ProjectListQuery['status'] }> = [];
  companyCalls = 0;
  /** Company ids asked about with company_base_url, in order. */
  zoneCalls: number[] = [];
  /** Companies whose company_base_url fails. */
  zoneFailsFor = new Set<number>();
  companies: ProcoreCompany[] = [{ id: 1, name: 'Co', is_active: true }];
  failWith: Error | undefined;
  gate: Promise<void> | undefined;
  projects = [fakeProject(1), fakeProject(2), fakeProject(3, false)];

  readonly client = {
    companies: (): Promise<ProcoreCompany[]> => {
      this.companyCalls += 1;
      if (this.failWith) return Promise.reject(this.failWith);
      return Promise.resolve(this.companies.map((company) => ({ ...company })));
    },
    companyBaseUrl: ({ companyId }: { companyId: number }) => {
      this.zoneCalls.push(companyId);
      if (this.zoneFailsFor.has(companyId))
        return Promise.reject(new ProcoreError('unavailable', 'Procore answered 503'));
      return Promise.resolve({ zone: 'US02', web_base_url: `https://us02.procore.test/${companyId}` });
    },
    allProjects: async (auth: { companyId: number }, query: ProjectListQuery = {}): Promise<ProcoreProject[]> => {
      this.calls.push({ companyId: auth.companyId, status: query.status });
      await this.gate;
      if (this.failWith) throw this.failWith;
      return this.projects.filter(
        (p) => query.status === 'All' || (query.status === 'Inactive' ? !p.active : p.active),
      );
    },
  } as unknown as ProcoreApiClient;
}

const withToken: WithAccessToken = (operation) => operation('token');

function setup(options: { cacheSeconds?: number; now?: () => number } = {}) {
  // Each catalog its own keys (the file's prefix, deleted afterwards, plus a random part).
  const keyPrefix = `${testRedis.prefix}${randomBytes(6).toString('hex')}:`;
  const api = new FakeApi();
  const catalog = new ProjectCatalog({
    redis: testRedis.redis,
    api: api.client,
    keyPrefix,
    lock: new RedisLock(testRedis.redis, { now: options.now }),
    cacheSeconds: options.cacheSeconds ?? 60,
    now: options.now,
  });
  return { api, catalog, keyPrefix };
}

function value(read: CacheRead<ProjectIndex>): CacheHit<ProjectIndex> {
  if (read.kind !== 'value') throw new Error('expected a value');
  return read;
}

describe('the project catalog', () => {
  it('when a list is read twice within the TTL, then Procore is asked once and the second read comes from the cache', async () => {
    const { api, catalog } = setup();
    const first = value(await catalog.projects(7, 1, 'Active', withToken));
    const second = value(await catalog.projects(7, 1, 'Active', withToken));
    expect(api.calls).toHaveLength(1);
    expect(second.value.items.map((p) => p.id)).toEqual([1, 2]);
    expect(second.fetchedAt).toBe(first.fetchedAt);
  });

  it('when another instance reads the list, then it decodes the Redis copy without asking Procore', async () => {
    const { api, catalog, keyPrefix } = setup();
    await catalog.projects(7, 1, 'Active', withToken);
    const other = new ProjectCatalog({
      redis: testRedis.redis,
      api: api.client,
      keyPrefix,
      lock: new RedisLock(testRedis.redis),
      cacheSeconds: 60,
    });
    const read = value(await other.projects(7, 1, 'Active', withToken));
    expect(api.calls).toHaveLength(1);
    expect(read.value.items.map((p) => p.name)).toEqual(['Project 1', 'Project 2']);
  });

  it('when lists differ by user, company or status, then each has its own cache entry', async () => {
    const { api, catalog } = setup();
    await catalog.projects(7, 1, 'Active', withToken);
    await catalog.projects(8, 1, 'Active', withToken);
    await catalog.projects(7, 2, 'Active', withToken);
    const inactive = value(await catalog.projects(7, 1, 'Inactive', withToken));
    expect(api.calls).toEqual([
      { companyId: 1, status: 'Active' },
      { companyId: 1, status: 'Active' },
      { companyId: 2, status: 'Active' },
      { companyId: 1, status: 'Inactive' },
    ]);
    expect(inactive.value.items.map((p) => p.id)).toEqual([3]);
  });

  it('when many requests miss the cache at once, then one set of Procore calls serves them all', async () => {
    const { api, catalog } = setup();
    let open!: () => void;
    api.gate = new Promise((resolve) => (open = resolve));
    const reads = Array.from({ length: 10 }, () => catalog.projects(7, 1, 'All', withToken));
    await new Promise((resolve) => setImmediate(resolve));
    open();
    const results = (await Promise.all(reads)).map(value);
    expect(api.calls).toHaveLength(1);
    expect(new Set(results.map((read) => read.fetchedAt)).size).toBe(1);
  });

  it('when refresh is asked for, then the cache is bypassed and the new copy replaces the old one', async () => {
    let clock = 1_000_000;
    const { api, catalog } = setup({ now: () => clock });
    await catalog.projects(7, 1, 'Active', withToken);
    clock += 5_000;
    api.projects = [...api.projects, fakeProject(4)];
    const refreshed = value(await catalog.projects(7, 1, 'Active', withToken, { refresh: true }));
    expect(api.calls).toHaveLength(2);
    expect(refreshed.fetchedAt).toBe(clock);
    expect(value(await catalog.projects(7, 1, 'Active', withToken)).value.size).toBe(3);
  });

  it('when the fresh copy has expired and Procore fails, then the older copy is served marked stale', async () => {
    let clock = Date.now();
    const { api, catalog, keyPrefix } = setup({ now: () => clock });
    const original = value(await catalog.projects(7, 1, 'Active', withToken));
    // The marker expired in Redis, and this instance's last check of it is over a second old.
    await testRedis.redis.del(`${keyPrefix}catalog:projects:7:1:Active:fresh`);
    clock += 1_500;
    api.failWith = new ProcoreError('unavailable', 'Procore answered 503');
    const read = value(await catalog.projects(7, 1, 'Active', withToken));
    expect(api.calls).toHaveLength(2);
    expect(read).toMatchObject({ stale: true, fetchedAt: original.fetchedAt });
    expect(read.value.size).toBe(2);
  });

  it('when another instance refreshed the list, then this one picks up the new copy after at most a second', async () => {
    let clock = Date.now();
    const { api, catalog, keyPrefix } = setup({ now: () => clock });
    const other = new ProjectCatalog({
      redis: testRedis.redis,
      api: api.client,
      keyPrefix,
      lock: new RedisLock(testRedis.redis, { now: () => clock }),
      cacheSeconds: 60,
      now: () => clock,
    });
    const first = value(await catalog.projects(7, 1, 'Active', withToken));
    clock += 100;
    api.projects = [...api.projects, fakeProject(4)];
    await other.projects(7, 1, 'Active', withToken, { refresh: true });
    const soon = value(await catalog.projects(7, 1, 'Active', withToken));
    // Its own memory copy, confirmed fresh less than a second ago.
    expect(soon).toMatchObject({ fetchedAt: first.fetchedAt });
    expect(soon.value.size).toBe(2);
    clock += 1_000;
    const later = value(await catalog.projects(7, 1, 'Active', withToken));
    expect(later.fetchedAt).toBe(first.fetchedAt + 100);
    expect(later.value.size).toBe(3);
    expect(api.calls).toHaveLength(2);
  });

  it('when Procore fails and nothing was ever cached, then the error is passed on', async () => {
    const { api, catalog } = setup();
    api.failWith = new ProcoreError('timeout', 'no answer');
    await expect(catalog.projects(7, 1, 'Active', withToken)).rejects.toMatchObject({ code: 'timeout' });
  });

  it('when Procore refuses access, then an older copy is not shown: the refusal is passed on', async () => {
    const { api, catalog } = setup();
    await catalog.projects(7, 1, 'Active', withToken);
    api.failWith = new ProcoreError('forbidden', 'no access', { status: 403 });
    await expect(catalog.projects(7, 1, 'Active', withToken, { refresh: true })).rejects.toMatchObject({
      code: 'forbidden',
    });
  });

  it('when a refresh is asked for in the millisecond the current copy was read, then it still asks Procore', async () => {
    const clock = Date.now();
    const { api, catalog } = setup({ now: () => clock });
    await catalog.projects(7, 1, 'Active', withToken);
    api.failWith = new ProcoreError('forbidden', 'no access', { status: 403 });
    await expect(catalog.projects(7, 1, 'Active', withToken, { refresh: true })).rejects.toMatchObject({
      code: 'forbidden',
    });
    api.failWith = undefined;
    expect(value(await catalog.projects(7, 1, 'Active', withToken, { refresh: true })).value.size).toBe(2);
    expect(api.calls).toHaveLength(3);
  });

  it('when a refresh waits for a load another instance began before it, then it asks Procore itself afterwards', async () => {
    const clock = Date.now();
    const { api, catalog, keyPrefix } = setup({ now: () => clock });
    const other = new ProjectCatalog({
      redis: testRedis.redis,
      api: api.client,
      keyPrefix,
      lock: new RedisLock(testRedis.redis, { now: () => clock }),
      cacheSeconds: 60,
      now: () => clock,
    });
    let open!: () => void;
    api.gate = new Promise((resolve) => (open = resolve));
    const first = catalog.projects(7, 1, 'Active', withToken);
    while (api.calls.length === 0) await new Promise((resolve) => setImmediate(resolve));
    const refreshed = other.projects(7, 1, 'Active', withToken, { refresh: true });
    open();
    expect(value(await first).value.size).toBe(2);
    expect(value(await refreshed).value.size).toBe(2);
    expect(api.calls).toHaveLength(2);
  });

  it('when a refresh is asked for while a load in this instance is running, then it does not take that load but asks Procore after it', async () => {
    const { api, catalog } = setup();
    let open!: () => void;
    api.gate = new Promise((resolve) => (open = resolve));
    const first = catalog.projects(7, 1, 'Active', withToken);
    while (api.calls.length === 0) await new Promise((resolve) => setImmediate(resolve));
    const refreshed = catalog.projects(7, 1, 'Active', withToken, { refresh: true });
    const joined = catalog.projects(7, 1, 'Active', withToken);
    open();
    expect(value(await first).value.size).toBe(2);
    expect(value(await refreshed).value.size).toBe(2);
    expect(value(await joined).fetchedAt).toBe(value(await refreshed).fetchedAt);
    expect(api.calls).toHaveLength(2);
  });

  it('when a load outlasts the wait, then the reader hears "pending" and a later read gets the list without a second load', async () => {
    const { api, catalog } = setup();
    let open!: () => void;
    api.gate = new Promise((resolve) => (open = resolve));
    const first = await catalog.projects(7, 1, 'Active', withToken, { waitMs: 20 });
    expect(first.kind).toBe('pending');
    const joined = catalog.projects(7, 1, 'Active', withToken, { waitMs: 5_000 });
    open();
    expect(value(await joined).value.size).toBe(2);
    expect(api.calls).toHaveLength(1);
  });

  it('when a load nobody waits for any more fails, then the next reader gets that failure once, and the one after tries again', async () => {
    const { api, catalog } = setup();
    let open!: () => void;
    api.gate = new Promise((resolve) => (open = resolve));
    api.failWith = new ProcoreError('unavailable', 'down');
    expect((await catalog.projects(7, 1, 'Active', withToken, { waitMs: 10 })).kind).toBe('pending');
    open();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await expect(catalog.projects(7, 1, 'Active', withToken)).rejects.toMatchObject({ code: 'unavailable' });
    api.failWith = undefined;
    expect(value(await catalog.projects(7, 1, 'Active', withToken)).value.size).toBe(2);
    expect(api.calls).toHaveLength(2);
  });

  it('when stored, then the fresh marker lives PROJECTS_CACHE_SECONDS and the list itself longer, holding only list fields', async () => {
    const { catalog, keyPrefix } = setup({ cacheSeconds: 45 });
    await catalog.projects(7, 1, 'Active', withToken);
    const key = `${keyPrefix}catalog:projects:7:1:Active`;
    const markerTtl = await testRedis.redis.ttl(`${key}:fresh`);
    expect(markerTtl).toBeGreaterThan(40);
    expect(markerTtl).toBeLessThanOrEqual(45);
    expect(await testRedis.redis.ttl(key)).toBeGreaterThan(3_600);
    const stored = (await testRedis.redis.getBuffer(key))!;
    expect(brotliDecompressSync(stored.subarray(stored.indexOf(0x0a) + 1)).toString('utf8')).toBe(
      '[[1,"Project 1","P-1","1 Main St","Austin","TX","Bidding",1],[2,"Project 2","P-2","1 Main St","Austin","TX","Bidding",1]]',
    );
  });

  it('when the cache TTL is 0, then every read asks Procore, but a copy is still kept for failures', async () => {
    const { api, catalog } = setup({ cacheSeconds: 0 });
    await catalog.projects(7, 1, 'Active', withToken);
    await catalog.projects(7, 1, 'Active', withToken);
    expect(api.calls).toHaveLength(2);
    api.failWith = new ProcoreError('network', 'reset');
    expect(value(await catalog.projects(7, 1, 'Active', withToken)).stale).toBe(true);
  });

  it('when companies are read, then they are cached per user too', async () => {
    const { api, catalog } = setup();
    await catalog.companies(7, withToken);
    const again = await catalog.companies(7, withToken);
    expect(api.companyCalls).toBe(1);
    expect(again.value).toEqual([{ id: 1, name: 'Co', active: true, webUrl: 'https://us02.procore.test/1' }]);
    await catalog.companies(8, withToken);
    expect(api.companyCalls).toBe(2);
  });

  it("when companies are reloaded, then each company's zone is asked once and kept with the list; one Procore could not tell is asked again", async () => {
    const { api, catalog } = setup();
    api.companies = [1, 2, 3].map((id) => ({ id, name: `Co ${id}`, is_active: true }));
    api.zoneFailsFor.add(2);
    const first = await catalog.companies(7, withToken);
    expect(first.value.map((company) => company.webUrl)).toEqual([
      'https://us02.procore.test/1',
      undefined,
      'https://us02.procore.test/3',
    ]);
    expect(api.zoneCalls.sort()).toEqual([1, 2, 3]);

    api.zoneFailsFor.clear();
    api.zoneCalls = [];
    const reloaded = await catalog.companies(7, withToken, { refresh: true });
    expect(api.zoneCalls).toEqual([2]);
    expect(reloaded.value.map((company) => company.webUrl)).toEqual([
      'https://us02.procore.test/1',
      'https://us02.procore.test/2',
      'https://us02.procore.test/3',
    ]);
  });
});
