/** Shared helpers for the emulator tests: start on port 0, sign in, call the API with fetch. */
import { onTestFinished } from 'vitest';
import {
  createEmulator,
  DEMO_USER,
  EMULATOR_CLIENT_ID,
  EMULATOR_CLIENT_SECRET,
  type Emulator,
  type EmulatorOptions,
  type EmulatorUser,
} from '../../emulator';

export const REDIRECT_URI = 'http://localhost:3000/auth/callback';
export const OOB = 'urn:ietf:wg:oauth:2.0:oob';

export const INVALID_GRANT_DESCRIPTION =
  'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.';

export interface Started {
  emulator: Emulator;
  url: string;
}

/**
 * Starts an emulator on a free port; it is closed after the test (onTestFinished, not a
 * module-level afterEach: test files share this module, see vitest.config.ts).
 */
export async function start(options?: EmulatorOptions): Promise<Started> {
  const emulator = createEmulator(options);
  const server = await emulator.listen();
  onTestFinished(() => server.close());
  return { emulator, url: server.url };
}

export interface TokenBody {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token?: string;
  created_at: number;
}

/** Submits the login form as a browser would; never follows the redirect. */
export function submitLogin(
  url: string,
  fields: {
    email?: string;
    password?: string;
    action?: 'allow' | 'deny';
    redirectUri?: string;
    state?: string;
    clientId?: string;
  },
): Promise<Response> {
  const form = new URLSearchParams({
    response_type: 'code',
    client_id: fields.clientId ?? EMULATOR_CLIENT_ID,
    redirect_uri: fields.redirectUri ?? REDIRECT_URI,
    email: fields.email ?? DEMO_USER.login,
    password: fields.password ?? DEMO_USER.password,
    action: fields.action ?? 'allow',
  });
  if (fields.state !== undefined) form.set('state', fields.state);
  return fetch(`${url}/oauth/authorize`, { method: 'POST', body: form, redirect: 'manual' });
}

/** Signs a user in through the form and returns the authorization code from the redirect. */
export async function getCode(
  url: string,
  user: Pick<EmulatorUser, 'login' | 'password'> = DEMO_USER,
  redirectUri = REDIRECT_URI,
): Promise<string> {
  const res = await submitLogin(url, { email: user.login, password: user.password, redirectUri, state: 'test-state' });
  if (res.status !== 302) throw new Error(`sign-in answered ${res.status}`);
  const location = new URL(res.headers.get('location') ?? '', url);
  const code =
    redirectUri === OOB
      ? decodeURIComponent(location.pathname.split('/').pop() ?? '')
      : location.searchParams.get('code');
  if (!code) throw new Error(`no code in ${location.toString()}`);
  return code;
}

export function tokenRequest(url: string, fields: Record<string, string>, init: RequestInit = {}): Promise<Response> {
  return fetch(`${url}/oauth/token`, {
    method: 'POST',
    body: new URLSearchParams(fields),
    redirect: 'manual',
    ...init,
  });
}

export const clientFields = { client_id: EMULATOR_CLIENT_ID, client_secret: EMULATOR_CLIENT_SECRET };

export function exchangeCode(url: string, code: string, redirectUri = REDIRECT_URI): Promise<Response> {
  return tokenRequest(url, { grant_type: 'authorization_code', code, redirect_uri: redirectUri, ...clientFields });
}

export function refresh(url: string, refreshToken: string): Promise<Response> {
  return tokenRequest(url, { grant_type: 'refresh_token', refresh_token: refreshToken, ...clientFields });
}

/** The whole authorization-code flow for a user. */
export async function signIn(
  url: string,
  user: Pick<EmulatorUser, 'login' | 'password'> = DEMO_USER,
): Promise<TokenBody> {
  const res = await exchangeCode(url, await getCode(url, user));
  if (res.status !== 200) throw new Error(`token exchange answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as TokenBody;
}

export async function serviceToken(url: string): Promise<TokenBody> {
  const res = await tokenRequest(url, { grant_type: 'client_credentials', ...clientFields });
  return (await res.json()) as TokenBody;
}

export function api(url: string, path: string, token: string | undefined, companyId?: number): Promise<Response> {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers.Authorization = `Bearer ${token}`;
  if (companyId !== undefined) headers['Procore-Company-Id'] = String(companyId);
  return fetch(`${url}${path}`, { headers, redirect: 'manual' });
}

/** Parses an RFC 8288 Link header into rel → URL. */
export function parseLink(header: string | null): Record<string, string> {
  const links: Record<string, string> = {};
  for (const part of (header ?? '').split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="([^"]+)"/.exec(part);
    if (match?.[1] && match[2]) links[match[2]] = match[1];
  }
  return links;
}
