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
  /** The code exchange gets no complete answer in this time → 503. */
  timeoutMs: number;
  /** Who the new access token belongs to (`GET /rest/v1.0/me`). */
  me: (accessToken: string) => Promise<ProcoreMe>;
  /** Where pending sign-ins (their `state`) are kept between the start and the callback. */
  stateStore: PendingSignIns;
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

/**
 * passport-oauth2 for Procore, through what passport-oauth2 publishes:
 * - strategy options: Procore's endpoints, no scopes (Procore has none), our `store` for states;
 * - the verify callback builds a TokenSet from the token response (`expires_in` read,
 *   never assumed);
 * - `userProfile`: the `me` function given (`GET /rest/v1.0/me`);
 * - `parseErrorResponse`: Procore's error bodies become `ProcoreError` codes;
 * - a timeout through node-oauth's public `setAgent`.
 * The code exchange is a single POST: node-oauth never retries it (codes work once).
 */
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
    // node-oauth's OAuth2 client has no timeout, but a public `setAgent` (its documented way to
    // bring proxies, certificates, timeouts). passport-oauth2 creates that client itself and
    // publishes it to subclasses only: `_oauth2` is declared "protected" in passport-oauth2's
    // source ("Subclasses are allowed to use it") and in @types/passport-oauth2. So this subclass
    // reads it once, here, to call that public method; nothing assigns to it or to anything in it.
    this._oauth2.setAgent(createDeadlineAgent(tokenURL, options.timeoutMs, SMALL_BODY_MAX_BYTES));
  }

  override userProfile(accessToken: string, done: (error: unknown, profile?: ProcoreMe) => void): void {
    this.me(accessToken).then(
      (user) => done(null, user),
      (error: unknown) => done(error),
    );
  }

  /** Any non-2xx answer of the token endpoint, mapped as the refresh's answers are. */
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
