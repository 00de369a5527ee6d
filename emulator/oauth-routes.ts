/** The login host: /oauth/authorize (form + out-of-band page), /oauth/token, /oauth/token/info, /oauth/revoke. */
import { Router, type Request, type Response } from 'express';
import { OUT_OF_BAND_REDIRECT_URI } from '../src/procore/hosts';
import { clientCredentials, oauthParams, parseAnyBody, parseFormBody } from './body';
import { findUserByLogin, principalFor, type EmulatorContext } from './context';
import { DEMO_USER } from './defaults';
import { codePage, errorPage, loginPage } from './pages';
import { noStore, oauthError, OAUTH_ERROR_DESCRIPTIONS } from './responses';
import type { AccessTokenRecord } from './issued-tokens';
import { randomToken } from './issued-tokens';

const GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials'] as const;
type GrantType = (typeof GRANT_TYPES)[number];

function isGrantType(value: string | undefined): value is GrantType {
  return (GRANT_TYPES as readonly string[]).includes(value ?? '');
}

function redirectWith(res: Response, redirectUri: string, params: Record<string, string | undefined>): void {
  const target = new URL(redirectUri);
  for (const [key, value] of Object.entries(params)) if (value !== undefined) target.searchParams.set(key, value);
  res.redirect(302, target.toString());
}

function tokenResponse(record: AccessTokenRecord, lifetimeSeconds: number): Record<string, unknown> {
  return {
    access_token: record.token,
    token_type: 'bearer',
    expires_in: lifetimeSeconds,
    ...(record.refreshToken ? { refresh_token: record.refreshToken } : {}),
    created_at: Math.floor(record.createdAt / 1000),
  };
}

function bearerToken(req: Request): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
  return match?.[1];
}

