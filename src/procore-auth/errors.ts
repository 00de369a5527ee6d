/** Why a sign-in with Procore did not end with a signed-in session. */
export type SignInErrorCode =
  /** The callback's `state` is not one this browser is waiting for (forged, another browser, used, older than 10 minutes). */
  | 'unverified'
  | 'incomplete' // The callback has no authorization code.
  | 'refused_by_procore' // Procore sent the person back with an OAuth error other than "access_denied".
  | 'code_expired' // Procore answered invalid_grant: the code expired (10 minutes) or was already used.
  | 'client_rejected' // Procore answered invalid_client: the client id or secret is wrong.
  | 'procore_unavailable' // Procore did not answer in time, could not be reached, or answered 5xx / 429.
  | 'failed'; // Anything else: an answer we could not use.

/** A sign-in that did not work: `code` and `cause`; the app's error handler decides what page that is. */
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
  | 'grant_revoked' // Procore refused the refresh token (invalid_grant).
  | 'refresh_refused' // Procore refused to renew it with another OAuth error, several times over.
  | 'tokens_missing' // The token set is gone (another instance ended it, or it expired with the session).
  | 'access_denied' // Procore kept rejecting a freshly refreshed access token.
  | 'session_expired'; // The session outlived SESSION_MAX_HOURS.

export class SignedOutError extends Error {
  override readonly name = 'SignedOutError';

  constructor(
    readonly reason: SignedOutReason,
    options?: { cause?: unknown },
  ) {
    super(`Signed out: ${reason}`, options);
  }
}
