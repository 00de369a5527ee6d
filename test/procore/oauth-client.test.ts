import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ProcoreClientOptions } from '../../src/procore/contracts';
import { ProcoreError } from '../../src/procore/errors';
import { OUT_OF_BAND_REDIRECT_URI } from '../../src/procore/hosts';
import { createProcoreOAuthClient } from '../../src/procore/oauth-client';
import type { ProcoreCallEvent } from '../../src/procore/types';
import {
  closedPort,
  recordingSleep,
  expectProcoreError as failure,
  startFakeProcore,
  type FakeProcore,
} from './fake-procore';

const CLIENT_ID = 'client-abc';
const CLIENT_SECRET = 'shh-CLIENT-SECRET-value';
const CODE = 'auth-CODE-0123456789';
const REFRESH = 'refresh-TOKEN-9876543210';
const ACCESS = 'access-TOKEN-5555';
const NOW = 1_736_942_400_000;

let server: FakeProcore;
beforeAll(async () => {
  server = await startFakeProcore();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => server.reset());

function client(overrides: Partial<ProcoreClientOptions> = {}) {
  return createProcoreOAuthClient({
    loginUrl: server.url,
    apiUrl: 'http://api.invalid',
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    timeoutMs: 2000,
    now: () => NOW,
    ...overrides,
  });
}

function expectNoSecrets(error: ProcoreError): void {
  const text = `${error.message} ${error.description ?? ''} ${error.oauthError ?? ''} ${error.endpoint ?? ''} ${JSON.stringify(error)}`;
  for (const secret of [CLIENT_SECRET, CODE, REFRESH, ACCESS]) expect(text).not.toContain(secret);
}

const tokenBody = {
  access_token: ACCESS,
  token_type: 'bearer',
  expires_in: 5400,
  refresh_token: 'refresh-NEW',
  created_at: 1_736_942_390,
};

describe('authorizeUrl', () => {
  it('when state is given, then the URL is /oauth/authorize with response_type, client_id, redirect_uri and state, and nothing else', () => {
    const url = new URL(
      client().authorizeUrl({ redirectUri: 'https://dash.example.com/auth/callback', state: 's t&ate' }),
    );
    expect(`${url.origin}${url.pathname}`).toBe(`${server.url}/oauth/authorize`);
    expect([...url.searchParams.entries()]).toEqual([
      ['response_type', 'code'],
      ['client_id', CLIENT_ID],
      ['redirect_uri', 'https://dash.example.com/auth/callback'],
      ['state', 's t&ate'],
    ]);
  });

  it('when the out-of-band flow omits state, then there is no state parameter (and no scope or PKCE)', () => {
    const url = new URL(client().authorizeUrl({ redirectUri: OUT_OF_BAND_REDIRECT_URI }));
    expect(url.searchParams.get('redirect_uri')).toBe(OUT_OF_BAND_REDIRECT_URI);
    expect([...url.searchParams.keys()]).toEqual(['response_type', 'client_id', 'redirect_uri']);
  });
});

describe('token exchange', () => {
  it('when a code is exchanged, then Procore receives a form POST with grant_type, code, redirect_uri, client_id and client_secret', async () => {
    server.script({ json: tokenBody });
    const tokens = await client().exchangeCode(CODE, 'https://dash.example.com/auth/callback');

    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/oauth/token');
    expect([...(request?.query.keys() ?? [])]).toEqual([]);
    expect(request?.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(request?.headers.accept).toBe('application/json');
    expect(request?.headers.authorization).toBeUndefined();
    expect(Object.fromEntries(new URLSearchParams(request?.body))).toEqual({
      grant_type: 'authorization_code',
      code: CODE,
      redirect_uri: 'https://dash.example.com/auth/callback',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });
    expect(tokens).toEqual({
      accessToken: ACCESS,
      refreshToken: 'refresh-NEW',
      expiresAt: NOW + 5400 * 1000,
      issuedAt: 1_736_942_390_000,
    });
  });

  it('when a refresh token is used, then the form carries grant_type=refresh_token and the rotated token comes back', async () => {
    server.script({ json: { ...tokenBody, refresh_token: 'refresh-ROTATED', expires_in: 7200 } });
    const tokens = await client().refresh(REFRESH);
    expect(Object.fromEntries(new URLSearchParams(server.requests[0]?.body))).toEqual({
      grant_type: 'refresh_token',
      refresh_token: REFRESH,
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });
    expect(tokens.refreshToken).toBe('refresh-ROTATED');
    expect(tokens.expiresAt).toBe(NOW + 7200 * 1000);
  });

  it('when a service account asks for client credentials, then the token set has no refresh token', async () => {
    server.script({
      json: { access_token: ACCESS, token_type: 'bearer', expires_in: 5400, created_at: 1_736_942_400 },
    });
    const tokens = await client().clientCredentials();
    expect(Object.fromEntries(new URLSearchParams(server.requests[0]?.body))).toEqual({
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });
    expect(tokens).toEqual({ accessToken: ACCESS, expiresAt: NOW + 5_400_000, issuedAt: NOW });
    expect('refreshToken' in tokens).toBe(false);
  });

  it('when the token call is reported to onCall, then the event has the route and status but no code or secret', async () => {
    const events: ProcoreCallEvent[] = [];
    server.script({ json: tokenBody });
    await client({ onCall: (e) => events.push(e) }).exchangeCode(CODE, 'https://x.test/cb');
    expect(events).toEqual([
      expect.objectContaining({ kind: 'oauth', method: 'POST', route: '/oauth/token', status: 200, attempt: 1 }),
    ]);
    const serialized = JSON.stringify(events);
    for (const secret of [CODE, CLIENT_SECRET, ACCESS]) expect(serialized).not.toContain(secret);
  });
});

describe('OAuth errors', () => {
  it('when Procore answers 400 invalid_grant, then the error is invalid_grant with status, oauthError and description, and is fatal', async () => {
    server.script({
      status: 400,
      json: {
        error: 'invalid_grant',
        error_description: 'The provided authorization grant is invalid, expired, revoked…',
      },
    });
    const error = await failure(client().refresh(REFRESH));
    expect(error.code).toBe('invalid_grant');
    expect(error.status).toBe(400);
    expect(error.oauthError).toBe('invalid_grant');
    expect(error.description).toMatch(/^The provided authorization grant is invalid/);
    expect(error.endpoint).toBe('POST /oauth/token');
    expect(error.isFatal).toBe(true);
    expectNoSecrets(error);
  });

  it("when Procore answers 401 invalid_client, then the error is invalid_client, which is not fatal: the app's credentials, never the person's grant", async () => {
    server.script({
      status: 401,
      json: { error: 'invalid_client', error_description: 'Client authentication failed' },
    });
    const error = await failure(client().exchangeCode(CODE, 'https://x.test/cb'));
    expect(error.code).toBe('invalid_client');
    expect(error.oauthError).toBe('invalid_client');
    expect(error.status).toBe(401);
    expect(error.isFatal).toBe(false);
  });

  it("when Procore answers 400 unauthorized_client, then it counts as the app's credentials refused too (invalid_client)", async () => {
    server.script({
      status: 400,
      json: { error: 'unauthorized_client', error_description: 'The client is not authorized to use this grant type' },
    });
    const error = await failure(client().refresh(REFRESH));
    expect(error).toMatchObject({ code: 'invalid_client', oauthError: 'unauthorized_client', isFatal: false });
  });

  it('when Procore answers 401 with no OAuth body, then the error is still invalid_client', async () => {
    server.script({ status: 401, body: 'Unauthorized' });
    const error = await failure(client().clientCredentials());
    expect(error.code).toBe('invalid_client');
  });

  it('when Procore answers another OAuth error, then the error is oauth_error with that error name', async () => {
    server.script({ status: 400, json: { error: 'unsupported_grant_type', error_description: 'nope' } });
    const error = await failure(client().clientCredentials());
    expect(error.code).toBe('oauth_error');
    expect(error.oauthError).toBe('unsupported_grant_type');
    expect(error.description).toBe('nope');
  });

  it('when an error description echoes the refresh token or secret, then neither appears anywhere in the error', async () => {
    server.script({
      status: 400,
      json: { error: 'invalid_grant', error_description: `token ${REFRESH} for ${CLIENT_SECRET} is bad` },
    });
    const error = await failure(client().refresh(REFRESH));
    expect(error.description).toBe('token [redacted] for [redacted] is bad');
    expectNoSecrets(error);
  });

  it('when Procore answers 429 to a token call, then it fails rate_limited with retryAfterMs after one request', async () => {
    server.script({ status: 429, headers: { 'Retry-After': '1' }, json: {} });
    const error = await failure(client().refresh(REFRESH));
    expect(error.code).toBe('rate_limited');
    expect(error.retryAfterMs).toBe(1000);
    expect(server.requests).toHaveLength(1);
  });

  it('when a success body lacks access_token or has a non-numeric expires_in, then the error is bad_response', async () => {
    server.script({ json: { token_type: 'bearer', expires_in: 5400 } });
    expect((await failure(client().exchangeCode(CODE, 'https://x.test/cb'))).code).toBe('bad_response');
    server.reset();
    server.script({ json: { access_token: ACCESS, expires_in: '5400' } });
    const error = await failure(client().exchangeCode(CODE, 'https://x.test/cb'));
    expect(error.code).toBe('bad_response');
    expectNoSecrets(error);
  });

  it('when a success body is not JSON, then the error is bad_response', async () => {
    server.script({ body: '<html>login</html>', headers: { 'content-type': 'text/html' } });
    expect((await failure(client().refresh(REFRESH))).code).toBe('bad_response');
  });
});

describe('token calls are never retried', () => {
  it('when a refresh gets 500, then it fails unavailable and Procore saw exactly one request', async () => {
    const { sleep, waits } = recordingSleep();
    server.script({ status: 500, json: {} }, { json: tokenBody });
    const error = await failure(client({ sleep, maxRetries: 5 }).refresh(REFRESH));
    expect(error.code).toBe('unavailable');
    expect(error.isFatal).toBe(false);
    expect(server.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('when a refresh gets 503 with Retry-After, then it is still not retried', async () => {
    server.script({ status: 503, headers: { 'Retry-After': '0' }, json: {} }, { json: tokenBody });
    await failure(client({ maxRetries: 5 }).refresh(REFRESH));
    expect(server.requests).toHaveLength(1);
  });

  it('when the token endpoint never answers, then a refresh fails with timeout within the timeout plus a margin, after one request', async () => {
    server.script({ hang: true });
    const started = performance.now();
    const error = await failure(client({ timeoutMs: 400, maxRetries: 5 }).refresh(REFRESH));
    const elapsed = performance.now() - started;
    expect(error.code).toBe('timeout');
    expect(elapsed).toBeLessThan(400 + 5000);
    expect(server.requests).toHaveLength(1);
    expectNoSecrets(error);
  });

  it('when the login host is unreachable, then a code exchange fails with network after one attempt', async () => {
    const events: ProcoreCallEvent[] = [];
    const port = await closedPort();
    const error = await failure(
      client({ loginUrl: `http://127.0.0.1:${port}`, onCall: (e) => events.push(e) }).exchangeCode(
        CODE,
        'https://x.test/cb',
      ),
    );
    expect(error.code).toBe('network');
    expect(events).toHaveLength(1);
    expectNoSecrets(error);
  });
});

describe('revoke and token info', () => {
  it('when a token is revoked, then Procore receives a form POST to /oauth/revoke with token, client_id and client_secret', async () => {
    server.script({ status: 200, body: '' });
    await client().revoke(ACCESS);
    const [request] = server.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/oauth/revoke');
    expect(request?.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(Object.fromEntries(new URLSearchParams(request?.body))).toEqual({
      token: ACCESS,
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });
  });

  it('when revoke is refused for the client, then the error is invalid_client', async () => {
    server.script({ status: 401, json: { error: 'invalid_client' } });
    expect((await failure(client().revoke(ACCESS))).code).toBe('invalid_client');
  });

  it('when token info is asked, then it is a GET with the Bearer token and the body is parsed', async () => {
    server.script({
      json: {
        resource_owner_id: 42,
        scopes: [],
        expires_in_seconds: 5000,
        application: { uid: CLIENT_ID },
        created_at: 1_736_942_000,
      },
    });
    const info = await client().tokenInfo(ACCESS);
    expect(server.requests[0]?.method).toBe('GET');
    expect(server.requests[0]?.path).toBe('/oauth/token/info');
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${ACCESS}`);
    expect(info).toEqual({
      resource_owner_id: 42,
      scopes: [],
      expires_in_seconds: 5000,
      application: { uid: CLIENT_ID },
      created_at: 1_736_942_000,
    });
  });

  it('when token info gets a 503 first, then it is retried like any GET', async () => {
    const { sleep } = recordingSleep();
    server.script(
      { status: 503, json: {} },
      {
        json: { resource_owner_id: null, scopes: [], expires_in_seconds: 10, application: { uid: 'u' }, created_at: 1 },
      },
    );
    const info = await client({ sleep }).tokenInfo(ACCESS);
    expect(info.resource_owner_id).toBeNull();
    expect(server.requests).toHaveLength(2);
  });

  it('when token info is refused with 401, then the error is unauthorized and does not contain the token', async () => {
    server.script({ status: 401, json: { error: 'invalid_token', error_description: `bad token ${ACCESS}` } });
    const error = await failure(client().tokenInfo(ACCESS));
    expect(error.code).toBe('unauthorized');
    expect(error.oauthError).toBe('invalid_token');
    expectNoSecrets(error);
  });
});
