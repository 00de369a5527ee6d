/**
 * `npm run bench`: builds dist/ (`npm run build`), then runs the compiled app twice — NODE_ENV=production
 * and as plain `npm start` with no NODE_ENV — (child processes, as if behind a TLS proxy), the
 * Procore emulator, a redis-server of its own and a minimal baseline page; wrk (the headline) and
 * autocannon drive the scenarios in bench/scenarios. Writes bench/results.json and prints a table
 * of goals. BENCH_ONLY=id,id runs some scenarios; BENCH_SECONDS, BENCH_ROUNDS, BENCH_CONNECTIONS
 * change the load; BENCH_APP_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles the app.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { createEmulator, DEFAULT_COMPANIES, DEMO_USER, OTHER_USER } from '../emulator';
import { PROJECTS_MAX_PER_PAGE } from '../src/procore/contracts';
import { freePort, startOwnedRedis } from '../test/support/redis-server';
import { SCENARIOS } from './scenarios';
import { buildDist, startChild, watchRss, type ChildServer } from './support/processes';
import { signInBehindProxy } from './support/sign-in';
import type { Goal, ScenarioResult } from './support/types';

const HUNDRED = 5_000_000_100;
const TEN_THOUSAND = 5_000_010_000;
const COLD_THOUSAND = 5_000_021_000;
const COLD_TEN_THOUSAND = 5_000_030_000;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const MAX_PEAK_RSS_MIB = 150;

/** The Node flags `npm start` runs the app with (package.json), so both app instances run as it does. */
function startNodeArgs(): string[] {
  const start = (
    JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { scripts: { start: string } }
  ).scripts.start.split(/\s+/);
  if (start[0] !== 'node' || start.at(-1) !== 'dist/main.js')
    throw new Error(`npm start is not "node [flags] dist/main.js": ${start.join(' ')}`);
  return start.slice(1, -1);
}

function log(message: string): void {
  process.stdout.write(`${message}\n`);
}

function formatValue(goal: Goal): string {
  return Number.isInteger(goal.value) ? String(goal.value) : goal.value.toFixed(2);
}

