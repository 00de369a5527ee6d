import autocannon from 'autocannon';

export interface LoadSummary {
  requests: number;
  requestsPerSecond: number;
  non2xx: number;
  errors: number;
  latencyMs: { mean: number; p50: number; p90: number; p99: number; max: number };
}

export interface LoadOptions {
  url: string;
  headers: Record<string, string>;
  connections: number;
  /** Seconds; or `amount` requests. */
  duration?: number;
  amount?: number;
  /** Paths the connections cycle through (instead of the url's own path). */
  paths?: string[];
}

/** One autocannon run, summarised. */
export async function load(options: LoadOptions): Promise<LoadSummary> {
  const result = await autocannon({
    url: options.url,
    headers: options.headers,
    connections: options.connections,
    ...(options.amount !== undefined ? { amount: options.amount } : { duration: options.duration ?? 10 }),
    ...(options.paths ? { requests: options.paths.map((path) => ({ method: 'GET' as const, path })) } : {}),
  });
  return {
    requests: result.requests.total,
    requestsPerSecond: result.requests.average,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    latencyMs: {
      mean: result.latency.mean,
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
    },
  };
}

/** Fetches a page with the given headers, following the app's "loading" page (202 + Refresh) until it is ready. */
export async function fetchPage(
  url: string,
  headers: Record<string, string>,
  maxWaitMs = 120_000,
): Promise<{ status: number; body: string; polls: number }> {
  const deadline = Date.now() + maxWaitMs;
  for (let polls = 0; ; polls += 1) {
    const response = await fetch(url, { headers, redirect: 'manual' });
    const body = await response.text();
    if (response.status !== 202 || Date.now() > deadline) return { status: response.status, body, polls };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export function rowCount(html: string): number {
  return (html.match(/<td data-label="Name">/g) ?? []).length;
}
