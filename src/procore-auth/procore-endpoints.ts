import { readCappedBody, SMALL_BODY_MAX_BYTES } from '../procore/body';
import { ProcoreError, type ProcoreErrorCode } from '../procore/errors';
import { tokenSetFromResponse, type TokenSet } from '../procore/token-set';

/** One HTTP exchange with Procore, for observers (metrics): `route` never has the query; `status` 0: no answer. */
export interface ProcoreCall {
  kind: 'oauth' | 'rest';
  method: 'GET' | 'POST';
  route: string;
  status: number;
  durationMs: number;
  attempt: number;
}

/** Who signed in: the part of `GET /rest/v1.0/me` a session keeps. */
export interface ProcoreMe {
  id: number;
  login: string;
  name: string;
}

export interface ProcoreEndpointsOptions {
  loginUrl: string;
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  timeoutMs: number; // No complete answer within this time is a `timeout` ProcoreError.
  now: () => number;
  onCall?: (call: ProcoreCall) => void;
}

/** The three calls sign-in makes besides the code exchange (which passport-oauth2 does). */
export interface ProcoreEndpoints {
  /** `grant_type=refresh_token`; never retried: the refresh token dies the moment Procore sees it. */
  refresh: (refreshToken: string) => Promise<TokenSet>;
  revoke: (token: string) => Promise<void>; // `POST /oauth/revoke`: ends the grant (its access and refresh token).
  me: (accessToken: string) => Promise<ProcoreMe>; // `GET /rest/v1.0/me`.
}

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};

function field(json: unknown, name: string): unknown {
  return typeof json === 'object' && json !== null ? (json as Record<string, unknown>)[name] : undefined;
}

/** `text` shortened, with every secret (token, code, client secret) cut out. */
function scrub(text: unknown, secrets: readonly string[], max: number): string | undefined {
  if (typeof text !== 'string') return undefined;
  return secrets
    .reduce((result, secret) => (secret ? result.split(secret).join('[redacted]') : result), text)
    .slice(0, max);
}

/** Any other 4xx is `bad_response`, any 5xx `unavailable`. */
const CODES: Partial<Record<number, ProcoreErrorCode>> = {
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  429: 'rate_limited',
};

/** A non-2xx answer as a ProcoreError; on the login host an OAuth error body counts first (invalid_grant is fatal). */
export function procoreErrorFor(
  kind: ProcoreCall['kind'],
  status: number,
  body: string,
  endpoint: string,
  secrets: readonly string[],
): ProcoreError {
  const json = parseJson(body);
  const oauthError = scrub(field(json, 'error'), secrets, 100);
  const said = ['error_description', 'errors', 'message'].map((name) => field(json, name));
  const description = scrub(
    said.find((text) => typeof text === 'string'),
    secrets,
    300,
  );
  const details = { status, endpoint, oauthError, description };
  if (kind === 'oauth' && status !== 429 && status < 500 && (oauthError !== undefined || status === 401)) {
    if (oauthError === 'invalid_grant')
      return new ProcoreError('invalid_grant', `Procore rejected the grant (invalid_grant, ${status})`, details);
    if (oauthError === 'invalid_client' || oauthError === 'unauthorized_client' || status === 401)
      return new ProcoreError('invalid_client', `Procore rejected the client credentials (${status})`, details);
    return new ProcoreError('oauth_error', `Procore's token endpoint answered an OAuth error (${status})`, details);
  }
  const code = CODES[status] ?? (status >= 500 ? 'unavailable' : 'bad_response');
  return new ProcoreError(code, `Procore ${endpoint} answered ${status}`, details);
}

