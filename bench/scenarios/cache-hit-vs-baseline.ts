import { fetchPage, load, rowCount, type LoadOptions, type LoadSummary } from '../support/load';
import { cpuTimeMs } from '../support/processes';
import type { Scenario } from '../support/types';

/**
 * (a) An authenticated /projects page served from the cache (50 rows) against the minimal
 * baseline page built with the same stack, same connections, same run. Each side gets a short
 * warm-up, then they are measured in turn, twice (A B A B), and the runs are added up, so a
 * noisy neighbour second hurts both sides alike.
 */
export const cacheHitVsBaseline: Scenario = {
  id: 'cache_hit_vs_baseline',
  title: '/projects cache hit (50 rows) vs minimal baseline',
  async run(context) {
    const appUrl = `${context.app.url}/projects?company_id=${context.companies.acme}`;
    const baselineUrl = `${context.baseline.url}/projects`;
    const appPage = await fetchPage(appUrl, context.headers);
    const basePage = await fetchPage(baselineUrl, context.baseline.headers);
    if (appPage.status !== 200 || rowCount(appPage.body) !== 50) throw new Error(`app page: status ${appPage.status}, ${rowCount(appPage.body)} rows`);
    if (basePage.status !== 200 || rowCount(basePage.body) !== 50) throw new Error(`baseline page: status ${basePage.status}, ${rowCount(basePage.body)} rows`);

    const common = { connections: context.connections };
    context.log('  warming up both servers');
    await load({ ...common, url: appUrl, headers: context.headers, duration: 2 });
    await load({ ...common, url: baselineUrl, headers: context.baseline.headers, duration: 2 });

    const projectCallsBefore = context.emulator.stats.restCalls['GET /rest/v1.0/projects'] ?? 0;
    /** A run plus the server's own CPU time per request: steadier than throughput on a shared machine. */
    const measured = async (pid: number, options: LoadOptions): Promise<LoadSummary & { cpuMsPerRequest: number }> => {
      const before = cpuTimeMs(pid) ?? NaN;
      const summary = await load(options);
      return { ...summary, cpuMsPerRequest: ((cpuTimeMs(pid) ?? NaN) - before) / summary.requests };
    };
    const appRuns: Array<LoadSummary & { cpuMsPerRequest: number }> = [];
    const baseRuns: Array<LoadSummary & { cpuMsPerRequest: number }> = [];
    const half = context.durationSeconds / 2;
    for (let round = 0; round < 2; round += 1) {
      context.log(`  round ${round + 1}: app ${half}s`);
      appRuns.push(await measured(context.app.pid, { ...common, url: appUrl, headers: context.headers, duration: half }));
      context.log(`  round ${round + 1}: baseline ${half}s`);
      baseRuns.push(await measured(context.baseline.pid, { ...common, url: baselineUrl, headers: context.baseline.headers, duration: half }));
    }
    const projectCalls = (context.emulator.stats.restCalls['GET /rest/v1.0/projects'] ?? 0) - projectCallsBefore;
    const combine = (runs: Array<LoadSummary & { cpuMsPerRequest: number }>) => ({
      cpuMsPerRequest: runs.reduce((sum, run) => sum + run.cpuMsPerRequest, 0) / runs.length,
      requests: runs.reduce((sum, run) => sum + run.requests, 0),
      requestsPerSecond: runs.reduce((sum, run) => sum + run.requestsPerSecond, 0) / runs.length,
      p99Ms: Math.max(...runs.map((run) => run.latencyMs.p99)),
      meanMs: runs.reduce((sum, run) => sum + run.latencyMs.mean, 0) / runs.length,
      non2xx: runs.reduce((sum, run) => sum + run.non2xx, 0),
      errors: runs.reduce((sum, run) => sum + run.errors, 0),
      runs,
    });
    const app = combine(appRuns);
    const baseline = combine(baseRuns);
    if (app.non2xx + app.errors + baseline.non2xx + baseline.errors > 0) {
      throw new Error(`failed requests: app ${app.non2xx} non-2xx / ${app.errors} errors, baseline ${baseline.non2xx} / ${baseline.errors}`);
    }
    const throughputRatio = app.requestsPerSecond / baseline.requestsPerSecond;
    const p99Ratio = app.p99Ms / baseline.p99Ms;
    return {
      metrics: { connections: context.connections, secondsPerSide: context.durationSeconds, app, baseline, throughputRatio, p99Ratio, procoreProjectCalls: projectCalls, pageBytes: { app: appPage.body.length, baseline: basePage.body.length } },
      goals: [
        { name: 'throughput app/baseline', value: throughputRatio, target: '≥ 0.7', pass: throughputRatio >= 0.7 },
        { name: 'p99 latency app/baseline', value: p99Ratio, target: '≤ 2.0', pass: p99Ratio <= 2 },
        { name: 'Procore project calls during cache hits', value: projectCalls, target: '= 0', pass: projectCalls === 0 },
      ],
    };
  },
};
