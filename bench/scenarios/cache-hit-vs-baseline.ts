import { fetchPage, rowCount } from '../support/load';
import { cpuTimeMs } from '../support/processes';
import type { Goal, Scenario } from '../support/types';
import { wrk, type WrkSummary } from '../support/wrk';

interface Side {
  id: 'production' | 'npmStart' | 'baseline';
  label: string;
  url: string;
  pid: number;
  headers: Record<string, string>;
}

type Run = WrkSummary & { cpuMsPerRequest: number };

export interface SideFigures {
  requests: number;
  requestsPerSecond: number;
  /** Server process CPU time (user + system) over the measured runs, divided by the requests served. */
  cpuMsPerRequest: number;
  /** Medians over the rounds. */
  p50Ms: number;
  p99Ms: number;
  /** The worst round. */
  worstP99Ms: number;
  runs: Run[];
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

function combine(runs: Run[]): SideFigures {
  const requests = runs.reduce((sum, run) => sum + run.requests, 0);
  const seconds = runs.reduce((sum, run) => sum + run.seconds, 0);
  const cpu = runs.reduce((sum, run) => sum + run.cpuMsPerRequest * run.requests, 0);
  return {
    requests,
    requestsPerSecond: requests / seconds,
    cpuMsPerRequest: cpu / requests,
    p50Ms: median(runs.map((run) => run.latencyMs.p50)),
    p99Ms: median(runs.map((run) => run.latencyMs.p99)),
    worstP99Ms: Math.max(...runs.map((run) => run.latencyMs.p99)),
    runs,
  };
}

/**
 * (a) The signed-in /projects page served from the cache (the first 50 rows of the 10,000-project
 * company; large_company, run first, loaded it, else the first fetch here does), by the compiled app in
 * production and as plain `npm start`, against the minimal express-session page, under wrk (its
 * own process). The three sides are measured in alternating rounds (A B C A B C …) so a noisy
 * neighbour hurts them alike; CPU per request is the server process's own CPU time, the steadiest
 * figure on a shared machine.
 */
export const cacheHitVsBaseline: Scenario = {
  id: 'cache_hit_vs_baseline',
  title:
    '/projects cache hit (50 rows of 10,000 projects): production and npm start vs the minimal express-session page',
  async run(context) {
    const path = `/projects?company_id=${context.companies.tenThousand}`;
    const sides: Side[] = [
      {
        id: 'production',
        label: 'app, NODE_ENV=production',
        url: `${context.app.url}${path}`,
        pid: context.app.pid,
        headers: context.headers,
      },
      {
        id: 'npmStart',
        label: 'app, npm start (no NODE_ENV)',
        url: `${context.plainApp.url}${path}`,
        pid: context.plainApp.pid,
        headers: context.headers,
      },
      {
        id: 'baseline',
        label: 'minimal page',
        url: `${context.baseline.url}/projects`,
        pid: context.baseline.pid,
        headers: context.baseline.headers,
      },
    ];
    const pageBytes: Record<string, number> = {};
    for (const side of sides) {
      const page = await fetchPage(side.url, side.headers);
      if (page.status !== 200 || rowCount(page.body) !== 50)
        throw new Error(`${side.label}: status ${page.status}, ${rowCount(page.body)} rows`);
      pageBytes[side.id] = page.body.length;
    }

    const options = { connections: context.connections };
    context.log(`  warming up (wrk, ${context.connections} connections)`);
    for (const side of sides) await wrk({ ...options, url: side.url, headers: side.headers, seconds: 3 });

    const projectCallsBefore = context.emulator.stats.restCalls['GET /rest/v1.0/projects'] ?? 0;
    const runs = new Map<Side['id'], Run[]>(sides.map((side) => [side.id, []]));
    const seconds = Math.max(1, Math.round(context.durationSeconds / context.rounds));
    for (let round = 1; round <= context.rounds; round += 1) {
      // Rotate who goes first, so no side always follows the same neighbour.
      const order = sides.map((_, index) => sides[(index + round - 1) % sides.length]!);
      for (const side of order) {
        const before = cpuTimeMs(side.pid) ?? NaN;
        const summary = await wrk({ ...options, url: side.url, headers: side.headers, seconds });
        const run = { ...summary, cpuMsPerRequest: ((cpuTimeMs(side.pid) ?? NaN) - before) / summary.requests };
        runs.get(side.id)!.push(run);
        context.log(
          `  round ${round}: ${side.label.padEnd(30)} ${run.requestsPerSecond.toFixed(0).padStart(6)} req/s  ${run.cpuMsPerRequest.toFixed(3)} ms CPU/req  p50 ${run.latencyMs.p50.toFixed(2)} ms  p99 ${run.latencyMs.p99.toFixed(2)} ms`,
        );
      }
    }
    const projectCalls = (context.emulator.stats.restCalls['GET /rest/v1.0/projects'] ?? 0) - projectCallsBefore;
    const figures = Object.fromEntries(sides.map((side) => [side.id, combine(runs.get(side.id)!)])) as Record<
      Side['id'],
      SideFigures
    >;
    const failed = Object.entries(figures).filter(([, side]) => side.runs.some((run) => run.non2xx + run.errors > 0));
    if (failed.length > 0) throw new Error(`failed requests on: ${failed.map(([id]) => id).join(', ')}`);

    const { production, npmStart, baseline } = figures;
    const ratio = (side: SideFigures): number => side.requestsPerSecond / baseline.requestsPerSecond;
    const goals: Goal[] = [
      {
        name: 'throughput production/baseline',
        value: ratio(production),
        target: '≥ 1.0',
        pass: ratio(production) >= 1,
      },
      { name: 'throughput npm start/baseline', value: ratio(npmStart), target: '≥ 0.9', pass: ratio(npmStart) >= 0.9 },
      {
        name: 'p99 production/baseline (median of rounds)',
        value: production.p99Ms / baseline.p99Ms,
        target: '≤ 1.0',
        pass: production.p99Ms <= baseline.p99Ms,
      },
      {
        name: 'CPU per request production/baseline',
        value: production.cpuMsPerRequest / baseline.cpuMsPerRequest,
        target: '≤ 1.0',
        pass: production.cpuMsPerRequest <= baseline.cpuMsPerRequest,
      },
      { name: 'Procore project calls during cache hits', value: projectCalls, target: '= 0', pass: projectCalls === 0 },
    ];
    return {
      metrics: {
        load: `wrk, ${context.connections} connections, 2 threads, ${context.rounds} rounds × ${seconds}s per side`,
        production,
        npmStart,
        baseline,
        throughputRatio: { production: ratio(production), npmStart: ratio(npmStart) },
        procoreProjectCalls: projectCalls,
        pageBytes,
      },
      goals,
    };
  },
};