export function oauthRoutes(context: EmulatorContext): Router {
  const router = Router();

  const demoHint = (): { login: string; password: string } | undefined => {
    const demo = findUserByLogin(context, DEMO_USER.login);
    return demo ? { login: demo.login, password: demo.password } : undefined;
  };

  const isRegistered = (redirectUri: string): boolean =>
    redirectUri === OUT_OF_BAND_REDIRECT_URI || context.redirectUris.includes(redirectUri);

  /**
   * Validates client_id and redirect_uri; on failure shows an error page (never redirects to an
   * unregistered URI). Then `response_type` must be `code` (else the error goes back to the client).
   */
  const validateAuthorize = (res: Response, p: Record<string, string>): boolean => {
    if (!p.client_id || p.client_id !== context.clientId) {
      res
        .status(400)
        .type('html')
        .send(errorPage('Invalid client', 'Client authentication failed: the client_id is unknown. (invalid_client)'));
      return false;
    }
    if (!p.redirect_uri || !isRegistered(p.redirect_uri)) {
      res
        .status(400)
        .type('html')
        .send(errorPage('Invalid redirect URI', 'The redirect uri included is not valid. (invalid_redirect_uri)'));
      return false;
    }
    if (p.response_type !== 'code') {
      if (p.redirect_uri === OUT_OF_BAND_REDIRECT_URI) {
        res
          .status(400)
          .type('html')
          .send(errorPage('Unsupported response type', OAUTH_ERROR_DESCRIPTIONS.unsupported_response_type));
      } else {
        redirectWith(res, p.redirect_uri, {
          error: 'unsupported_response_type',
          error_description: OAUTH_ERROR_DESCRIPTIONS.unsupported_response_type,
          state: p.state,
        });
      }
      return false;
    }
    return true;
  };

  router.get('/oauth/authorize', (req, res) => {
    const p = oauthParams(req);
    if (!validateAuthorize(res, p)) return;
    res.set('Cache-Control', 'no-store');
    res.type('html').send(
      loginPage({
        responseType: 'code',
        clientId: p.client_id ?? '',
        redirectUri: p.redirect_uri ?? '',
        state: p.state,
        demo: demoHint(),
      }),
    );
  });

  router.post('/oauth/authorize', parseFormBody, (req, res) => {
    const p = oauthParams(req);
    if (!validateAuthorize(res, p)) return;
    const clientId = p.client_id ?? '';
    const redirectUri = p.redirect_uri ?? '';
    if (p.action === 'deny') {
      if (redirectUri === OUT_OF_BAND_REDIRECT_URI) {
        res.status(400).type('html').send(errorPage('Access denied', OAUTH_ERROR_DESCRIPTIONS.access_denied));
      } else {
        redirectWith(res, redirectUri, {
          error: 'access_denied',
          error_description: OAUTH_ERROR_DESCRIPTIONS.access_denied,
          state: p.state,
        });
      }
      return;
    }
    const user = findUserByLogin(context, p.email ?? p.login ?? '');
    if (!user || user.password !== (p.password ?? '')) {
      res
        .status(401)
        .type('html')
        .send(
          loginPage({
            responseType: 'code',
            clientId,
            redirectUri,
            state: p.state,
            email: p.email,
            error: 'Invalid email or password.',
            demo: demoHint(),
          }),
        );
      return;
    }
    const code = context.issued.createCode(clientId, redirectUri, user.id);
    if (redirectUri === OUT_OF_BAND_REDIRECT_URI) {
      res.redirect(302, `/oauth/authorize/${encodeURIComponent(code.code)}`);
      return;
    }
    redirectWith(res, redirectUri, { code: code.code, state: p.state });
  });

  router.get('/oauth/authorize/:code', (req, res) => {
    const code = context.issued.findCode(req.params.code);
    res.set('Cache-Control', 'no-store');
    if (!code || code.redirectUri !== OUT_OF_BAND_REDIRECT_URI) {
      res.status(404).type('html').send(errorPage('Not found', 'This authorization code does not exist.'));
      return;
    }
    res.type('html').send(codePage(code.code, context.issued.codeLifetimeSeconds));
  });

  router.post('/oauth/token', ...parseAnyBody, (req, res) => {
    const p = oauthParams(req);
    const grantType = p.grant_type;
    context.stats.tokenRequests[isGrantType(grantType) ? grantType : 'other'] += 1;
    if (!grantType) {
      oauthError(res, 400, 'invalid_request', 'Missing required parameter: grant_type.');
      return;
    }
    if (!isGrantType(grantType)) {
      oauthError(res, 400, 'unsupported_grant_type');
      return;
    }
    const client = clientCredentials(req, p);
    if (!client || client.clientId !== context.clientId || client.clientSecret !== context.clientSecret) {
      oauthError(res, 401, 'invalid_client');
      return;
    }
    const lifetime = context.issued.tokenLifetimeSeconds;
    let issued: AccessTokenRecord | 'invalid_grant';
    if (grantType === 'authorization_code') {
      if (!p.code) return oauthError(res, 400, 'invalid_request', 'Missing required parameter: code.');
      if (!p.redirect_uri) return oauthError(res, 400, 'invalid_request', 'Missing required parameter: redirect_uri.');
      const code = context.issued.redeemCode(p.code, client.clientId, p.redirect_uri);
      issued =
        code === 'invalid_grant' ? code : context.issued.issue(client.clientId, code.userId, 'user', code.family, true);
    } else if (grantType === 'refresh_token') {
      if (!p.refresh_token)
        return oauthError(res, 400, 'invalid_request', 'Missing required parameter: refresh_token.');
      issued = context.issued.rotate(p.refresh_token, client.clientId);
    } else {
      issued = context.issued.issue(client.clientId, context.serviceAccount.id, 'service', randomToken(12), false);
    }
    if (issued === 'invalid_grant') {
      oauthError(res, 400, 'invalid_grant');
      return;
    }
    context.stats.grants[grantType] += 1;
    noStore(res);
    res.status(200).json(tokenResponse(issued, lifetime));
  });

  router.get('/oauth/token/info', (req, res) => {
    const token = bearerToken(req);
    const check = token ? context.issued.checkAccessToken(token) : { status: 'unknown' as const };
    noStore(res);
    if (check.status !== 'valid') {
      const description =
        check.status === 'expired'
          ? 'The access token expired'
          : check.status === 'revoked'
            ? 'The access token was revoked'
            : 'The access token is invalid';
      res.set('WWW-Authenticate', `Bearer realm="Procore", error="invalid_token", error_description="${description}"`);
      res.status(401).json({ error: 'invalid_token', error_description: description, state: 'unauthorized' });
      return;
    }
    const { record } = check;
    const owner = principalFor(context, record.kind, record.userId);
    res.json({
      resource_owner_id: owner?.id ?? null,
      scopes: [],
      expires_in_seconds: Math.max(0, Math.ceil((record.expiresAt - context.now()) / 1000)),
      application: { uid: record.clientId },
      created_at: Math.floor(record.createdAt / 1000),
    });
  });

  router.post('/oauth/revoke', ...parseAnyBody, (req, res) => {
    const p = oauthParams(req);
    const client = clientCredentials(req, p);
    if (!client || client.clientId !== context.clientId || client.clientSecret !== context.clientSecret) {
      oauthError(res, 401, 'invalid_client');
      return;
    }
    if (!p.token) {
      oauthError(res, 400, 'invalid_request', 'Missing required parameter: token.');
      return;
    }
    context.issued.revoke(p.token, client.clientId);
    context.stats.revocations += 1;
    res.status(200).json({});
  });

  return router;
}
