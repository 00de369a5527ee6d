/**
 * The one error type for talking to Procore: `code` is what a caller can act on, `cause` the original error. Fatal
 * codes (the grant is dead: sign in again) are told apart from transient ones (keep the session, try later).
 */
export type ProcoreErrorCode =
  | 'invalid_grant' // OAuth: the code / refresh token is invalid, expired, revoked, already used or for another client.
  | 'invalid_client' // OAuth: the client id / secret were not accepted.
  | 'oauth_error' // OAuth: any other error body from the token endpoint (invalid_request, unsupported_grant_type, ...).
  | 'unauthorized' // REST 401: the access token was not accepted.
  | 'forbidden' // REST 403: no access to this company or resource.
  | 'not_found' // REST 404.
  | 'rate_limited' // 429 (or 503 with Retry-After) after the retries allowed were used up.
  | 'unavailable' // 5xx after retries.
  | 'timeout' // No answer within the configured timeout.
  | 'network' // Connection refused, reset, DNS failure...
  | 'bad_response'; // Procore answered something we could not understand (not JSON, missing fields, other 4xx).

const FATAL_CODES: ReadonlySet<ProcoreErrorCode> = new Set(['invalid_grant']);
const TRANSIENT_CODES: ReadonlySet<ProcoreErrorCode> = new Set(['rate_limited', 'unavailable', 'timeout', 'network']);

export interface ProcoreErrorDetails {
  status?: number;
  oauthError?: string; // The OAuth `error` or a short reason from the body, never a token.
  description?: string;
  retryAfterMs?: number; // How long Procore asked us to wait, when it said so.
  endpoint?: string; // Method and path (no query string: it may hold codes) of the failed call.
  cause?: unknown;
}

export class ProcoreError extends Error {
  override readonly name = 'ProcoreError';
  readonly code: ProcoreErrorCode;
  readonly status: number | undefined;
  readonly oauthError: string | undefined;
  readonly description: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly endpoint: string | undefined;

  constructor(code: ProcoreErrorCode, message: string, details: ProcoreErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.status = details.status;
    this.oauthError = details.oauthError;
    this.description = details.description;
    this.retryAfterMs = details.retryAfterMs;
    this.endpoint = details.endpoint;
  }

  /** The grant can never work again: delete the tokens and ask the user to sign in. */
  get isFatal(): boolean {
    return FATAL_CODES.has(this.code);
  }

  /** Worth trying again later; nothing should be deleted because of it. */
  get isTransient(): boolean {
    return TRANSIENT_CODES.has(this.code);
  }
}

export function isProcoreError(error: unknown, code?: ProcoreErrorCode): error is ProcoreError {
  return error instanceof ProcoreError && (code === undefined || error.code === code);
}
