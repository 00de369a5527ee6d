import { fetchPage, load, rowCount } from '../support/load';
import type { Scenario } from '../support/types';

const PAGE_VIEWS = 1_000;

/**
 * (b) A company of 10,000 projects: the first load reads exactly ceil(10000 / per_page) pages
 * of /rest/v1.0/projects; 1,000 page views afterwards (paging, searching, sorting) within the TTL
 * make no Procore call; its first page renders within 1.5× the time of a 100-project company's.
 */
export const largeCompany: Scenario = {
  id: 'large_company',
  title: '10,000-project company: first load, cached page views, render time vs 100 projects',
  async run(context) {
    const { tenThousand, hundred } = context.companies;
    const projectCalls = (): number => context.emulator.stats.restCalls['GET /rest/v1.0/projects'] ?? 0;

    const before = projectCalls();
    const started = performance.now();
    const first = await fetchPage(`${context.app.url}/projects?company_id=${tenThousand}`, context.headers);
    const firstLoadMs = performance.now() - started;
    if (first.status !== 200 || rowCount(first.body) !== 50)
      throw new Error(`first load: status ${first.status}, ${rowCount(first.body)} rows`);
    // The first rows come at once, the rest while the person reads: the load counts until the list is whole.
    const progress = `${context.app.url}/projects/progress?company_id=${tenThousand}&status=Active`;
    while (((await (await fetch(progress, { headers: context.headers })).json()) as { state: string }).state !== 'done')
      await new Promise((resolve) => setTimeout(resolve, 25));
    const firstLoadCalls = projectCalls() - before;
    const total = Number(
      ((/ of ([\d,]+) loaded\)/.exec(first.body) ?? /of ([\d,]+) active projects/.exec(first.body))?.[1] ?? '').replace(
        /,/g,
        '',
      ) || NaN,
    );
    // The emulator's companies are ~85% active: the Active list is what the first page shows.
    const listed = await fetchPage(`${context.app.url}/projects?company_id=${tenThousand}&status=All`, context.headers);
    const allProgress = `${context.app.url}/projects/progress?company_id=${tenThousand}&status=All`;
    while (
      ((await (await fetch(allProgress, { headers: context.headers })).json()) as { state: string }).state !== 'done'
    )
      await new Promise((resolve) => setTimeout(resolve, 25));
    const allTotal = Number(
      ((/ of ([\d,]+) loaded\)/.exec(listed.body) ?? /of ([\d,]+) projects/.exec(listed.body))?.[1] ?? '').replace(
        /,/g,
        '',
      ) || NaN,
    );
    const activeCalls = firstLoadCalls;
    const expectedCalls = Math.ceil(total / context.perPage);
    const allCalls = projectCalls() - before - activeCalls;
    const expectedAllCalls = Math.ceil(10_000 / context.perPage);
    context.log(
      `  first load: ${activeCalls} calls for ${total} active projects in ${firstLoadMs.toFixed(0)} ms (${first.polls} loading-page polls); All: ${allCalls} calls for ${allTotal}`,
    );

    // 1,000 page views within the TTL: every page, searches, sorts and statuses.
    const paths: string[] = [];
    for (let page = 1; paths.length < 200; page += 1) paths.push(`/projects?company_id=${tenThousand}&page=${page}`);
    for (const q of ['riverside', 'school', 'oak ridge', '2021', 'phase 2'])
      paths.push(`/projects?company_id=${tenThousand}&q=${encodeURIComponent(q)}`);
    for (const sort of ['-name', 'number', '-number'])
      paths.push(`/projects?company_id=${tenThousand}&sort=${sort}&page=3`);
    paths.push(`/projects?company_id=${tenThousand}&status=All&page=100`);
    const beforeViews = projectCalls();
    const views = await load({
      url: context.app.url,
      headers: context.headers,
      connections: context.connections,
      amount: PAGE_VIEWS,
      paths,
    });
    const viewCalls = projectCalls() - beforeViews;
    if (views.non2xx + views.errors > 0) throw new Error(`page views: ${views.non2xx} non-2xx, ${views.errors} errors`);

    // Render time of the first page, 10,000 vs 100 projects: one connection, so latency is service time.
    await fetchPage(`${context.app.url}/projects?company_id=${hundred}`, context.headers);
    const measure = async (companyId: number) => {
      const url = `${context.app.url}/projects?company_id=${companyId}`;
      await load({ url, headers: context.headers, connections: 1, amount: 200 });
      return load({ url, headers: context.headers, connections: 1, amount: 1_000 });
    };
    const large = await measure(tenThousand);
    const small = await measure(hundred);
    const large2 = await measure(tenThousand);
    const small2 = await measure(hundred);
    const largeMean = (large.latencyMs.mean + large2.latencyMs.mean) / 2;
    const smallMean = (small.latencyMs.mean + small2.latencyMs.mean) / 2;
    const renderRatio = largeMean / smallMean;

    return {
      metrics: {
        perPage: context.perPage,
        activeProjects: total,
        allProjects: allTotal,
        firstLoad: {
          ms: Math.round(firstLoadMs),
          projectListCalls: activeCalls,
          expected: expectedCalls,
          loadingPagePolls: first.polls,
        },
        allStatusesLoad: { projectListCalls: allCalls, expected: expectedAllCalls },
        cachedPageViews: {
          views: views.requests,
          projectListCalls: viewCalls,
          requestsPerSecond: views.requestsPerSecond,
          p99Ms: views.latencyMs.p99,
        },
        firstPageRender: {
          tenThousandMeanMs: largeMean,
          hundredMeanMs: smallMean,
          ratio: renderRatio,
          runs: { large, small, large2, small2 },
        },
      },
      goals: [
        {
          name: `first load calls (Active, ${total} projects)`,
          value: activeCalls,
          target: `= ceil(${total}/${context.perPage}) = ${expectedCalls}`,
          pass: activeCalls === expectedCalls,
        },
        {
          name: 'first load calls (All, 10,000 projects)',
          value: allCalls,
          target: `= ceil(10000/${context.perPage}) = ${expectedAllCalls}`,
          pass: allCalls === expectedAllCalls,
        },
        {
          name: `Procore calls in ${views.requests} cached page views`,
          value: viewCalls,
          target: '= 0',
          pass: viewCalls === 0 && views.requests >= PAGE_VIEWS,
        },
        {
          name: 'first page render 10,000/100 projects',
          value: renderRatio,
          target: '≤ 1.5',
          pass: renderRatio <= 1.5,
        },
      ],
    };
  },
};
