import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ProcoreClientOptions } from '../../src/procore/contracts';
import { httpSettingsFrom, procoreRequest, type ProcoreRequest } from '../../src/procore/http';
import { RateLimitPacer } from '../../src/procore/rate-limit-pacer';
import type { ProcoreCallEvent } from '../../src/procore/types';
import {
  closedPort,
  recordingSleep,
  expectProcoreError as failure,
  startFakeProcore,
  type FakeProcore,
} from './fake-procore';

const TOKEN = 'tok-http-SECRET-123';
let server: FakeProcore;

beforeAll(async () => {
  server = await startFakeProcore();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => server.reset());

function settings(overrides: Partial<ProcoreClientOptions> = {}) {
  return httpSettingsFrom({
    loginUrl: server.url,
    apiUrl: server.url,
    clientId: 'id',
    clientSecret: 'secret',
    timeoutMs: 2000,
    random: () => 0.5,
    ...overrides,
  });
}

function get(path: string, extra: Partial<ProcoreRequest> = {}): ProcoreRequest {
  return {
    kind: 'rest',
    method: 'GET',
    url: `${server.url}${path}`,
    headers: { Authorization: `Bearer ${TOKEN}`, Accept: 'application/json' },
    idempotent: true,
    secrets: [TOKEN],
    ...extra,
  };
}

describe('procoreRequest: rate limits', () => {
  it('when Procore answers 429 with Retry-After: 1, then the call really waits about a second and succeeds on the second attempt', async () => {
    server.script({ status: 429, headers: { 'Retry-After': '1' }, json: {} }, { json: { ok: true } });
    const started = performance.now();
    const response = await procoreRequest(settings(), get('/rest/v1.0/me'));
    const elapsed = performance.now() - started;
    expect(response.json).toEqual({ ok: true });
    expect(server.requests).toHaveLength(2);
    expect(elapsed).toBeGreaterThanOrEqual(900);
  });

  it('when Retry-After is longer than maxRetryDelayMs, then the call does not wait and fails rate_limited with retryAfterMs', async () => {
    const { sleep, waits } = recordingSleep();
    server.script({ status: 429, headers: { 'Retry-After': '60' }, json: {} });
    const error = await failure(procoreRequest(settings({ sleep, maxRetryDelayMs: 10_000 }), get('/rest/v1.0/me')));
    expect(error.code).toBe('rate_limited');
    expect(error.retryAfterMs).toBe(60_000);
    expect(error.status).toBe(429);
    expect(error.isTransient).toBe(true);
    expect(server.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('when a 429 has no Retry-After, then the call waits until X-Rate-Limit-Reset', async () => {
    const { sleep, waits } = recordingSleep();
    const now = 1_736_942_400_000;
    server.script(
      {
        status: 429,
        headers: {
          'X-Rate-Limit-Limit': '3600',
          'X-Rate-Limit-Remaining': '0',
          'X-Rate-Limit-Reset': String(now / 1000 + 3),
        },
        json: {},
      },
      { json: [] },
    );
    await procoreRequest(settings({ sleep, now: () => now }), get('/rest/v1.0/companies'));
    // Just past the reset: 100 ms, and half of the 200 ms jitter.
    expect(waits).toEqual([3200]);
    expect(server.requests).toHaveLength(2);
  });

  it('when 429 keeps coming back, then the retries are bounded and the error is rate_limited', async () => {
    const { sleep, waits } = recordingSleep();
    server.script({ status: 429, headers: { 'Retry-After': '2' }, json: {} });
    const error = await failure(procoreRequest(settings({ sleep, maxRetries: 2 }), get('/rest/v1.0/me')));
    expect(error.code).toBe('rate_limited');
    expect(server.requests).toHaveLength(3);
    // Retry-After 2 s, and jitter (a fifth of it at most; the source says half of that).
    expect(waits).toEqual([2200, 2200]);
  });

  it('when the last response spent the window and the reset is near, then the next request waits until just past the reset before it is sent', async () => {
    let now = 1_736_942_400_000;
    const waits: number[] = [];
    const sleep = (ms: number) => {
      waits.push(ms);
      now += ms;
      return Promise.resolve();
    };
    const s = settings({ sleep, now: () => now });
    const budget = new RateLimitPacer(s, 10_000).forToken(TOKEN);
    server.script({
      json: {},
      headers: {
        'X-Rate-Limit-Limit': '100',
        'X-Rate-Limit-Remaining': '0',
        'X-Rate-Limit-Reset': String(now / 1000 + 2),
      },
    });
    await procoreRequest(s, get('/rest/v1.0/me', { rateLimit: budget }));
    expect(waits).toEqual([]);
    expect(budget.current()).toEqual({ limit: 100, remaining: 0, resetAt: now + 2000 });
    await procoreRequest(s, get('/rest/v1.0/me', { rateLimit: budget }));
    expect(waits).toEqual([2200]);
    expect(server.requests).toHaveLength(2);
  });

  it('when the spent window resets later than the cap, then the call fails rate_limited at once without asking Procore', async () => {
    const { sleep, waits } = recordingSleep();
    const now = 1_736_942_400_000;
    const s = settings({ sleep, now: () => now });
    const budget = new RateLimitPacer(s, 10_000).forToken(TOKEN);
    server.script({
      json: {},
      headers: {
        'X-Rate-Limit-Limit': '100',
        'X-Rate-Limit-Remaining': '0',
        'X-Rate-Limit-Reset': String(now / 1000 + 3600),
      },
    });
    await procoreRequest(s, get('/rest/v1.0/me', { rateLimit: budget }));
    const error = await failure(procoreRequest(s, get('/rest/v1.0/me', { rateLimit: budget })));
    expect(error.code).toBe('rate_limited');
    expect(error.retryAfterMs).toBe(3_600_000);
    expect(waits).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });
});

describe('procoreRequest: server errors and retries', () => {
  it('when Procore answers 503 once, then the call is retried after a backoff and succeeds', async () => {
    const { sleep, waits } = recordingSleep();
    server.script({ status: 503, json: {} }, { json: { id: 1 } });
    const response = await procoreRequest(settings({ sleep }), get('/rest/v1.0/me'));
    expect(response.json).toEqual({ id: 1 });
    expect(server.requests).toHaveLength(2);
    expect(waits).toEqual([100]); // full jitter: 0.5 * 200 ms
  });

  it('when a 503 carries Retry-After as an HTTP date, then the call waits until that date (plus jitter)', async () => {
    const { sleep, waits } = recordingSleep();
    const now = Date.UTC(2025, 0, 15, 12, 0, 0);
    server.script({ status: 503, headers: { 'Retry-After': 'Wed, 15 Jan 2025 12:00:04 GMT' }, json: {} }, { json: {} });
    await procoreRequest(settings({ sleep, now: () => now }), get('/rest/v1.0/me'));
    expect(waits).toEqual([4400]);
  });

  it('when Procore answers 500 twice then 200, then the third attempt succeeds with growing backoff', async () => {
    const { sleep, waits } = recordingSleep();
    server.script({ status: 500, json: {} }, { status: 502, body: '<html>bad gateway</html>' }, { json: { id: 2 } });
    const response = await procoreRequest(settings({ sleep }), get('/rest/v1.0/me'));
    expect(response.json).toEqual({ id: 2 });
    expect(server.requests).toHaveLength(3);
    expect(waits).toEqual([100, 200]);
  });

  it('when Procore keeps answering 500, then exactly maxRetries + 1 attempts are made and the error is unavailable', async () => {
    const { sleep } = recordingSleep();
    server.script({ status: 500, json: { errors: 'oops' } });
    const error = await failure(procoreRequest(settings({ sleep, maxRetries: 3 }), get('/rest/v1.0/me')));
    expect(error.code).toBe('unavailable');
    expect(error.status).toBe(500);
    expect(error.description).toBe('oops');
    expect(server.requests).toHaveLength(4);
  });

  it('when maxRetries is 0, then a 500 is not retried', async () => {
    server.script({ status: 500, json: {} });
    const error = await failure(procoreRequest(settings({ maxRetries: 0 }), get('/rest/v1.0/me')));
    expect(error.code).toBe('unavailable');
    expect(server.requests).toHaveLength(1);
  });

  it('when the request is not idempotent, then a 503 is not retried', async () => {
    server.script({ status: 503, json: {} });
    const error = await failure(
      procoreRequest(settings(), get('/oauth/token', { method: 'POST', idempotent: false, body: 'x=1' })),
    );
    expect(error.code).toBe('unavailable');
    expect(server.requests).toHaveLength(1);
  });
});

describe('procoreRequest: timeouts and network errors', () => {
  it('when the server never answers, then the call fails with timeout soon after timeoutMs', async () => {
    server.script({ hang: true });
    const started = performance.now();
    const error = await failure(procoreRequest(settings({ timeoutMs: 300, maxRetries: 0 }), get('/rest/v1.0/me')));
    const elapsed = performance.now() - started;
    expect(error.code).toBe('timeout');
    expect(error.isTransient).toBe(true);
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(300 + 5000);
    expect(server.requests).toHaveLength(1);
  });

  it('when a GET times out once, then it is retried and the second attempt succeeds', async () => {
    const { sleep } = recordingSleep();
    server.script({ hang: true }, { json: { id: 3 } });
    const response = await procoreRequest(settings({ sleep, timeoutMs: 300 }), get('/rest/v1.0/me'));
    expect(response.json).toEqual({ id: 3 });
    expect(server.requests).toHaveLength(2);
  });

  it('when nothing listens on the port, then the call fails with network after the retries, each reported with status 0', async () => {
    const { sleep, waits } = recordingSleep();
    const events: ProcoreCallEvent[] = [];
    const port = await closedPort();
    const error = await failure(
      procoreRequest(settings({ sleep, onCall: (e) => events.push(e) }), {
        ...get('/rest/v1.0/me'),
        url: `http://127.0.0.1:${port}/rest/v1.0/me`,
      }),
    );
    expect(error.code).toBe('network');
    expect(error.cause).toBeDefined();
    expect(events.map((e) => [e.status, e.attempt])).toEqual([
      [0, 1],
      [0, 2],
      [0, 3],
    ]);
    expect(waits).toHaveLength(2);
  });

  it('when the server cuts the connection, then the call fails with network', async () => {
    server.script({ destroy: true });
    const error = await failure(procoreRequest(settings({ maxRetries: 0 }), get('/rest/v1.0/me')));
    expect(error.code).toBe('network');
  });
});

describe('procoreRequest: reporting and error mapping', () => {
  it('when calls are made, then onCall gets the route with :id and never the query string or the token', async () => {
    const events: ProcoreCallEvent[] = [];
    const { sleep } = recordingSleep();
    server.script({ status: 503, json: {} }, { json: { id: 5 } });
    await procoreRequest(
      settings({ sleep, onCall: (e) => events.push(e) }),
      get(`/rest/v1.0/projects/123456789012?company_id=4000000001&code=abc`),
    );
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({
      kind: 'rest',
      method: 'GET',
      route: '/rest/v1.0/projects/:id',
      status: 503,
      attempt: 1,
    });
    expect(events[1]).toMatchObject({ route: '/rest/v1.0/projects/:id', status: 200, attempt: 2 });
    expect(events[1]?.durationMs).toBeGreaterThanOrEqual(0);
    const serialized = JSON.stringify(events);
    expect(serialized).not.toContain(TOKEN);
    expect(serialized).not.toContain('?');
    expect(serialized).not.toContain('4000000001');
  });

  it('when onCall throws, then the call still succeeds', async () => {
    server.script({ json: { id: 6 } });
    const response = await procoreRequest(
      settings({
        onCall: () => {
          throw new Error('metrics broke');
        },
      }),
      get('/rest/v1.0/me'),
    );
    expect(response.json).toEqual({ id: 6 });
  });

  it.each([
    [401, 'unauthorized'],
    [403, 'forbidden'],
    [404, 'not_found'],
    [400, 'bad_response'],
    [422, 'bad_response'],
  ] as const)('when Procore answers %i, then the error code is %s and it is not retried', async (status, code) => {
    server.script({ status, json: { errors: `no ${TOKEN}` } });
    const error = await failure(procoreRequest(settings(), get('/rest/v1.0/projects/9?company_id=1')));
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
    expect(error.endpoint).toBe('GET /rest/v1.0/projects/9');
    expect(server.requests).toHaveLength(1);
    expect(`${error.message} ${error.description ?? ''} ${JSON.stringify(error)}`).not.toContain(TOKEN);
  });

  it('when a 200 body is not JSON, then the error is bad_response', async () => {
    server.script({ body: '<html>maintenance</html>', headers: { 'content-type': 'text/html' } });
    const error = await failure(procoreRequest(settings(), get('/rest/v1.0/me')));
    expect(error.code).toBe('bad_response');
    expect(error.status).toBe(200);
  });

  it('when Procore redirects, then the redirect is not followed and the error is bad_response', async () => {
    server.script({ status: 302, headers: { Location: 'http://127.0.0.1:1/steal' } });
    const error = await failure(procoreRequest(settings(), get('/rest/v1.0/me')));
    expect(error.code).toBe('bad_response');
    expect(server.requests).toHaveLength(1);
  });
});
