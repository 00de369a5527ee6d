import { afterEach, describe, expect, it } from 'vitest';
import {
  createEmulator,
  DEMO_USER,
  EMULATOR_CLIENT_ID,
  EMULATOR_CLIENT_SECRET,
  OTHER_USER,
  SUMMIT_COMPANY_ID,
  type Emulator,
  type EmulatorOptions,
} from '../../emulator';
import { createProcoreApiClient } from '../../src/procore/api-client';
import { createProcoreOAuthClient } from '../../src/procore/oauth-client';
import { RESET_JITTER_MS, RESET_MARGIN_MS } from '../../src/procore/rate-limit';
import { RateLimitPacer } from '../../src/procore/rate-limit-pacer';
import { getCode, REDIRECT_URI } from '../emulator/helpers';

const BIG = 5_000_090_000;
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/**
 * The emulator and the client on one injected clock that only sleeping moves: a call takes no
 * time, a pause moves the clock by exactly what it asked for.
 */
function sharedClock() {
  const clock = { now: Date.UTC(2026, 0, 5, 9), waits: [] as number[] };
  return {
    clock,
    now: () => clock.now,
    sleep: (ms: number) => {
      clock.waits.push(ms);
      clock.now += ms;
      return Promise.resolve();
    },
  };
}

async function emulatorAndClient(options: EmulatorOptions & { maxRetries?: number }) {
  const time = sharedClock();
  const emulator = createEmulator({
    ...options,
    now: time.now,
    users: [{ ...DEMO_USER, companyIds: [...DEMO_USER.companyIds, BIG] }, OTHER_USER],
  });
  const running = await emulator.listen();
  closers.push(running.close);
  const settings = {
    loginUrl: running.url,
    apiUrl: running.url,
    clientId: EMULATOR_CLIENT_ID,
    clientSecret: EMULATOR_CLIENT_SECRET,
    timeoutMs: 5_000,
    now: time.now,
    sleep: time.sleep,
    random: () => 0.5,
  };
  const api = createProcoreApiClient({ ...settings, maxRetries: options.maxRetries ?? 0 });
  const oauth = createProcoreOAuthClient(settings);
  const signIn = async (user: typeof DEMO_USER) =>
    (await oauth.exchangeCode(await getCode(running.url, user), REDIRECT_URI)).accessToken;
  return { emulator, api, signIn, time };
}

const refused = (emulator: Emulator): number =>
  emulator.stats.requests.filter((request) => request.status === 429).length;

