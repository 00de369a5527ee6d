import type { ProcoreClientOptions, ProcoreOAuthClient } from './contracts';
import { ProcoreError } from './errors';
import { describeErrorBody, httpSettingsFrom, procoreRequest, type ProcoreHttpResponse } from './http';
import { asTokenInfo, asTokenResponse, isRecord } from './shape';
import { tokenSetFromResponse, type TokenSet } from './token-set';
import type { TokenInfo } from './types';

const FORM = 'application/x-www-form-urlencoded';

/**
 * Maps an OAuth error body (`{"error","error_description"}`): invalid_grant → `invalid_grant`,
 * invalid_client, unauthorized_client or any 401 → `invalid_client` (the app's own credentials: never
 * the person's grant), any other `error` → `oauth_error`.
 * 429 and 5xx are left to the default mapping (`rate_limited`, `unavailable`).
 */
export function oauthErrorFor(response: ProcoreHttpResponse, secrets: readonly string[]): ProcoreError | undefined {
  const { status, endpoint } = response;
  if (status === 429 || status >= 500) return undefined;
  const error = isRecord(response.json) && typeof response.json.error === 'string' ? response.json.error : undefined;
  if (error === undefined && status !== 401) return undefined;
  const details = { status, endpoint, ...describeErrorBody(response.json, secrets) };
  if (error === 'invalid_grant') {
    return new ProcoreError('invalid_grant', `Procore rejected the grant (invalid_grant, ${status})`, details);
  }
  if (error === 'invalid_client' || error === 'unauthorized_client' || status === 401) {
    return new ProcoreError('invalid_client', `Procore rejected the client credentials (${status})`, details);
  }
  return new ProcoreError('oauth_error', `Procore's token endpoint answered an OAuth error (${status})`, details);
}

export function createProcoreOAuthClient(options: ProcoreClientOptions): ProcoreOAuthClient {
  const settings = httpSettingsFrom(options);
  const loginUrl = options.loginUrl.replace(/\/+$/, '');
  const now = options.now ?? Date.now;

  /** POST /oauth/token. Never retried: codes and refresh tokens die the moment Procore sees them. */
  async function tokenRequest(fields: Record<string, string>, secrets: string[]): Promise<TokenSet> {
    const body = new URLSearchParams({ ...fields, client_id: options.clientId, client_secret: options.clientSecret });
    const response = await procoreRequest(settings, {
      kind: 'oauth',
      method: 'POST',
      url: `${loginUrl}/oauth/token`,
      headers: { 'Content-Type': FORM, Accept: 'application/json' },
      body: body.toString(),
      idempotent: false,
      secrets: [...secrets, options.clientSecret],
      errorFor: oauthErrorFor,
    });
    const receivedAt = now();
    return tokenSetFromResponse(asTokenResponse(response.json, response.endpoint), receivedAt);
  }

  return {
    authorizeUrl({ redirectUri, state }) {
      const query = new URLSearchParams({
        response_type: 'code',
        client_id: options.clientId,
        redirect_uri: redirectUri,
      });
      if (state !== undefined) query.set('state', state);
      return `${loginUrl}/oauth/authorize?${query.toString()}`;
    },

    exchangeCode(code, redirectUri) {
      return tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: redirectUri }, [code]);
    },

    refresh(refreshToken) {
      return tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken }, [refreshToken]);
    },

    clientCredentials() {
      return tokenRequest({ grant_type: 'client_credentials' }, []);
    },

    async revoke(token) {
      // Revoking twice is harmless (Procore answers 200 even for an unknown token), so this may be retried.
      const body = new URLSearchParams({ token, client_id: options.clientId, client_secret: options.clientSecret });
      await procoreRequest(settings, {
        kind: 'oauth',
        method: 'POST',
        url: `${loginUrl}/oauth/revoke`,
        headers: { 'Content-Type': FORM, Accept: 'application/json' },
        body: body.toString(),
        idempotent: true,
        secrets: [token, options.clientSecret],
        responseType: 'ignore',
        errorFor: oauthErrorFor,
      });
    },

    async tokenInfo(accessToken): Promise<TokenInfo> {
      const response = await procoreRequest(settings, {
        kind: 'oauth',
        method: 'GET',
        url: `${loginUrl}/oauth/token/info`,
        headers: { Authorization: `Bearer ${accessToken}`, Accept: 'application/json' },
        idempotent: true,
        secrets: [accessToken],
      });
      return asTokenInfo(response.json, response.endpoint);
    },
  };
}
