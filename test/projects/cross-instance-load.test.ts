import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_COMPANIES, DEMO_USER, OTHER_USER } from '../../emulator';
import { buildData } from '../../emulator/data';
import { PROJECTS_MAX_PER_PAGE, type ProcoreApiClient } from '../../src/procore/contracts';
import type { ProcoreProject } from '../../src/procore/types';
import { RedisLock } from '../../src/procore-auth';
import { ProjectCatalog } from '../../src/projects/project-catalog';
import { HttpClient } from '../support/http-client';
import { startStack, type Stack, type TestApp } from '../support/stack';
import { useTestRedis } from '../support/test-redis';

const PROJECTS = 'GET /rest/v1.0/projects';
const BIG = 5_000_000_077;
const big = { id: BIG, name: 'Twin Towers Civil', projectCount: 2_000 };
const activeBig = buildData([...DEFAULT_COMPANIES, big])
  .projectsByCompany.get(BIG)!
  .filter((project) => project.active).length;

const testRedis = useTestRedis();
let stack: Stack;
let second: TestApp;
let cookie: string;

beforeAll(async () => {
  stack = await startStack({
    emulator: {
      companies: [...DEFAULT_COMPANIES, big],
      users: [{ ...DEMO_USER, companyIds: [...DEMO_USER.companyIds, BIG] }, OTHER_USER],
    },
  });
  second = await stack.startAnotherApp();
  const client = new HttpClient();
  await client.signIn(stack.app.url, DEMO_USER);
  cookie = [...client.cookies(stack.app.url)].map(([name, value]) => `${name}=${value}`).join('; ');
}, 60_000);

afterAll(async () => {
  await stack?.close();
});

/** Asks for the page until it is no longer the loading page (202); returns the final status. */
async function view(url: string): Promise<number> {
  for (;;) {
    const response = await fetch(url, { headers: { cookie }, redirect: 'manual' });
    await response.arrayBuffer();
    if (response.status !== 202) return response.status;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('first loads shared across instances', () => {
  it('when two instances are each asked 50 times at once for a company nobody has loaded, then Procore is asked for its projects once, page by page', async () => {
    // Each Procore call takes 150 ms, so both instances are asked while the first load is running.
    stack.emulator.setLatency({ apiMs: 150 });
    const before = stack.emulator.stats.restCalls[PROJECTS] ?? 0;
    try {
      const statuses = await Promise.all(
        [stack.app, second].flatMap((instance) =>
          Array.from({ length: 50 }, () => view(`${instance.url}/projects?company_id=${BIG}`)),
        ),
      );
      expect(statuses.filter((status) => status !== 200)).toEqual([]);
    } finally {
      stack.emulator.setLatency({ apiMs: 0 });
    }
    const calls = (stack.emulator.stats.restCalls[PROJECTS] ?? 0) - before;
    expect(calls).toBe(Math.ceil(activeBig / PROJECTS_MAX_PER_PAGE));
  }, 120_000);
});

describe('when the instance loading a list fails', () => {
  it('when the instance holding the load fails, then an instance that waited for it loads the list itself instead of failing too', async () => {
    const { redis, prefix: keyPrefix } = testRedis;
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let reached!: () => void;
    const loading = new Promise<void>((resolve) => (reached = resolve));
    const failing = {
      allProjects: async (): Promise<ProcoreProject[]> => {
        reached();
        await gate;
        throw new Error('the first instance crashed while loading');
      },
    } as unknown as ProcoreApiClient;
    let calls = 0;
    const working = {
      allProjects: (): Promise<ProcoreProject[]> => {
        calls += 1;
        return Promise.resolve([{ id: 1, name: 'Only project', active: true }]);
      },
    } as unknown as ProcoreApiClient;
    const first = new ProjectCatalog({ redis, api: failing, keyPrefix, lock: new RedisLock(redis), cacheSeconds: 60 });
    const second = new ProjectCatalog({ redis, api: working, keyPrefix, lock: new RedisLock(redis), cacheSeconds: 60 });
    const withToken = <T>(operation: (accessToken: string) => Promise<T>): Promise<T> => operation('token');

    const failed = first.projects(7, 1, 'Active', withToken).catch((error: unknown) => error);
    await loading;
    const waited = second.projects(7, 1, 'Active', withToken);
    open();
    expect(await failed).toBeInstanceOf(Error);
    const read = await waited;
    // Its own load asked the working Procore (no copy was stored by the failed one).
    expect(calls).toBe(1);
    expect(read.kind === 'value' && read.value.items.map((project) => project.name)).toEqual(['Only project']);
  }, 30_000);
});
