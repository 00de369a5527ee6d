import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME_COMPANY_ID, DEMO_USER } from '../../emulator';
import { createMetrics } from '../../src/observability/metrics';
import { csrfTokenIn, HttpClient } from '../support/http-client';
import { freePort } from '../support/redis-server';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let metricsPort: number;

beforeAll(async () => {
  metricsPort = await freePort();
  stack = await startStack({ env: { METRICS_PORT: String(metricsPort) } });
});

afterAll(async () => {
  await stack?.close();
});

async function scrape(): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text();
}

function value(text: string, series: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

describe('Prometheus metrics on METRICS_PORT', () => {
  it('when a person signs in, is refreshed, browses and signs out, then requests by route, Procore calls, refreshes and sessions are counted', async () => {
    const before = await scrape();
    const client = new HttpClient();
    await client.signIn(stack.app.url, DEMO_USER);
    stack.emulator.expireAccessTokens();
    const account = await client.get(`${stack.app.url}/account`);
    expect(account.status).toBe(200);
    await client.get(`${stack.app.url}/projects/17?company_id=${ACME_COMPANY_ID}`);
    await client.get(`${stack.app.url}/projects/18?company_id=${ACME_COMPANY_ID}`);
    await client.get(`${stack.app.url}/no/such/page/${Date.now()}`);
    await client.post(`${stack.app.url}/logout`, { _csrf: csrfTokenIn(account.body) });

    const after = await scrape();
    expect(value(after, 'sessions_created_total') - value(before, 'sessions_created_total')).toBe(1);
    expect(value(after, 'procore_token_refreshes_total{outcome="refreshed"}')).toBeGreaterThanOrEqual(1);
    expect(after).toContain('procore_token_refreshes_total{outcome="waited"} 0');
    expect(after).toMatch(/^http_requests_total\{method="GET",route="\/account",status_code="200"\} [1-9]/m);
    expect(after).toMatch(/^http_requests_total\{method="GET",route="\/auth\/callback",status_code="303"\} 1$/m);
    expect(after).toMatch(/^http_requests_total\{method="POST",route="\/logout",status_code="303"\} 1$/m);
    // Route patterns, not raw URLs: no ids and no unknown paths become label values.
    expect(after).not.toMatch(/route="\/projects\/1[78]"/);
    expect(after).not.toContain('/no/such/page');
    expect(after).toMatch(/^http_requests_total\{method="GET",route="\(unmatched\)",status_code="404"\} [1-9]/m);
    expect(after).toMatch(
      /^http_request_duration_seconds_bucket\{le="0\.1",method="GET",route="\/account",status_code="200"\} \d+/m,
    );
    // Procore exchanges by route and status, including the 401 that triggered the refresh.
    expect(after).toMatch(
      /^procore_calls_total\{kind="rest",method="GET",route="\/rest\/v1\.0\/me",status_code="401"\} [1-9]/m,
    );
    expect(after).toMatch(
      /^procore_calls_total\{kind="oauth",method="POST",route="\/oauth\/token",status_code="200"\} [1-9]/m,
    );
    expect(after).toMatch(
      /^procore_call_duration_seconds_count\{kind="rest",method="GET",route="\/rest\/v1\.0\/me",status_code="200"\} [1-9]/m,
    );
    // Default process metrics.
    expect(after).toMatch(/^process_cpu_seconds_total \d/m);
    expect(after).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    // No token, code or secret in the exposition.
    expect(after).not.toContain(stack.emulator.clientSecret);
  });

  it('when the public port is asked for /metrics, then it is not there', async () => {
    const response = await fetch(`${stack.app.url}/metrics`);
    expect(response.status).toBe(404);
  });

  it('when METRICS_HOST is not set, then the metrics listener binds to 127.0.0.1 only; METRICS_HOST moves it', async () => {
    expect((stack.app.running.metricsServer!.server.address() as AddressInfo).address).toBe('127.0.0.1');
    const everywhere = await stack.startAnotherApp({ METRICS_PORT: String(await freePort()), METRICS_HOST: '0.0.0.0' });
    try {
      expect((everywhere.running.metricsServer!.server.address() as AddressInfo).address).toBe('0.0.0.0');
    } finally {
      await everywhere.stop();
    }
  });

  it('when the metrics listener is asked for anything else, then 404; its /healthz answers', async () => {
    expect((await fetch(`http://127.0.0.1:${metricsPort}/`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${metricsPort}/healthz`)).status).toBe(200);
  });

  it('when several apps live in one process, then each has its own registry (no global state)', async () => {
    const first = createMetrics({ defaultMetrics: false });
    const second = createMetrics({ defaultMetrics: false });
    first.onSignIn();
    expect(await first.render()).toMatch(/^sessions_created_total 1$/m);
    expect(await second.render()).toMatch(/^sessions_created_total 0$/m);
    const another = await stack.startAnotherApp({ METRICS_PORT: '0' });
    expect(another.running.metricsServer).toBeUndefined();
    expect(another.running.metrics.registry).not.toBe(stack.app.running.metrics.registry);
  });
});
