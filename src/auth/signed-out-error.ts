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

export const SIGNED_OUT_NOTICES: Record<SignedOutReason, string> = {
  grant_revoked: 'Your Procore sign-in is no longer valid (it was revoked or used elsewhere). Please sign in again.',
  tokens_missing: 'Your session has ended. Please sign in again.',
  access_denied: 'Procore no longer accepts your sign-in. Please sign in again.',
  session_expired: 'Your session has expired. Please sign in again.',
};
