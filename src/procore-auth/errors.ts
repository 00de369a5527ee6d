/** Why a sign-in with Procore did not end with a signed-in session. */
export type SignInErrorCode =
  /** The callback's `state` is not one this browser is waiting for (forged, another browser, used, older than 10 minutes). */
  | 'unverified'
  /** The callback has no authorization code. */
  | 'incomplete'
  /** Procore sent the person back with an OAuth error other than "access_denied". */
  | 'refused_by_procore'
  /** Procore answered invalid_grant: the code expired (10 minutes) or was already used. */
  | 'code_expired'
  /** Procore answered invalid_client: the client id or secret is wrong. */
  | 'client_rejected'
  /** Procore did not answer in time, could not be reached, or answered 5xx / 429. */
  | 'procore_unavailable'
  /** Anything else: an answer we could not use. */
  | 'failed';

/**
 * The error for a sign-in that did not work. Like SignedOutError it says what happened
 * (`code`) and keeps the original error (`cause`); the web error handler decides what page
 * that is.
 */
export class SignInError extends Error {
  override readonly name = 'SignInError';
  /** For `refused_by_procore`: Procore's OAuth `error`, and what it said (only when it answered this browser's own sign-in), shortened. */
  readonly oauthError: string | undefined;
  readonly procoreSaid: string | undefined;

  constructor(
    readonly code: SignInErrorCode,
    options: {
      cause?: unknown;
      procoreSaid?: string;
      oauthError?: string;
      /** For the log: what went wrong underneath. */ detail?: string;
    } = {},
  ) {
    super(
      `Sign-in failed: ${code}${options.detail ? ` (${options.detail})` : ''}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.procoreSaid = options.procoreSaid;
    this.oauthError = options.oauthError;
  }
}

/** Why a signed-in session can no longer be used; the user must sign in again. */
export type SignedOutReason =
  /** Procore refused the refresh token (invalid_grant). */
  | 'grant_revoked'
  /** Procore refused to renew it with another OAuth error, several times over. */
  | 'refresh_refused'
  /** The token set is gone (another instance ended it, or it expired with the session). */
  | 'tokens_missing'
  /** Procore kept rejecting a freshly refreshed access token. */
  | 'access_denied'
  /** The session outlived SESSION_MAX_HOURS. */
  | 'session_expired';

export class SignedOutError extends Error {
  override readonly name = 'SignedOutError';

  constructor(
    readonly reason: SignedOutReason,
    options?: { cause?: unknown },
  ) {
    super(`Signed out: ${reason}`, options);
  }
}
