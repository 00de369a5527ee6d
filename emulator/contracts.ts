/**
 * The built-in Procore emulator's public surface: what the app, the CLI, the demo and the tests
 * rely on. It is faithful to Procore's documented behaviour (docs/procore-api-version.md and the
 * published bodies in test/fixtures/procore/, each with its source).
 */
import type { IssuedTokensSnapshot } from './issued-tokens';

export interface EmulatorUser {
  id: number;
  login: string;
  name: string;
  password: string;
  /** Ids of the companies this user can see. */
  companyIds: number[];
}

/**
 * The user a client-credentials (DMSA) token acts as. Added to the contract: Procore's
 * service accounts are users of their own, installed in some or all companies.
 */
export interface EmulatorServiceAccount {
  id: number;
  login: string;
  name: string;
  /** Companies the app is installed in; every company when omitted. */
  companyIds?: number[];
}

/**
 * How a company's projects come back. `published`: Procore's published reference (a
 * `project_stage` object, `stage` null in the list and absent from Show project, logo, dates, value,
 * office, type, custom fields... mostly null). `v1-string-stage`: the older v1.0 example of Procore's
 * client-credentials guide (a `stage` string, none of the newer fields).
 */
export type ProjectShape = 'v1-string-stage' | 'published';

export interface EmulatorCompanySpec {
  id: number;
  name: string;
  projectCount: number;
  /** Default `published`. */
  projectShape?: ProjectShape;
  /**
   * The Procore zone the company lives in (`company_base_url`'s `zone`), default `US01`. Companies
   * of another zone have their web app under `/<zone in lower case>` of the emulator's URL.
   */
  zone?: string;
  /** A free company: `/companies` lists it only with `include_free_companies=true`, as Procore does. */
  free?: boolean;
}

export interface EmulatorOptions {
  clientId?: string;
  clientSecret?: string;
  /** Registered redirect URIs, matched exactly. `urn:ietf:wg:oauth:2.0:oob` is always allowed. */
  redirectUris?: string[];
  /** Access-token lifetime in seconds (Procore: 5400). */
  tokenLifetimeSeconds?: number;
  users?: EmulatorUser[];
  companies?: EmulatorCompanySpec[];
  /** The service account behind client-credentials tokens (added; defaults to a DMSA user in every company). */
  serviceAccount?: EmulatorServiceAccount;
  /** Added delay for every request to the login host's /oauth/token. */
  tokenLatencyMs?: number;
  /** Added delay for every REST request. */
  apiLatencyMs?: number;
  /** Most projects a page of the project list holds (default 300; Procore's strict v1.0 reading is 100). */
  projectsMaxPerPage?: number;
  /**
   * Procore's per-token rate limits: `limit` requests per `windowSeconds` (default 3600 an hour, as
   * Procore's default) and, when `spikeLimit` is set, `spikeLimit` per `spikeWindowSeconds` (default
   * 10 s; Procore's example shows 25). Each access token has windows of its own.
   */
  rateLimit?: { limit: number; windowSeconds: number; spikeLimit?: number; spikeWindowSeconds?: number };
  /** Clock, injectable for tests (epoch ms). */
  now?: () => number;
}

/** A failure the emulator injects into the next matching requests. */
export interface InjectedFault {
  /** Matches `METHOD /path` (path without query), e.g. /^GET \/rest\/v1\.0\/projects$/ or a plain string prefix like 'POST /oauth/token'. */
  match: RegExp | string;
  /** How many matching requests get the fault (default 1). */
  times?: number;
  /** Status to answer with (e.g. 429, 500, 503). Omit with `delayMs` to only slow the request down. */
  status?: number;
  /** Retry-After header value in seconds, sent with the status. */
  retryAfterSeconds?: number;
  /** Delay before answering (or before handling normally when `status` is omitted). */
  delayMs?: number;
  /** Destroy the socket without answering (a lost response / network error). */
  dropConnection?: boolean;
  /** With dropConnection: process the request first (e.g. rotate the refresh token), then drop the answer. */
  afterHandling?: boolean;
}

/** One request the emulator received; secrets are kept because tests assert on them. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed body fields (form, multipart or JSON). */
  body: Record<string, unknown>;
  status: number;
  at: number;
}

export interface EmulatorStats {
  /** Successful grants by type. */
  grants: { authorization_code: number; refresh_token: number; client_credentials: number };
  /** Token-endpoint requests by grant_type, successful or not. */
  tokenRequests: { authorization_code: number; refresh_token: number; client_credentials: number; other: number };
  revocations: number;
  /** REST requests by `METHOD /path` (ids kept, no query). */
  restCalls: Record<string, number>;
  requests: RecordedRequest[];
}

export interface RunningEmulator {
  /** Base URL, e.g. http://127.0.0.1:54321; serves both the login and the API paths. */
  url: string;
  close(): Promise<void>;
}

export interface Emulator {
  /** The request handler (an Express app), for mounting or `http.createServer`. */
  readonly handler: import('node:http').RequestListener;
  listen(port?: number, host?: string): Promise<RunningEmulator>;
  readonly stats: EmulatorStats;
  resetStats(): void;
  inject(fault: InjectedFault): void;
  clearFaults(): void;
  setTokenLifetime(seconds: number): void;
  setLatency(latency: { tokenMs?: number; apiMs?: number }): void;
  /** While down, POST /oauth/token answers 503 to every request (sign-in, refresh, client credentials). */
  setTokenEndpointDown(down: boolean): void;
  /** A client secret rotated in the Developer Portal: the old one gets invalid_client from now on. */
  setClientSecret(secret: string): void;
  /** The outages and settings switched on now (for the control endpoint and tests). */
  outages(): EmulatorOutages;
  /** Makes every access token issued so far expire now (refresh tokens stay valid). */
  expireAccessTokens(): void;
  /** Revokes every token issued so far (access and refresh). */
  revokeAll(): void;
  /** True when Procore would still accept this refresh token. */
  isRefreshTokenValid(refreshToken: string): boolean;
  /** The live tokens it issued, and taking them back (the demo keeps sign-ins across restarts). */
  issuedTokens(): IssuedTokensSnapshot;
  restoreIssuedTokens(snapshot: IssuedTokensSnapshot): void;
  readonly users: readonly EmulatorUser[];
  readonly companies: readonly EmulatorCompanySpec[];
  /** The service account behind client-credentials tokens (added). */
  readonly serviceAccount?: EmulatorServiceAccount;
  readonly clientId: string;
  /** The secret accepted now (setClientSecret changes it). */
  readonly clientSecret: string;
}

/** What `Emulator.outages()` reports. */
export interface EmulatorOutages {
  tokenEndpointDown: boolean;
  tokenLatencyMs: number;
  apiLatencyMs: number;
  tokenLifetimeSeconds: number;
}
