import { describe, expect, it } from 'vitest';
import { createEmulator, EMULATOR_CLIENT_ID } from '../../emulator';
import { rateLimitSettingsFrom, RATE_LIMIT_MESSAGE } from '../../emulator/rate-limit';
import { api, clientFields, refresh, serviceToken, signIn, start, tokenRequest, type TokenBody } from './helpers';

describe('rate limit', () => {
  it("when a token's hourly budget is spent, then 429 with Retry-After and Procore's message is answered until the window resets", async () => {
    let clock = Date.UTC(2025, 4, 1, 12);
    const { url } = await start({ now: () => clock, rateLimit: { limit: 3, windowSeconds: 60 } });
    const { access_token } = await serviceToken(url);
    expect((await api(url, '/rest/v1.0/me', access_token, 5_000_000_001)).headers.get('x-rate-limit-remaining')).toBe(
      '2',
    ); // 1st request of the token's window
    const second = await api(url, '/rest/v1.0/companies', access_token, 5_000_000_001);
    expect(second.status).toBe(200);
    expect(second.headers.get('x-rate-limit-limit')).toBe('3');
    expect(second.headers.get('x-rate-limit-remaining')).toBe('1');
    expect(second.headers.get('x-rate-limit-reset')).toBe(String(Math.ceil((clock + 60_000) / 1000)));
    expect(
      (await api(url, '/rest/v1.0/companies', access_token, 5_000_000_001)).headers.get('x-rate-limit-remaining'),
    ).toBe('0');

    clock += 20_000;
    const limited = await api(url, '/rest/v1.0/companies', access_token, 5_000_000_001);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('40');
    expect(limited.headers.get('x-rate-limit-remaining')).toBe('0');
    expect(await limited.json()).toEqual({
      code: 429,
      error: 'Too Many Requests',
      message: 'You have surpassed the max number of requests for an hour. Please wait until your limit resets.',
      reason: 'rate_limit_exceeded',
    });

    clock += 40_000;
    const after = await api(url, '/rest/v1.0/companies', access_token, 5_000_000_001);
    expect(after.status).toBe(200);
    expect(after.headers.get('x-rate-limit-remaining')).toBe('2');
  });

  it("when one token's spike window is spent, then that token gets 429 until the 10 s window resets while another token's calls go on", async () => {
    let clock = Date.UTC(2025, 4, 1, 12);
    const { url } = await start({
      now: () => clock,
      rateLimit: { limit: 3600, windowSeconds: 3600, spikeLimit: 3, spikeWindowSeconds: 10 },
    });
    const spender = (await serviceToken(url)).access_token;
    const other = (await signIn(url)).access_token;
    clock += 10_000; // the sign-ins' own window (counted per address) has passed
    const first = await api(url, '/rest/v1.0/me', spender, 5_000_000_001);
    // The spike window is closer to running out than the hourly one: the headers describe it.
    expect([
      first.headers.get('x-rate-limit-limit'),
      first.headers.get('x-rate-limit-remaining'),
      first.headers.get('x-rate-limit-reset'),
    ]).toEqual(['3', '2', String(Math.ceil((clock + 10_000) / 1000))]);
    expect((await api(url, '/rest/v1.0/me', spender, 5_000_000_001)).status).toBe(200);
    expect((await api(url, '/rest/v1.0/me', spender, 5_000_000_001)).status).toBe(200);
    clock += 3_000;
    const refused = await api(url, '/rest/v1.0/me', spender, 5_000_000_001);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('7');
    expect(((await refused.json()) as { message: string }).message).toBe(RATE_LIMIT_MESSAGE);
    const theirs = await api(url, '/rest/v1.0/me', other);
    expect(theirs.status).toBe(200);
    expect(theirs.headers.get('x-rate-limit-remaining')).toBe('2');
    clock += 7_000;
    expect((await api(url, '/rest/v1.0/me', spender, 5_000_000_001)).status).toBe(200);
  });

  it('when flags and environment variables name the limits, then the flags win, the rest keeps its default and every bad value is reported', () => {
    const defaults = { limit: 3600, windowSeconds: 3600, spikeLimit: 50, spikeWindowSeconds: 10 };
    expect(
      rateLimitSettingsFrom(
        ['--spike-limit', '25', '--rate-limit-window=60'],
        { EMULATOR_SPIKE_LIMIT: '40', EMULATOR_RATE_LIMIT: '100' },
        defaults,
      ),
    ).toEqual({
      ok: true,
      settings: { limit: 100, windowSeconds: 60, spikeLimit: 25, spikeWindowSeconds: 10 },
    });
    expect(rateLimitSettingsFrom(['--spike-window', '0'], { EMULATOR_RATE_LIMIT: 'lots' }, defaults)).toEqual({
      ok: false,
      errors: [
        'EMULATOR_RATE_LIMIT must be a whole number of at least 1, got "lots"',
        '--spike-window must be a whole number of at least 1, got "0"',
      ],
    });
  });

  it('when any OAuth or HTML endpoint answers, then it carries the X-Rate-Limit headers too', async () => {
    const { url } = await start();
    for (const res of [
      await tokenRequest(url, { grant_type: 'client_credentials', ...clientFields }),
      await fetch(`${url}/oauth/authorize?response_type=code&client_id=x&redirect_uri=y`),
      await fetch(`${url}/missing`),
    ]) {
      expect(res.headers.get('x-rate-limit-limit')).toBe('3600');
      expect(Number(res.headers.get('x-rate-limit-remaining'))).toBeLessThan(3600);
      expect(Number(res.headers.get('x-rate-limit-reset'))).toBeGreaterThan(Date.now() / 1000);
    }
  });
});

