import OAuth2Strategy, { InternalOAuthError, type VerifyCallback } from 'passport-oauth2';
import { SMALL_BODY_MAX_BYTES } from '../procore/body';
import { ProcoreError } from '../procore/errors';
import type { TokenSet } from '../procore/token-set';
import { ConnectionCapError, createDeadlineAgent } from './deadline-agent';
import { SignInError } from './errors';
import type { PendingSignIns, SignInContext } from './pending-sign-ins';
import { procoreErrorFor, tokenSetFrom, type ProcoreMe } from './procore-endpoints';

export interface ProcoreStrategyOptions {
  loginUrl: string;
  clientId: string;
  clientSecret: string;
  callbackUrl: string;
  timeoutMs: number; // The code exchange gets no complete answer in this time → 503.
  me: (accessToken: string) => Promise<ProcoreMe>; // Who the new access token belongs to (`GET /rest/v1.0/me`).
  stateStore: PendingSignIns; // Where pending sign-ins (their `state`) are kept between the start and the callback.
  now?: () => number;
}

/** What a successful sign-in hands to the callback route. */
export interface ProcoreSignIn {
  user: ProcoreMe;
  tokenSet: TokenSet;
}

/** The third argument of passport's authenticate callback after a successful sign-in. */
export interface ProcoreSignInInfo {
  state?: SignInContext;
}

const TOKEN_ENDPOINT = 'POST /oauth/token';

/** passport-oauth2 for Procore (no scopes), through what passport-oauth2 publishes. The code exchange is one POST,
 * never retried (codes work once). */
export class ProcoreStrategy extends OAuth2Strategy {
  private readonly me: (accessToken: string) => Promise<ProcoreMe>;
  private readonly clientSecret: string;

  constructor(options: ProcoreStrategyOptions) {
    const now = options.now ?? Date.now;
    const tokenURL = `${options.loginUrl}/oauth/token`;
    super(
      {
        authorizationURL: `${options.loginUrl}/oauth/authorize`,
        tokenURL,
        clientID: options.clientId,
        clientSecret: options.clientSecret,
        callbackURL: options.callbackUrl,
        store: options.stateStore,
        customHeaders: { Accept: 'application/json' },
      },
      // Five parameters: passport-oauth2 then passes the token response (`params`) too.
      (
        _accessToken: string,
        refreshToken: string | undefined,
        params: Record<string, unknown>,
        user: ProcoreMe,
        done: VerifyCallback,
      ) => {
        try {
          // node-oauth hands the refresh token apart from the rest of the response.
          done(null, {
            user,
            tokenSet: tokenSetFrom({ ...params, refresh_token: refreshToken }, now()),
          } satisfies ProcoreSignIn);
        } catch (error) {
          done(error);
        }
      },
    );
    this.name = 'procore';
    this.me = options.me;
    this.clientSecret = options.clientSecret;
    // node-oauth has no timeout but a public `setAgent`; `_oauth2` is protected in passport-oauth2 ("Subclasses are
    // allowed to use it"): read once, here, to call that public method.
    this._oauth2.setAgent(createDeadlineAgent(tokenURL, options.timeoutMs, SMALL_BODY_MAX_BYTES));
  }

  override userProfile(accessToken: string, done: (error: unknown, profile?: ProcoreMe) => void): void {
    this.me(accessToken).then(
      (user) => done(null, user),
      (error: unknown) => done(error),
    );
  }

  override parseErrorResponse(body: unknown, status: number): ProcoreError {
    return procoreErrorFor('oauth', status, String(body), TOKEN_ENDPOINT, [this.clientSecret]);
  }
}

/** What a failed `authenticate('procore')` means for the person. */
export function signInErrorFor(failure: unknown): SignInError {
  if (failure instanceof SignInError) return failure;
  if (failure instanceof ProcoreError) {
    if (failure.code === 'invalid_grant') return new SignInError('code_expired', { cause: failure });
    if (failure.code === 'invalid_client') return new SignInError('client_rejected', { cause: failure });
    if (failure.isTransient) return new SignInError('procore_unavailable', { cause: failure });
    return new SignInError('failed', { cause: failure });
  }
  // No answer from the token endpoint (refused, reset, our deadline): passport-oauth2 wraps
  // node-oauth's error in InternalOAuthError; its public toString() says what happened.
  if (failure instanceof InternalOAuthError)
    return new SignInError(failure.oauthError instanceof ConnectionCapError ? 'failed' : 'procore_unavailable', {
      cause: failure,
      detail: String(failure),
    });
  return new SignInError('failed', { cause: failure });
}
