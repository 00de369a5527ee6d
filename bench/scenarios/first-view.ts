import { Redis } from 'ioredis';
import { createEmulator, DEMO_USER } from '../../emulator';
import { rowCount } from '../support/load';
import type { Scenario } from '../support/types';

const API_LATENCY_MS = 150;
/** Procore's strict reading of v1.0's per_page (no maximum published): 100 a page. */
const PER_PAGE = 100;
/** A realistic spike window (Procore's own example shows 25 per 10 s). */
const SPIKE = { limit: 3600, windowSeconds: 3600, spikeLimit: 50, spikeWindowSeconds: 10 };
const THOUSAND = 5_000_041_000;
const TEN_THOUSAND = 5_000_050_000;
const FIRST_ROWS_GOAL_MS = 600;
const CACHED_LIST_GOAL_BYTES = 256 * 1024;

/**
 * (f) A big company's first view as a person meets it: signed in a moment ago, Procore answering in
 * 150 ms a call, 100 projects a page and 50 calls per token per 10 s. Time to the first rows (the
 * dashboard's first answer with rows) and to the whole list (its progress says done), Procore's
 * refusals (429) on the way, and the Redis bytes of each stored list, session and pending sign-in.
 */
export const firstView: Scenario = {
  id: 'first_view',
  title: `first view under a 50-per-10-s spike limit, Procore at ${API_LATENCY_MS} ms a call and ${PER_PAGE} a page: 1,000 and 10,000 projects`,
  async run(context) {
    const companies = [
      { id: THOUSAND, name: 'Firstview Thousand', projectCount: 1_000 },
      { id: TEN_THOUSAND, name: 'Firstview Ten Thousand', projectCount: 10_000 },
    ];
    const port = await context.freePort();
    const emulator = createEmulator({
      companies,
      users: [{ ...DEMO_USER, companyIds: companies.map((company) => company.id) }],
      rateLimit: SPIKE,
      apiLatencyMs: API_LATENCY_MS,
      projectsMaxPerPage: PER_PAGE,
      redirectUris: [`https://127.0.0.1:${port}/auth/callback`],
    });
    const procore = await emulator.listen(0);
    const app = await context.startApp({ port, procoreUrl: procore.url, keyPrefix: 'bench:firstview:' });
    const redis = new Redis(context.redisUrl);
    try {
      const measure = async (companyId: number, projects: number, status: 'Active' | 'All') => {
        const page = `${app.url}/projects?company_id=${companyId}&status=${status}`;
        const started = performance.now();
        const response = await fetch(page, { headers: app.headers, redirect: 'manual' });
        const body = await response.text();
        const firstRowsMs = performance.now() - started;
        if (response.status !== 200 || rowCount(body) !== 50)
          throw new Error(`first view of ${projects} projects: status ${response.status}, ${rowCount(body)} rows`);
        for (;;) {
          const progress = (await (
            await fetch(`${app.url}/projects/progress?company_id=${companyId}&status=${status}`, {
              headers: app.headers,
            })
          ).json()) as { state: string };
          if (progress.state === 'done') break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        const wholeListMs = performance.now() - started;
        const key = `bench:firstview:catalog:projects:${DEMO_USER.id}:${companyId}:${status}`;
        const redisBytes = Number(await redis.memory('USAGE', key));
        const storedBytes = await redis.strlen(key);
        context.log(
          `  ${projects.toLocaleString('en')} projects (${status}): first rows in ${firstRowsMs.toFixed(0)} ms, whole list in ${wholeListMs.toFixed(0)} ms; ${(storedBytes / 1024).toFixed(0)} KiB stored (${(redisBytes / 1024).toFixed(0)} KiB in Redis)`,
        );
        return {
          projects,
          status,
          firstRowsMs: Math.round(firstRowsMs),
          wholeListMs: Math.round(wholeListMs),
          storedBytes,
          redisBytes,
        };
      };
      const thousand = await measure(THOUSAND, 1_000, 'All');
      const tenThousand = await measure(TEN_THOUSAND, 10_000, 'All');
      const refused = emulator.stats.requests.filter((request) => request.status === 429).length;
      const projectCalls = emulator.stats.restCalls['GET /rest/v1.0/projects'] ?? 0;

      // Sizing: a signed-in session and its token set; a session holding only a pending sign-in.
      const usage = async (pattern: string): Promise<number[]> =>
        Promise.all((await redis.keys(pattern)).map(async (key) => Number(await redis.memory('USAGE', key))));
      const signedInSessions = await usage('bench:firstview:sess:*');
      const tokenSets = await usage('bench:firstview:tokens:*');
      const pending = await fetch(`${app.url}/auth/procore`, {
        headers: { 'x-forwarded-proto': 'https' },
        redirect: 'manual',
      });
      const pendingCookie = pending.headers
        .getSetCookie()
        .map((line) => line.split(';')[0])
        .join('; ');
      const allSessions = await usage('bench:firstview:sess:*');
      const pendingSession =
        Math.max(...allSessions) === Math.max(...signedInSessions)
          ? Math.min(...allSessions)
          : Math.max(...allSessions);
      const sizing = {
        signedInSessionBytes: Math.max(...signedInSessions),
        tokenSetBytes: Math.max(...tokenSets),
        pendingSignInSessionBytes: pendingSession,
        pendingCookieSet: pendingCookie !== '',
      };
      context.log(
        `  Redis: signed-in session ${sizing.signedInSessionBytes} B + token set ${sizing.tokenSetBytes} B; a pending sign-in ${sizing.pendingSignInSessionBytes} B`,
      );

      return {
        metrics: {
          apiLatencyMs: API_LATENCY_MS,
          perPage: PER_PAGE,
          rateLimit: SPIKE,
          thousand,
          tenThousand,
          projectListCalls: projectCalls,
          refused429: refused,
          sizing,
        },
        goals: [
          {
            name: 'first rows, 1,000 projects',
            value: thousand.firstRowsMs,
            target: `≤ ${FIRST_ROWS_GOAL_MS}`,
            pass: thousand.firstRowsMs <= FIRST_ROWS_GOAL_MS,
            unit: 'ms',
          },
          {
            name: 'first rows, 10,000 projects',
            value: tenThousand.firstRowsMs,
            target: `≤ ${FIRST_ROWS_GOAL_MS}`,
            pass: tenThousand.firstRowsMs <= FIRST_ROWS_GOAL_MS,
            unit: 'ms',
          },
          {
            name: 'whole list, 1,000 projects',
            value: thousand.wholeListMs,
            target: 'reported',
            pass: true,
            unit: 'ms',
          },
          {
            name: 'whole list, 10,000 projects',
            value: tenThousand.wholeListMs,
            target: 'reported',
            pass: true,
            unit: 'ms',
          },
          { name: 'Procore calls refused (429) under 50 per 10 s', value: refused, target: '= 0', pass: refused === 0 },
          {
            name: 'cached list of 10,000 projects in Redis',
            value: tenThousand.redisBytes / 1024,
            target: '≤ 256',
            pass: tenThousand.redisBytes <= CACHED_LIST_GOAL_BYTES,
            unit: 'KiB',
          },
          {
            name: 'cached list of 1,000 projects in Redis',
            value: thousand.redisBytes / 1024,
            target: 'reported',
            pass: true,
            unit: 'KiB',
          },
        ],
      };
    } finally {
      redis.disconnect();
      await app.stop();
      await procore.close();
    }
  },
};
