/** Why a signed-in session can no longer be used; the user must sign in again. */
export type SignedOutReason =
  /** Procore refused the refresh token or the client (invalid_grant / invalid_client). */
  | 'grant_revoked'
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
