import OAuth2Strategy, { type VerifyCallback } from 'passport-oauth2';
import type { ProcoreApiClient, ProcoreOAuthClient } from '../procore/contracts';
import type { TokenSet } from '../procore/token-set';
import type { ProcoreUser } from '../procore/types';

export interface ProcoreStrategyOptions {
  loginUrl: string;
  clientId: string;
  clientSecret: string;
  callbackUrl: string;
  oauth: ProcoreOAuthClient;
  api: ProcoreApiClient;
}

/** What a successful sign-in hands to the callback route. */
export interface ProcoreSignIn {
  user: ProcoreUser;
  tokenSet: TokenSet;
}

type ProfileCallback = (error: unknown, profile?: unknown) => void;

/**
 * passport-oauth2 for Procore: no scopes (Procore has none), `state` kept in the session,
 * the profile from `GET /rest/v1.0/me`. The code exchange goes through our own OAuth client
 * so the token endpoint has one implementation (timeouts, error codes, no retries) for the
 * web app and the CLI alike.
 */
export class ProcoreStrategy extends OAuth2Strategy {
  private readonly api: ProcoreApiClient;

  constructor(options: ProcoreStrategyOptions) {
    super(
      {
        authorizationURL: `${options.loginUrl}/oauth/authorize`,
        tokenURL: `${options.loginUrl}/oauth/token`,
        clientID: options.clientId,
        clientSecret: options.clientSecret,
        callbackURL: options.callbackUrl,
        state: true,
      },
      (_accessToken: string, _refreshToken: string, tokenSet: TokenSet, user: ProcoreUser, done: VerifyCallback) => {
        done(null, { user, tokenSet } satisfies ProcoreSignIn);
      },
    );
    this.name = 'procore';
    this.api = options.api;
    const oauth = options.oauth;
    // passport-oauth2 calls this with (code, {grant_type, redirect_uri}, callback).
    const exchange = (code: string, params: { redirect_uri?: string }, callback: (...args: unknown[]) => void): void => {
      oauth.exchangeCode(code, params.redirect_uri ?? options.callbackUrl).then(
        (tokenSet) => callback(null, tokenSet.accessToken, tokenSet.refreshToken, tokenSet),
        (error: unknown) => callback(error),
      );
    };
    this._oauth2.getOAuthAccessToken = exchange as typeof this._oauth2.getOAuthAccessToken;
  }

  override userProfile(accessToken: string, done: ProfileCallback): void {
    this.api.me({ accessToken }).then(
      (user) => done(null, user),
      (error: unknown) => done(error),
    );
  }
}
