import { describe, expect, it } from 'vitest';
import { DEMO_USER, EMULATOR_CLIENT_ID, EMULATOR_CLIENT_SECRET } from '../../emulator';
import {
  api,
  clientFields,
  exchangeCode,
  getCode,
  INVALID_GRANT_DESCRIPTION,
  REDIRECT_URI,
  refresh,
  serviceToken,
  signIn,
  start,
  tokenRequest,
  type TokenBody,
} from './helpers';

async function expectOAuthError(
  res: Response,
  status: number,
  error: string,
): Promise<{ error: string; error_description: string }> {
  expect(res.status).toBe(status);
  const body = (await res.json()) as { error: string; error_description: string };
  expect(body.error).toBe(error);
  expect(body.error_description).toEqual(expect.any(String));
  return body;
}

describe('authorization_code grant', () => {
  it('when a code is exchanged, then the answer has a bearer token, expires_in, a refresh token, created_at and Cache-Control: no-store', async () => {
    let clock = Date.UTC(2025, 4, 1, 12);
    const { url } = await start({ now: () => clock });
    const code = await getCode(url);
    clock += 1000;
    const res = await exchangeCode(url, code);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as TokenBody;
    const opaqueToken: unknown = expect.stringMatching(/^[A-Za-z0-9_-]{43}$/);
    expect(body).toEqual({
      access_token: opaqueToken,
      token_type: 'bearer',
      expires_in: 5400,
      refresh_token: opaqueToken,
      created_at: Math.floor(clock / 1000),
    });
    expect(body.refresh_token).not.toBe(body.access_token);
  });

  it('when a code is used twice, then the second use gets 400 invalid_grant and the tokens from the first use are revoked', async () => {
    const { url, emulator } = await start();
    const code = await getCode(url);
    const first = (await (await exchangeCode(url, code)).json()) as TokenBody;

    const again = await expectOAuthError(await exchangeCode(url, code), 400, 'invalid_grant');
    expect(again.error_description).toBe(INVALID_GRANT_DESCRIPTION);
    expect((await api(url, '/rest/v1.0/me', first.access_token)).status).toBe(401);
    expect(emulator.isRefreshTokenValid(first.refresh_token ?? '')).toBe(false);
  });

  it('when a code is exchanged just before 10 minutes have passed, then it works, and at 10 minutes it is invalid_grant', async () => {
    let clock = Date.UTC(2025, 4, 1, 12);
    const { url } = await start({ now: () => clock });
    const fresh = await getCode(url);
    const stale = await getCode(url);
    clock += 10 * 60 * 1000 - 1;
    expect((await exchangeCode(url, fresh)).status).toBe(200);
    clock += 1;
    const body = await expectOAuthError(await exchangeCode(url, stale), 400, 'invalid_grant');
    expect(body.error_description).toBe(INVALID_GRANT_DESCRIPTION);
  });

  it('when the redirect URI at the token endpoint differs from the one used at authorize, then invalid_grant is answered and the code stays usable', async () => {
    const { url } = await start({ redirectUris: [REDIRECT_URI, 'http://localhost:3000/other'] });
    const code = await getCode(url);
    await expectOAuthError(await exchangeCode(url, code, `${REDIRECT_URI}/`), 400, 'invalid_grant');
    await expectOAuthError(await exchangeCode(url, code, 'http://localhost:3000/other'), 400, 'invalid_grant');
    expect((await exchangeCode(url, code)).status).toBe(200);
  });

  it('when code or redirect_uri is missing, then 400 invalid_request is answered', async () => {
    const { url } = await start();
    const code = await getCode(url);
    await expectOAuthError(
      await tokenRequest(url, { grant_type: 'authorization_code', redirect_uri: REDIRECT_URI, ...clientFields }),
      400,
      'invalid_request',
    );
    await expectOAuthError(
      await tokenRequest(url, { grant_type: 'authorization_code', code, ...clientFields }),
      400,
      'invalid_request',
    );
  });

  it('when a code issued to the demo user is exchanged, then the token acts for that user', async () => {
    const { url } = await start();
    const tokens = await signIn(url);
    const me = await api(url, '/rest/v1.0/me', tokens.access_token);
    expect(await me.json()).toEqual({ id: DEMO_USER.id, login: DEMO_USER.login, name: 'Dana Demo' });
  });
});