describe("calls paced by each token's X-Rate-Limit headers", () => {
  it('when a 10,000-project company is read 100 a page, 8 at a time, under a 50-per-10-s spike limit, then Procore refuses no call and the pauses end just past each reset', async () => {
    const { emulator, api, signIn, time } = await emulatorAndClient({
      companies: [{ id: BIG, name: 'Tenfold', projectCount: 10_000 }],
      rateLimit: { limit: 3600, windowSeconds: 3600, spikeLimit: 50, spikeWindowSeconds: 10 },
    });
    const token = await signIn(DEMO_USER);
    time.clock.now += 10_000; // the sign-in's window (counted per address) is behind us
    const started = time.clock.now;
    const projects = await api.allProjects(
      { accessToken: token, companyId: BIG },
      { status: 'All' },
      { perPage: 100, concurrency: 8 },
    );
    expect(projects).toHaveLength(10_000);
    expect(new Set(projects.map((project) => project.id)).size).toBe(10_000);
    expect(refused(emulator)).toBe(0);
    expect(emulator.stats.restCalls['GET /rest/v1.0/projects']).toBe(100);
    // 100 calls at 50 per window: page 1 and 49 more, one pause until just past the reset, 50 more.
    expect(time.clock.waits).toHaveLength(1);
    expect(time.clock.now - started).toBeLessThanOrEqual(10_000 + 1_000 + RESET_MARGIN_MS + RESET_JITTER_MS);
  });

  it('when calls start together, then never more are in flight than the window has left', async () => {
    const { emulator, api, signIn, time } = await emulatorAndClient({
      rateLimit: { limit: 3600, windowSeconds: 3600, spikeLimit: 5, spikeWindowSeconds: 10 },
    });
    const token = await signIn(DEMO_USER);
    time.clock.now += 10_000;
    await api.me({ accessToken: token }); // Procore has now said how much is left: 4
    const calls = Array.from({ length: 12 }, () => api.companies({ accessToken: token }));
    await Promise.all(calls);
    expect(refused(emulator)).toBe(0);
    expect(time.clock.waits).toEqual([expect.any(Number), expect.any(Number)]);
    // 13 calls, 5 a window: the third window has 2 left.
    expect(api.rateLimitOf(token)).toMatchObject({ limit: 5, remaining: 2 });
  });

  it("when one person's spike budget is spent, then another person's calls are not delayed and /admin-style headroom is each person's own", async () => {
    const { emulator, api, signIn, time } = await emulatorAndClient({
      rateLimit: { limit: 3600, windowSeconds: 3600, spikeLimit: 3, spikeWindowSeconds: 10 },
    });
    const dana = await signIn(DEMO_USER);
    time.clock.now += 10_000;
    const sam = await signIn(OTHER_USER);
    time.clock.now += 10_000;
    for (let call = 0; call < 3; call += 1) await api.me({ accessToken: dana });
    expect(api.rateLimitOf(dana)).toMatchObject({ limit: 3, remaining: 0 });

    const companies = await api.companies({ accessToken: sam });
    expect(companies.map((company) => company.id)).toEqual([SUMMIT_COMPANY_ID]);
    expect(time.clock.waits).toEqual([]);
    expect(api.rateLimitOf(sam)).toMatchObject({ limit: 3, remaining: 2 });

    // Dana's next call waits for her own window, and is not refused.
    await api.me({ accessToken: dana });
    expect(time.clock.waits).toHaveLength(1);
    expect(refused(emulator)).toBe(0);
  });

  it('when a token has spent its hourly budget, then its next call fails rate_limited at once, without asking Procore, and says when to come back', async () => {
    const { emulator, api, signIn, time } = await emulatorAndClient({ rateLimit: { limit: 2, windowSeconds: 3600 } });
    const token = await signIn(DEMO_USER);
    await api.me({ accessToken: token });
    await api.me({ accessToken: token });
    const before = emulator.stats.requests.length;
    const error = await api.me({ accessToken: token }).then(
      () => undefined,
      (failure: unknown) => failure as { code: string; retryAfterMs: number },
    );
    expect(error).toMatchObject({ code: 'rate_limited' });
    expect(error!.retryAfterMs).toBeGreaterThan(3_500_000);
    expect(emulator.stats.requests.length).toBe(before);
    expect(time.clock.waits).toEqual([]);
  });
});

describe('RateLimitPacer', () => {
  it('when answers arrive out of order within one window, then the lowest remaining counts, and a later window replaces it', async () => {
    const time = sharedClock();
    const budget = new RateLimitPacer({ now: time.now, sleep: time.sleep, random: () => 0 }, 10_000).forToken('t');
    const resetAt = time.clock.now + 10_000;
    const first = await budget.acquire('GET /x');
    const second = await budget.acquire('GET /x');
    second.done({ limit: 50, remaining: 40, resetAt });
    first.done({ limit: 50, remaining: 41, resetAt });
    expect(budget.current()).toEqual({ limit: 50, remaining: 40, resetAt });
    const third = await budget.acquire('GET /x');
    third.done({ limit: 50, remaining: 49, resetAt: resetAt + 10_000 });
    expect(budget.current()).toEqual({ limit: 50, remaining: 49, resetAt: resetAt + 10_000 });
  });

  it('when the window is spent and nothing is in flight, then every waiting call shares one pause until just past the reset', async () => {
    const time = sharedClock();
    const pacer = new RateLimitPacer({ now: time.now, sleep: time.sleep, random: () => 0 }, 10_000);
    const budget = pacer.forToken('t');
    (await budget.acquire('GET /x')).done({ limit: 2, remaining: 0, resetAt: time.clock.now + 4_000 });
    const slots = await Promise.all([budget.acquire('GET /x'), budget.acquire('GET /x')]);
    expect(time.clock.waits).toEqual([4_000 + RESET_MARGIN_MS]);
    slots.forEach((slot) => slot.done(undefined));
    expect(pacer.stateOf('t')).toMatchObject({ remaining: 0 });
    expect(pacer.stateOf('another')).toBeUndefined();
  });
});