async function main(): Promise<void> {
  const began = Date.now();
  log(
    `bench: ${os.cpus().length} CPUs, Node ${process.version}, ${CONNECTIONS} connections, ${DURATION_SECONDS}s per side in ${ROUNDS} rounds`,
  );
  if (process.env.BENCH_SKIP_BUILD === '1') log('using dist/ as it is (BENCH_SKIP_BUILD=1)');
  else {
    log('building dist/ (npm run build)');
    await buildDist();
  }
  const redisServer = await startOwnedRedis();
  const [appPort, plainPort, baselinePort] = [await freePort(), await freePort(), await freePort()];
  const appUrl = `https://127.0.0.1:${appPort}`;
  const companies = [
    ...DEFAULT_COMPANIES,
    { id: HUNDRED, name: 'Hundred Homes', projectCount: 100 },
    { id: TEN_THOUSAND, name: 'Tenfold Infrastructure', projectCount: 10_000 },
    { id: COLD_THOUSAND, name: 'Coldwater Thousand', projectCount: 1_000 },
    { id: COLD_TEN_THOUSAND, name: 'Coldwater Ten Thousand', projectCount: 10_000 },
  ];
  const emulator = createEmulator({
    companies,
    users: [{ ...DEMO_USER, companyIds: companies.map((company) => company.id) }, OTHER_USER],
    redirectUris: [`${appUrl}/auth/callback`],
    rateLimit: { limit: 100_000, windowSeconds: 3600 },
  });
  const procore = await emulator.listen(0);
  const sharedEnv = {
    NODE_ENV: 'production',
    REDIS_URL: redisServer.url,
    SESSION_SECRET: randomBytes(48).toString('base64'),
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    APP_URL: appUrl,
    TRUST_PROXY: 'loopback',
  };
  const children: ChildServer[] = [];
  let rss: ReturnType<typeof watchRss> | undefined;
  let plainRss: ReturnType<typeof watchRss> | undefined;
  let baselineRss: ReturnType<typeof watchRss> | undefined;
  try {
    const appEnv = {
      ...sharedEnv,
      REDIS_KEY_PREFIX: 'bench:app:',
      PROCORE_LOGIN_URL: procore.url,
      PROCORE_API_URL: procore.url,
      PROCORE_CLIENT_ID: emulator.clientId,
      PROCORE_CLIENT_SECRET: emulator.clientSecret,
      PROJECTS_CACHE_SECONDS: '600',
      METRICS_PORT: '0',
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
      // npm start's flags; e.g. BENCH_APP_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' adds a profile.
      BENCH_NODE_ARGS: [...startNodeArgs(), ...(process.env.BENCH_APP_NODE_ARGS ?? '').split(' ')]
        .filter(Boolean)
        .join(' '),
    };
    const app = await startChild('dist/main.js', { ...appEnv, PORT: String(appPort) }, appPort);
    children.push(app);
    rss = watchRss(app.pid);
    // The same Redis and key prefix: a second instance, as `npm start` runs it (no NODE_ENV).
    const plainApp = await startChild(
      'dist/main.js',
      { ...appEnv, NODE_ENV: undefined, PORT: String(plainPort) },
      plainPort,
    );
    children.push(plainApp);
    plainRss = watchRss(plainApp.pid);
    const baseline = await startChild(
      'bench/support/baseline-server.ts',
      { ...sharedEnv, PORT: String(baselinePort), REDIS_KEY_PREFIX: 'bench:baseline:' },
      baselinePort,
    );
    children.push(baseline);
    baselineRss = watchRss(baseline.pid);

    const proxy = { 'x-forwarded-proto': 'https' };
    const cookie = await signInBehindProxy(`http://127.0.0.1:${appPort}`, {
      email: DEMO_USER.login,
      password: DEMO_USER.password,
    });
    const login = await fetch(`${baseline.url}/login`, { headers: proxy });
    const baselineCookie = login.headers
      .getSetCookie()
      .map((line) => line.split(';')[0])
      .join('; ');

    const results: Record<string, ScenarioResult> = {};
    const only = process.env.BENCH_ONLY?.split(',');
    for (const scenario of SCENARIOS.filter((candidate) => !only || only.includes(candidate.id))) {
      log(`\n▶ ${scenario.title}`);
      results[scenario.id] = await scenario.run({
        app: { url: app.url, pid: app.pid },
        plainApp: { url: plainApp.url, pid: plainApp.pid },
        headers: { ...proxy, cookie },
        baseline: { url: baseline.url, pid: baseline.pid, headers: { ...proxy, cookie: baselineCookie } },
        emulator,
        companies: {
          acme: DEFAULT_COMPANIES[0]!.id,
          hundred: HUNDRED,
          tenThousand: TEN_THOUSAND,
          coldThousand: COLD_THOUSAND,
          coldTenThousand: COLD_TEN_THOUSAND,
        },
        perPage: PROJECTS_MAX_PER_PAGE,
        durationSeconds: DURATION_SECONDS,
        rounds: ROUNDS,
        connections: CONNECTIONS,
        log,
        redisUrl: redisServer.url,
        freePort,
        async startApp({ port, procoreUrl, keyPrefix }) {
          const own = await startChild(
            'dist/main.js',
            {
              ...appEnv,
              PORT: String(port),
              APP_URL: `https://127.0.0.1:${port}`,
              PROCORE_LOGIN_URL: procoreUrl,
              PROCORE_API_URL: procoreUrl,
              REDIS_KEY_PREFIX: keyPrefix,
            },
            port,
          );
          children.push(own);
          const ownCookie = await signInBehindProxy(`http://127.0.0.1:${port}`, {
            email: DEMO_USER.login,
            password: DEMO_USER.password,
          });
          return { url: own.url, headers: { ...proxy, cookie: ownCookie }, stop: () => own.stop() };
        },
      });
    }

    const memory = rss.stop();
    rss = undefined;
    const plainMemory = plainRss.stop();
    plainRss = undefined;
    const baselineMemory = baselineRss.stop();
    baselineRss = undefined;
    const peakMb = memory.peakRssBytes / 1024 / 1024;
    results.memory = {
      metrics: {
        production: memory,
        npmStart: plainMemory,
        baseline: baselineMemory,
        measuredAs:
          'each app child process: VmRSS sampled every 200 ms plus the kernel high-water mark VmHWM (/proc/<pid>/status)',
      },
      goals: [
        {
          name: 'production app peak RSS over the whole bench',
          value: peakMb,
          target: `≤ ${MAX_PEAK_RSS_MIB}`,
          pass: peakMb <= MAX_PEAK_RSS_MIB,
          unit: 'MiB',
        },
        {
          name: 'npm start app peak RSS',
          value: plainMemory.peakRssBytes / 1024 / 1024,
          target: 'reported',
          pass: true,
          unit: 'MiB',
        },
        {
          name: 'minimal page peak RSS (under the tsx loader)',
          value: baselineMemory.peakRssBytes / 1024 / 1024,
          target: 'reported',
          pass: true,
          unit: 'MiB',
        },
      ],
    };
    const redisInfo = new Redis(redisServer.url);
    const cacheKeys = await redisInfo.keys('bench:app:catalog:projects:*');
    const largest = Math.max(
      0,
      ...(await Promise.all(cacheKeys.filter((key) => !key.endsWith(':fresh')).map((key) => redisInfo.strlen(key)))),
    );
    redisInfo.disconnect();

    const goals = Object.entries(results).flatMap(([id, result]) =>
      result.goals.map((goal) => ({ scenario: id, ...goal })),
    );
    const report = {
      date: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model,
        node: process.version,
        platform: `${os.platform()} ${os.release()}`,
      },
      settings: {
        connections: CONNECTIONS,
        secondsPerSide: DURATION_SECONDS,
        rounds: ROUNDS,
        perPage: PROJECTS_MAX_PER_PAGE,
        app: `node ${startNodeArgs().join(' ')} dist/main.js (as npm start): NODE_ENV=production, and a second instance with no NODE_ENV`,
        logLevel: 'info (to /dev/null)',
      },
      largestCachedListBytes: largest,
      durationSeconds: Math.round((Date.now() - began) / 1000),
      results,
      goals,
      pass: goals.every((goal) => goal.pass),
    };
    writeFileSync(path.join(__dirname, 'results.json'), `${JSON.stringify(report, null, 2)}\n`);

    type Side = { requestsPerSecond: number; p50Ms: number; p99Ms: number; cpuMsPerRequest: number };
    const a = results.cache_hit_vs_baseline?.metrics as
      { production: Side; npmStart: Side; baseline: Side } | undefined;
    const b = results.large_company?.metrics as
      { firstLoad: { ms: number }; firstPageRender: { tenThousandMeanMs: number; hundredMeanMs: number } } | undefined;
    log('\n| goal | value | target | result |');
    log('|---|---|---|---|');
    for (const goal of goals)
      log(
        `| ${goal.name} | ${formatValue(goal)}${goal.unit ? ` ${goal.unit}` : ''} | ${goal.target} | ${goal.pass ? 'pass' : 'FAIL'} |`,
      );
    if (a) {
      log(`\n/projects, 50 rows from the cache (wrk, ${CONNECTIONS} connections):`);
      log('| | req/s | vs minimal page | CPU per request | p50 | p99 |');
      log('|---|---|---|---|---|---|');
      const row = (label: string, s: Side): void =>
        log(
          `| ${label} | ${s.requestsPerSecond.toFixed(0)} | ${(s.requestsPerSecond / a.baseline.requestsPerSecond).toFixed(2)}× | ${s.cpuMsPerRequest.toFixed(3)} ms | ${s.p50Ms.toFixed(2)} ms | ${s.p99Ms.toFixed(2)} ms |`,
        );
      row('app, `NODE_ENV=production`', a.production);
      row('app, `npm start` (no `NODE_ENV`)', a.npmStart);
      row('minimal page', a.baseline);
      const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
      log(
        `peak RSS (VmHWM): production app ${mib(memory.peakRssBytes)}, npm start app ${mib(plainMemory.peakRssBytes)}, minimal page ${mib(baselineMemory.peakRssBytes)}`,
      );
    }
    const cold = results.cold_load?.metrics as
      | { thousand: { ms: number; projectListCalls: number }; tenThousand: { ms: number; projectListCalls: number } }
      | undefined;
    if (cold)
      log(
        `first view at 150 ms per Procore call: 1,000 projects ${cold.thousand.ms} ms (${cold.thousand.projectListCalls} calls), 10,000 projects ${cold.tenThousand.ms} ms (${cold.tenThousand.projectListCalls} calls)`,
      );
    if (b)
      log(
        `10,000 projects: first load ${b.firstLoad.ms} ms; first page ${b.firstPageRender.tenThousandMeanMs.toFixed(2)} ms vs ${b.firstPageRender.hundredMeanMs.toFixed(2)} ms for 100 (mean, 1 connection)`,
      );
    log(
      `largest cached list in Redis: ${(largest / 1024).toFixed(0)} KiB; bench took ${report.durationSeconds}s; results in bench/results.json`,
    );
    process.exitCode = report.pass ? 0 : 1;
  } finally {
    rss?.stop();
    plainRss?.stop();
    baselineRss?.stop();
    await Promise.allSettled(children.map((child) => child.stop()));
    await procore.close();
    await redisServer.destroy();
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
