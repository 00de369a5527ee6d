import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { RefreshOutcome } from '../procore-auth';
import type { ProcoreCallEvent } from '../procore/types';

/** Seconds; from a fast Redis-only page to a slow multi-page Procore listing. */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const PROCORE_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30];

/** One app instance's Prometheus metrics, on a registry of its own (never prom-client's global one). */
export interface AppMetrics {
  readonly registry: Registry;
  readonly httpRequests: Counter<'method' | 'route' | 'status_code'>;
  readonly httpRequestDuration: Histogram<'method' | 'route' | 'status_code'>;
  readonly procoreCalls: Counter<'kind' | 'method' | 'route' | 'status_code'>;
  readonly procoreCallDuration: Histogram<'kind' | 'method' | 'route' | 'status_code'>;
  readonly tokenRefreshes: Counter<'outcome'>;
  readonly sessionsCreated: Counter;
  readonly authRateLimited: Counter;
  readonly strayCallbacks: Counter<'reason'>;
  // The callbacks are function properties, not methods: they are handed around without `this`.
  /** For the Procore clients' `onCall`. */
  onProcoreCall: (event: ProcoreCallEvent) => void;
  /** For the token refresher's outcomes. */
  onRefreshOutcome: (outcome: RefreshOutcome) => void;
  /** After a session is created by a sign-in. */
  onSignIn: () => void;
  /** A sign-in callback that answered none of the browser's pending sign-ins (kept out of the audit trail). */
  onStrayCallback: (reason: string) => void;
  /** The Prometheus text exposition of everything above. */
  render: () => Promise<string>;
}

export interface CreateMetricsOptions {
  /** Process metrics (CPU, memory, event loop lag, GC, handles); default true. */
  defaultMetrics?: boolean;
}

export function createMetrics(options: CreateMetricsOptions = {}): AppMetrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by route pattern (never the raw URL) and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers,
  });
  const httpRequestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from receiving a request to finishing its response, by route pattern and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: HTTP_BUCKETS,
    registers,
  });
  const procoreCalls = new Counter({
    name: 'procore_calls_total',
    help: 'HTTP exchanges with Procore (each attempt), by host kind, route and status code (0 = no answer).',
    labelNames: ['kind', 'method', 'route', 'status_code'] as const,
    registers,
  });
  const procoreCallDuration = new Histogram({
    name: 'procore_call_duration_seconds',
    help: 'Latency of HTTP exchanges with Procore (each attempt).',
    labelNames: ['kind', 'method', 'route', 'status_code'] as const,
    buckets: PROCORE_BUCKETS,
    registers,
  });
  const tokenRefreshes = new Counter({
    name: 'procore_token_refreshes_total',
    help: 'Access-token refreshes: refreshed, failed, waited (on another instance holding the lock), shared (joined one in flight here).',
    labelNames: ['outcome'] as const,
    registers,
  });
  const sessionsCreated = new Counter({
    name: 'sessions_created_total',
    help: 'Sessions created by a successful sign-in.',
    registers,
  });
  const authRateLimited = new Counter({
    name: 'auth_rate_limited_total',
    help: 'Requests to /auth/* refused by the per-IP rate limit.',
    registers,
  });
  const strayCallbacks = new Counter({
    name: 'sign_in_stray_callbacks_total',
    help: "Sign-in callbacks that answered none of the browser's pending sign-ins (forged or replayed links, old tabs), by refusal reason; the audit trail leaves them out.",
    labelNames: ['reason'] as const,
    registers,
  });
  // Every outcome shows up as 0 from the start, so rate() and alerts work before the first event.
  for (const outcome of ['refreshed', 'failed', 'waited', 'shared'] satisfies RefreshOutcome[])
    tokenRefreshes.inc({ outcome }, 0);

  return {
    registry,
    httpRequests,
    httpRequestDuration,
    procoreCalls,
    procoreCallDuration,
    tokenRefreshes,
    sessionsCreated,
    authRateLimited,
    strayCallbacks,
    onProcoreCall(event) {
      const labels = { kind: event.kind, method: event.method, route: event.route, status_code: String(event.status) };
      procoreCalls.inc(labels);
      procoreCallDuration.observe(labels, event.durationMs / 1000);
    },
    onRefreshOutcome(outcome) {
      tokenRefreshes.inc({ outcome });
    },
    onSignIn() {
      sessionsCreated.inc();
    },
    onStrayCallback(reason) {
      strayCallbacks.inc({ reason });
    },
    render: () => registry.metrics(),
  };
}
