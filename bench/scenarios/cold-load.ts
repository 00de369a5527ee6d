import { rowCount } from '../support/load';
import type { Scenario } from '../support/types';

const API_LATENCY_MS = 150;
const PROJECTS = 'GET /rest/v1.0/projects';

/**
 * (d) The first view of a company nobody has loaded, with every Procore call taking 150 ms (a
 * realistic Procore latency): 1,000 and 10,000 projects. The app reads page 1 (it learns the
 * total), then the other pages with 4 calls in flight, so the time is bounded by
 * (1 + ceil((pages − 1) / 4)) × 150 ms plus parsing; the calls one first view spends count against
 * Procore's rate limit budget (hourly and 10-second spike limits, per token).
 */
export const coldLoad: Scenario = {
  id: 'cold_load',
  title: `first view of an uncached company, Procore at ${API_LATENCY_MS} ms per call: 1,000 and 10,000 projects`,
  async run(context) {
    const { emulator } = context;
    const concurrency = 4;
    const measure = async (companyId: number, projects: number) => {
      const url = `${context.app.url}/projects?company_id=${companyId}`;
      const before = emulator.stats.restCalls[PROJECTS] ?? 0;
      const started = performance.now();
      let polls = 0;
      let active: number;
      for (;;) {
        const response = await fetch(url, { headers: context.headers, redirect: 'manual' });
        const body = await response.text();
        if (response.status === 200) {
          if (rowCount(body) !== 50) throw new Error(`first view of ${projects} projects: ${rowCount(body)} rows`);
          // The first rows come before the rest of the list ("… (300 of 8,500 loaded)"): the total is Procore's.
          active = Number(
            (/ of ([\d,]+) loaded\)/.exec(body) ?? /of ([\d,]+) active projects/.exec(body))?.[1]?.replace(/,/g, '') ??
              NaN,
          );
          break;
        }
        if (response.status !== 202) throw new Error(`first view of ${projects} projects: status ${response.status}`);
        polls += 1;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      const ms = performance.now() - started;
      const progress = `${context.app.url}/projects/progress?company_id=${companyId}&status=Active`;
      while (
        ((await (await fetch(progress, { headers: context.headers })).json()) as { state: string }).state !== 'done'
      )
        await new Promise((resolve) => setTimeout(resolve, 25));
      const calls = (emulator.stats.restCalls[PROJECTS] ?? 0) - before;
      const rounds = 1 + Math.ceil((calls - 1) / concurrency);
      context.log(
        `  ${projects.toLocaleString('en')} projects: first view in ${ms.toFixed(0)} ms, ${calls} calls (${rounds} rounds of ≤ ${concurrency} × ${API_LATENCY_MS} ms = ${rounds * API_LATENCY_MS} ms of waiting on Procore), ${polls} loading-page polls`,
      );
      return {
        projects,
        activeProjects: active,
        expectedCalls: Math.ceil(active / context.perPage),
        ms: Math.round(ms),
        projectListCalls: calls,
        roundTrips: rounds,
        procoreWaitMs: rounds * API_LATENCY_MS,
        loadingPagePolls: polls,
      };
    };
    emulator.setLatency({ apiMs: API_LATENCY_MS });
    let thousand;
    let tenThousand;
    try {
      thousand = await measure(context.companies.coldThousand, 1_000);
      tenThousand = await measure(context.companies.coldTenThousand, 10_000);
    } finally {
      emulator.setLatency({ apiMs: 0 });
    }
    const overhead = (run: { ms: number; procoreWaitMs: number }) => run.ms - run.procoreWaitMs;
    return {
      metrics: {
        apiLatencyMs: API_LATENCY_MS,
        perPage: context.perPage,
        pageConcurrency: concurrency,
        thousand,
        tenThousand,
        boundBy:
          'round trips: page 1 first (for the total), then the rest 4 at a time, each 150 ms; ' +
          'the rest is parsing, summarising and storing the list. Each first view spends its call count of the per-token rate limit budget.',
      },
      goals: [
        {
          name: 'first view, 1,000 projects at 150 ms per call',
          value: thousand.ms,
          target: 'reported',
          pass: true,
          unit: 'ms',
        },
        {
          name: 'first view, 10,000 projects at 150 ms per call',
          value: tenThousand.ms,
          target: 'reported',
          pass: true,
          unit: 'ms',
        },
        {
          name: '10,000 projects: time beyond the Procore round trips',
          value: overhead(tenThousand),
          target: 'reported',
          pass: true,
          unit: 'ms',
        },
        {
          name: `Procore calls for a first view of 10,000 projects (${tenThousand.activeProjects} active)`,
          value: tenThousand.projectListCalls,
          target: `= ${tenThousand.expectedCalls}`,
          pass: tenThousand.projectListCalls === tenThousand.expectedCalls,
        },
      ],
    };
  },
};