/** The token response's fields, checked: `expires_in` is read, never assumed. */
export function tokenSetFrom(json: unknown, receivedAt: number): TokenSet {
  const names = ['access_token', 'expires_in', 'refresh_token', 'created_at'];
  const [accessToken, expiresIn, refreshToken, createdAt] = names.map((name) => field(json, name));
  if (typeof accessToken !== 'string' || accessToken === '' || typeof expiresIn !== 'number' || !(expiresIn > 0)) {
    throw new ProcoreError('bad_response', 'Procore POST /oauth/token answered without access_token or expires_in', {
      endpoint: 'POST /oauth/token',
    });
  }
  const refresh_token = typeof refreshToken === 'string' ? refreshToken : undefined;
  const created_at = typeof createdAt === 'number' && Number.isFinite(createdAt) ? createdAt : undefined;
  return tokenSetFromResponse(
    { access_token: accessToken, token_type: 'bearer', expires_in: expiresIn, refresh_token, created_at },
    receivedAt,
  );
}

/** Procore's token, revoke and me endpoints over `fetch`, with a deadline and secret-free errors. */
export function createProcoreEndpoints(options: ProcoreEndpointsOptions): ProcoreEndpoints {
  const form = (fields: Record<string, string>): string =>
    new URLSearchParams({ ...fields, client_id: options.clientId, client_secret: options.clientSecret }).toString();

  async function call(
    kind: ProcoreCall['kind'],
    method: ProcoreCall['method'],
    url: string,
    init: { body?: string; bearer?: string; secrets: string[] },
  ): Promise<unknown> {
    const route = new URL(url).pathname;
    const endpoint = `${method} ${route}`;
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (init.body !== undefined) headers['Content-Type'] = 'application/x-www-form-urlencoded';
    if (init.bearer !== undefined) headers.Authorization = `Bearer ${init.bearer}`;
    const signal = AbortSignal.timeout(options.timeoutMs);
    const started = performance.now();
    let status = 0;
    try {
      const response = await fetch(url, { method, headers, body: init.body, signal, redirect: 'manual' });
      status = response.status;
      // The same deadline bounds the body (a server stalling mid-answer is a timeout too), and a
      // cap its size: these answers are a few hundred bytes, a huge one costs no memory.
      const text = await readCappedBody(response, SMALL_BODY_MAX_BYTES);
      if (text === undefined)
        throw new ProcoreError(
          'bad_response',
          `Procore ${endpoint} answered ${status} with more than ${SMALL_BODY_MAX_BYTES} bytes`,
          { status, endpoint },
        );
      if (status < 200 || status >= 300)
        throw procoreErrorFor(kind, status, text, endpoint, [...init.secrets, options.clientSecret]);
      return parseJson(text);
    } catch (error) {
      if (error instanceof ProcoreError) throw error;
      if (signal.aborted)
        throw new ProcoreError('timeout', `Procore ${endpoint} did not answer within ${options.timeoutMs} ms`, {
          endpoint,
          cause: error,
        });
      throw new ProcoreError('network', `Could not reach Procore for ${endpoint}`, { endpoint, cause: error });
    } finally {
      options.onCall?.({ kind, method, route, status, durationMs: performance.now() - started, attempt: 1 });
    }
  }

  return {
    async refresh(refreshToken) {
      const json = await call('oauth', 'POST', `${options.loginUrl}/oauth/token`, {
        body: form({ grant_type: 'refresh_token', refresh_token: refreshToken }),
        secrets: [refreshToken],
      });
      return tokenSetFrom(json, options.now());
    },
    async revoke(token) {
      await call('oauth', 'POST', `${options.loginUrl}/oauth/revoke`, { body: form({ token }), secrets: [token] });
    },
    async me(accessToken) {
      const json = await call('rest', 'GET', `${options.apiUrl}/rest/v1.0/me`, {
        bearer: accessToken,
        secrets: [accessToken],
      });
      const id = field(json, 'id');
      if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0)
        throw new ProcoreError('bad_response', 'Procore GET /rest/v1.0/me answered without a user id', {
          endpoint: 'GET /rest/v1.0/me',
        });
      const filled = (value: unknown): string | undefined =>
        typeof value === 'string' && value.trim() !== '' ? value : undefined;
      const login = filled(field(json, 'login')) ?? '';
      return { id, login, name: filled(field(json, 'name')) ?? (login || `Procore user ${id}`) };
    },
  };
}
