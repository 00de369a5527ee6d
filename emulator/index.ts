/**
 * The built-in Procore emulator: Procore's login host (OAuth 2.0 authorization server) and REST
 * API on one base URL. See ./contracts.ts for the surface;
 * behaviour follows Procore's public developer docs (the published bodies it answers with are in
 * test/fixtures/procore/, whose README.md cites each source).
 */
import { listen } from '../src/http/listen';
import { buildApp } from './app';
import type { Emulator, EmulatorOptions, EmulatorStats, InjectedFault, RunningEmulator } from './contracts';
import type { EmulatorContext } from './context';
import { buildData } from './data';
import {
  DEFAULT_CODE_LIFETIME_SECONDS,
  DEFAULT_COMPANIES,
  DEFAULT_RATE_LIMIT,
  DEFAULT_REDIRECT_URIS,
  DEFAULT_SERVICE_ACCOUNT,
  DEFAULT_TOKEN_LIFETIME_SECONDS,
  DEFAULT_USERS,
  EMULATOR_CLIENT_ID,
  EMULATOR_CLIENT_SECRET,
} from './defaults';
import { FaultQueue } from './faults';
import { PROJECTS_PAGINATION } from './pagination';
import { emptyStats, resetStats } from './stats';
import { IssuedTokens } from './issued-tokens';

export type * from './contracts';
export {
  ACME_COMPANY_ID,
  DEFAULT_COMPANIES,
  DEFAULT_SERVICE_ACCOUNT,
  DEMO_RATE_LIMIT,
  DEMO_USER,
  EMULATOR_CLIENT_ID,
  EMULATOR_CLIENT_SECRET,
  NORTHWIND_COMPANY_ID,
  OTHER_USER,
  PINE_STREET_COMPANY_ID,
  SUMMIT_COMPANY_ID,
} from './defaults';

export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const now = options.now ?? Date.now;
  const companies = (options.companies ?? DEFAULT_COMPANIES).map((company) => ({ ...company }));
  const users = (options.users ?? DEFAULT_USERS).map((user) => ({ ...user, companyIds: [...user.companyIds] }));
  const serviceAccount = { ...(options.serviceAccount ?? DEFAULT_SERVICE_ACCOUNT) };
  const stats: EmulatorStats = emptyStats();
  const context: EmulatorContext = {
    clientId: options.clientId ?? EMULATOR_CLIENT_ID,
    clientSecret: options.clientSecret ?? EMULATOR_CLIENT_SECRET,
    redirectUris: [...(options.redirectUris ?? DEFAULT_REDIRECT_URIS)],
    users,
    serviceAccount,
    data: buildData(companies),
    issued: new IssuedTokens(
      now,
      options.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS,
      DEFAULT_CODE_LIFETIME_SECONDS,
    ),
    stats,
    now,
    latency: { tokenMs: options.tokenLatencyMs ?? 0, apiMs: options.apiLatencyMs ?? 0 },
    projectsPagination: {
      ...PROJECTS_PAGINATION,
      maxPerPage: options.projectsMaxPerPage ?? PROJECTS_PAGINATION.maxPerPage,
    },
    outage: { tokenEndpointDown: false },
  };
  const faults = new FaultQueue();
  const app = buildApp(context, faults, options.rateLimit ?? DEFAULT_RATE_LIMIT);

  return {
    handler: app,
    async listen(port = 0, host = '127.0.0.1'): Promise<RunningEmulator> {
      const running = await listen(app, port, host);
      let closing: Promise<void> | undefined;
      // No grace: tests close the emulator under open keep-alive connections.
      return { url: running.url, close: () => (closing ??= running.close(0)) };
    },
    stats,
    resetStats: () => resetStats(stats),
    inject: (fault: InjectedFault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    setTokenLifetime: (seconds: number) => {
      context.issued.tokenLifetimeSeconds = seconds;
    },
    setLatency: (latency: { tokenMs?: number; apiMs?: number }) => {
      if (latency.tokenMs !== undefined) context.latency.tokenMs = latency.tokenMs;
      if (latency.apiMs !== undefined) context.latency.apiMs = latency.apiMs;
    },
    setTokenEndpointDown: (down: boolean) => {
      context.outage.tokenEndpointDown = down;
    },
    setClientSecret: (secret: string) => {
      context.clientSecret = secret;
    },
    outages: () => ({
      tokenEndpointDown: context.outage.tokenEndpointDown,
      tokenLatencyMs: context.latency.tokenMs,
      apiLatencyMs: context.latency.apiMs,
      tokenLifetimeSeconds: context.issued.tokenLifetimeSeconds,
    }),
    expireAccessTokens: () => context.issued.expireAccessTokens(),
    revokeAll: () => context.issued.revokeAll(),
    isRefreshTokenValid: (refreshToken: string) => context.issued.isRefreshTokenValid(refreshToken),
    issuedTokens: () => context.issued.snapshot(),
    restoreIssuedTokens: (snapshot) => context.issued.restore(snapshot),
    users,
    companies,
    serviceAccount,
    clientId: context.clientId,
    get clientSecret() {
      return context.clientSecret;
    },
  };
}