describe('token endpoint requests', () => {
  it('when grant_type is missing, then invalid_request; when it is unknown, then unsupported_grant_type; both are counted', async () => {
    const { url, emulator } = await start();
    await expectOAuthError(await tokenRequest(url, { ...clientFields }), 400, 'invalid_request');
    await expectOAuthError(
      await tokenRequest(url, { grant_type: 'password', ...clientFields }),
      400,
      'unsupported_grant_type',
    );
    expect(emulator.stats.tokenRequests.other).toBe(2);
    expect(emulator.stats.grants).toEqual({ authorization_code: 0, refresh_token: 0, client_credentials: 0 });
  });

  it('when the client secret is wrong or no client is given, then 401 invalid_client is answered', async () => {
    const { url, emulator } = await start();
    const code = await getCode(url);
    const wrong = await tokenRequest(url, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      client_id: EMULATOR_CLIENT_ID,
      client_secret: 'nope',
    });
    await expectOAuthError(wrong, 401, 'invalid_client');
    await expectOAuthError(await tokenRequest(url, { grant_type: 'client_credentials' }), 401, 'invalid_client');
    expect(emulator.stats.tokenRequests).toEqual({
      authorization_code: 1,
      refresh_token: 0,
      client_credentials: 1,
      other: 0,
    });
    expect((await exchangeCode(url, code)).status).toBe(200);
  });

  it('when the client authenticates with HTTP Basic, then the grant succeeds without client fields in the body', async () => {
    const { url } = await start();
    const code = await getCode(url);
    const basic = Buffer.from(`${EMULATOR_CLIENT_ID}:${EMULATOR_CLIENT_SECRET}`).toString('base64');
    const res = await tokenRequest(
      url,
      { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI },
      { headers: { Authorization: `Basic ${basic}` } },
    );
    expect(res.status).toBe(200);
    const wrongBasic = Buffer.from(`${EMULATOR_CLIENT_ID}:wrong`).toString('base64');
    const refused = await tokenRequest(
      url,
      { grant_type: 'client_credentials' },
      { headers: { Authorization: `Basic ${wrongBasic}` } },
    );
    expect(refused.status).toBe(401);
  });

  it('when the fields come as JSON, then the grant succeeds', async () => {
    const { url } = await start();
    const code = await getCode(url);
    const res = await fetch(`${url}/oauth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, ...clientFields }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as TokenBody).refresh_token).toBeTruthy();
  });

  it('when the fields come as multipart/form-data (curl -F), then the grant succeeds', async () => {
    const { url, emulator } = await start();
    const tokens = await signIn(url);
    const form = new FormData();
    form.set('grant_type', 'refresh_token');
    form.set('refresh_token', tokens.refresh_token ?? '');
    form.set('client_id', EMULATOR_CLIENT_ID);
    form.set('client_secret', EMULATOR_CLIENT_SECRET);
    const res = await fetch(`${url}/oauth/token`, { method: 'POST', body: form });
    expect(res.status).toBe(200);
    expect(emulator.stats.requests.at(-1)?.body).toMatchObject({
      grant_type: 'refresh_token',
      client_id: EMULATOR_CLIENT_ID,
    });
  });

  it('when the fields come as query parameters, then the grant succeeds', async () => {
    const { url } = await start();
    const query = new URLSearchParams({ grant_type: 'client_credentials', ...clientFields });
    const res = await fetch(`${url}/oauth/token?${query.toString()}`, { method: 'POST' });
    expect(res.status).toBe(200);
  });

  it('when the body is malformed JSON, then 400 invalid_request is answered without a stack trace', async () => {
    const { url } = await start();
    const res = await fetch(`${url}/oauth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"grant_type":',
    });
    const text = await res.text();
    expect(res.status).toBe(400);
    expect(JSON.parse(text)).toMatchObject({ error: 'invalid_request' });
    expect(text).not.toMatch(/at .*\.(js|ts):\d+/);
  });

  it('when the token lifetime is changed, then new tokens report the new expires_in', async () => {
    const { url, emulator } = await start({ tokenLifetimeSeconds: 7200 });
    expect((await serviceToken(url)).expires_in).toBe(7200);
    emulator.setTokenLifetime(60);
    expect((await serviceToken(url)).expires_in).toBe(60);
  });
});

describe('refresh_token grant', () => {
  it('when a refresh token is used, then a new pair is issued and the old refresh and access tokens die at once', async () => {
    const { url, emulator } = await start();
    const first = await signIn(url);
    const res = await refresh(url, first.refresh_token ?? '');
    expect(res.status).toBe(200);
    const second = (await res.json()) as TokenBody;
    expect(second.access_token).not.toBe(first.access_token);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(emulator.isRefreshTokenValid(first.refresh_token ?? '')).toBe(false);
    expect(emulator.isRefreshTokenValid(second.refresh_token ?? '')).toBe(true);
    expect((await api(url, '/rest/v1.0/me', first.access_token)).status).toBe(401);
    expect((await api(url, '/rest/v1.0/me', second.access_token)).status).toBe(200);
    expect(emulator.stats.grants).toEqual({ authorization_code: 1, refresh_token: 1, client_credentials: 0 });
  });

  it('when a refresh token is used twice, then the second use gets 400 invalid_grant', async () => {
    const { url } = await start();
    const first = await signIn(url);
    expect((await refresh(url, first.refresh_token ?? '')).status).toBe(200);
    const body = await expectOAuthError(await refresh(url, first.refresh_token ?? ''), 400, 'invalid_grant');
    expect(body.error_description).toBe(INVALID_GRANT_DESCRIPTION);
  });

  it('when the refresh token is unknown or missing, then invalid_grant or invalid_request is answered', async () => {
    const { url } = await start();
    await expectOAuthError(await refresh(url, 'made-up-token'), 400, 'invalid_grant');
    await expectOAuthError(
      await tokenRequest(url, { grant_type: 'refresh_token', ...clientFields }),
      400,
      'invalid_request',
    );
  });

  it('when access tokens expire, then their refresh tokens still work', async () => {
    let clock = Date.UTC(2025, 4, 1, 12);
    const { url } = await start({ now: () => clock });
    const tokens = await signIn(url);
    clock += 5400 * 1000;
    expect((await api(url, '/rest/v1.0/me', tokens.access_token)).status).toBe(401);
    expect((await refresh(url, tokens.refresh_token ?? '')).status).toBe(200);
  });
});