describe('injected faults', () => {
  it('when a 429 with Retry-After is injected once, then only the next matching request gets it', async () => {
    const { url, emulator } = await start();
    const { access_token } = await signIn(url);
    emulator.inject({ match: 'GET /rest/v1.0/me', status: 429, retryAfterSeconds: 7 });
    const other = await api(url, '/rest/v1.0/companies', access_token);
    expect(other.status).toBe(200);
    const limited = await api(url, '/rest/v1.0/me', access_token);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect((await api(url, '/rest/v1.0/me', access_token)).status).toBe(200);
  });

  it('when a 500 is injected twice with a RegExp, then two matching requests fail and the third succeeds', async () => {
    const { url, emulator } = await start();
    const { access_token } = await signIn(url);
    emulator.inject({ match: /^GET \/rest\/v1\.0\/projects$/, status: 500, times: 2 });
    const path = '/rest/v1.0/projects?company_id=5000000001';
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await api(url, path, access_token, 5_000_000_001)).status);
    expect(statuses).toEqual([500, 500, 200]);
    expect(emulator.stats.restCalls['GET /rest/v1.0/projects']).toBe(3);
  });

  it('when a 503 is injected on the token endpoint, then it answers an OAuth-style error with Retry-After', async () => {
    const { url, emulator } = await start();
    emulator.inject({ match: 'POST /oauth/token', status: 503, retryAfterSeconds: 2 });
    const res = await tokenRequest(url, { grant_type: 'client_credentials', ...clientFields });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(await res.json()).toMatchObject({ error: 'temporarily_unavailable' });
    expect(emulator.stats.grants.client_credentials).toBe(0);
  });

  it('when a delay is injected without a status, then the request is answered normally but late', async () => {
    const { url, emulator } = await start();
    const { access_token } = await signIn(url);
    emulator.inject({ match: 'GET /rest/v1.0/me', delayMs: 250 });
    const started = performance.now();
    const res = await api(url, '/rest/v1.0/me', access_token);
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(240);
  });

  it('when a connection drop is injected before handling, then fetch fails and the refresh token is still valid', async () => {
    const { url, emulator } = await start();
    const tokens = await signIn(url);
    emulator.inject({ match: 'POST /oauth/token', dropConnection: true });
    await expect(refresh(url, tokens.refresh_token ?? '')).rejects.toThrow();
    expect(emulator.isRefreshTokenValid(tokens.refresh_token ?? '')).toBe(true);
    expect(emulator.stats.requests.at(-1)).toMatchObject({ method: 'POST', path: '/oauth/token', status: 0 });
    expect((await refresh(url, tokens.refresh_token ?? '')).status).toBe(200);
  });

  it('when a connection drop is injected after handling, then the refresh token is rotated although the answer is lost, and reusing it gets invalid_grant', async () => {
    const { url, emulator } = await start();
    const tokens = await signIn(url);
    emulator.inject({ match: 'POST /oauth/token', dropConnection: true, afterHandling: true });
    await expect(refresh(url, tokens.refresh_token ?? '')).rejects.toThrow();
    expect(emulator.stats.grants.refresh_token).toBe(1);
    expect(emulator.isRefreshTokenValid(tokens.refresh_token ?? '')).toBe(false);
    expect(emulator.stats.requests.at(-1)).toMatchObject({
      path: '/oauth/token',
      status: 0,
      body: { grant_type: 'refresh_token' },
    });
    const retry = await refresh(url, tokens.refresh_token ?? '');
    expect(retry.status).toBe(400);
    expect(await retry.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('when faults are cleared, then pending faults no longer fire', async () => {
    const { url, emulator } = await start();
    emulator.inject({ match: 'POST /oauth/token', status: 500, times: 5 });
    emulator.clearFaults();
    expect((await tokenRequest(url, { grant_type: 'client_credentials', ...clientFields })).status).toBe(200);
  });
});

describe('latency', () => {
  it('when API and token latency are set, then those requests are slowed down and others are not', async () => {
    const { url, emulator } = await start({ tokenLatencyMs: 200 });
    let started = performance.now();
    const tokens = (await (
      await tokenRequest(url, { grant_type: 'client_credentials', ...clientFields })
    ).json()) as TokenBody;
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);

    emulator.setLatency({ tokenMs: 0, apiMs: 200 });
    started = performance.now();
    expect((await api(url, '/rest/v1.0/me', tokens.access_token, 5_000_000_001)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);

    started = performance.now();
    await tokenRequest(url, { grant_type: 'client_credentials', ...clientFields });
    expect(performance.now() - started).toBeLessThan(150);
  });
});

describe('stats and lifecycle', () => {
  it('when requests are made, then each is recorded with method, path, query, headers, body and status, and resetStats clears them', async () => {
    const { url, emulator } = await start();
    const held = emulator.stats;
    await tokenRequest(url, { grant_type: 'client_credentials', ...clientFields });
    await fetch(`${url}/rest/v1.0/projects?company_id=5000000001&page=2`, {
      headers: { Authorization: 'Bearer nope' },
    });
    const [token, projects] = emulator.stats.requests;
    expect(token).toMatchObject({
      method: 'POST',
      path: '/oauth/token',
      status: 200,
      body: { grant_type: 'client_credentials', client_id: EMULATOR_CLIENT_ID },
    });
    expect(projects).toMatchObject({
      method: 'GET',
      path: '/rest/v1.0/projects',
      query: { company_id: '5000000001', page: '2' },
      status: 401,
    });
    expect(projects?.headers.authorization).toBe('Bearer nope');
    expect(projects?.at).toEqual(expect.any(Number));
    expect(emulator.stats.restCalls).toEqual({ 'GET /rest/v1.0/projects': 1 });
    expect(emulator.stats.tokenRequests.client_credentials).toBe(1);

    emulator.resetStats();
    expect(held.requests).toEqual([]);
    expect(held.restCalls).toEqual({});
    expect(held.grants).toEqual({ authorization_code: 0, refresh_token: 0, client_credentials: 0 });
    expect(held.tokenRequests).toEqual({ authorization_code: 0, refresh_token: 0, client_credentials: 0, other: 0 });
    expect(held.revocations).toBe(0);
  });

  it('when the server is closed while a keep-alive connection is open, then close resolves promptly and the port stops answering', async () => {
    const emulator = createEmulator();
    const server = await emulator.listen();
    expect((await fetch(`${server.url}/missing`, { headers: { Connection: 'keep-alive' } })).status).toBe(404);
    const started = performance.now();
    await server.close();
    expect(performance.now() - started).toBeLessThan(1000);
    await expect(fetch(`${server.url}/missing`)).rejects.toThrow();
  });
});