describe('client_credentials grant', () => {
  it('when a service account asks for a token, then the answer has no refresh_token', async () => {
    const { url, emulator } = await start();
    const res = await tokenRequest(url, { grant_type: 'client_credentials', ...clientFields });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).not.toHaveProperty('refresh_token');
    expect(body).toMatchObject({ token_type: 'bearer', expires_in: 5400 });
    expect(emulator.stats.grants.client_credentials).toBe(1);
  });
});

describe('GET /oauth/token/info', () => {
  it('when asked with a valid bearer token, then it describes the token, its owner and the application', async () => {
    let clock = Date.UTC(2025, 4, 1, 12);
    const { url } = await start({ now: () => clock });
    const tokens = await signIn(url);
    clock += 400 * 1000;
    const res = await fetch(`${url}/oauth/token/info`, { headers: { Authorization: `Bearer ${tokens.access_token}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      resource_owner_id: DEMO_USER.id,
      scopes: [],
      expires_in_seconds: 5000,
      application: { uid: EMULATOR_CLIENT_ID },
      created_at: tokens.created_at,
    });
  });

  it('when asked with an unknown or no token, then 401 is answered', async () => {
    const { url } = await start();
    const unknown = await fetch(`${url}/oauth/token/info`, { headers: { Authorization: 'Bearer nope' } });
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toMatchObject({ error: 'invalid_token' });
    expect(unknown.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect((await fetch(`${url}/oauth/token/info`)).status).toBe(401);
  });
});

describe('POST /oauth/revoke', () => {
  it('when the access token is revoked, then both it and its refresh token stop working', async () => {
    const { url, emulator } = await start();
    const tokens = await signIn(url);
    const res = await fetch(`${url}/oauth/revoke`, {
      method: 'POST',
      body: new URLSearchParams({ token: tokens.access_token, ...clientFields }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    expect((await api(url, '/rest/v1.0/me', tokens.access_token)).status).toBe(401);
    expect(emulator.isRefreshTokenValid(tokens.refresh_token ?? '')).toBe(false);
    await expectOAuthError(await refresh(url, tokens.refresh_token ?? ''), 400, 'invalid_grant');
    expect(emulator.stats.revocations).toBe(1);
  });

  it('when the refresh token is sent to revoke (with a JSON body), then 200 is answered and nothing is revoked: Procore documents the access token', async () => {
    const { url, emulator } = await start();
    const tokens = await signIn(url);
    const res = await fetch(`${url}/oauth/revoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token: tokens.refresh_token, ...clientFields }),
    });
    expect(res.status).toBe(200);
    expect(emulator.isRefreshTokenValid(tokens.refresh_token ?? '')).toBe(true);
    expect((await api(url, '/rest/v1.0/me', tokens.access_token)).status).toBe(200);
  });

  it('when an expired access token is sent to revoke, then 200 is answered and the grant lives on (refresh first, then revoke)', async () => {
    const { url, emulator } = await start();
    const tokens = await signIn(url);
    emulator.expireAccessTokens();
    const res = await fetch(`${url}/oauth/revoke`, {
      method: 'POST',
      body: new URLSearchParams({ token: tokens.access_token, ...clientFields }),
    });
    expect(res.status).toBe(200);
    expect(emulator.isRefreshTokenValid(tokens.refresh_token ?? '')).toBe(true);
  });

  it('when revoke is called with Basic auth and multipart for an unknown token, then 200 {} is answered', async () => {
    const { url, emulator } = await start();
    const form = new FormData();
    form.set('token', 'never-issued');
    const basic = Buffer.from(`${EMULATOR_CLIENT_ID}:${EMULATOR_CLIENT_SECRET}`).toString('base64');
    const res = await fetch(`${url}/oauth/revoke`, {
      method: 'POST',
      body: form,
      headers: { Authorization: `Basic ${basic}` },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    expect(emulator.stats.revocations).toBe(1);
  });

  it('when revoke is called with a wrong client secret, then 401 invalid_client is answered and the token survives', async () => {
    const { url } = await start();
    const tokens = await signIn(url);
    const res = await fetch(`${url}/oauth/revoke`, {
      method: 'POST',
      body: new URLSearchParams({ token: tokens.access_token, client_id: EMULATOR_CLIENT_ID, client_secret: 'wrong' }),
    });
    await expectOAuthError(res, 401, 'invalid_client');
    expect((await api(url, '/rest/v1.0/me', tokens.access_token)).status).toBe(200);
  });
});
