/**
 * The one error type for everything that goes wrong while talking to Procore.
 *
 * `code` says what happened in terms a caller can act on; `cause` keeps the original error.
 * Fatal codes (the grant is dead: sign in again) are told apart from transient ones
 * (Procore or the network is having a bad moment: keep the session, try later).
 */
export type ProcoreErrorCode =
  /** OAuth: the code / refresh token is invalid, expired, revoked, already used or for another client. */
  | 'invalid_grant'
  /** OAuth: the client id / secret were not accepted. */
  | 'invalid_client'
  /** OAuth: any other error body from the token endpoint (invalid_request, unsupported_grant_type, ...). */
  | 'oauth_error'
  /** REST 401: the access token was not accepted. */
  | 'unauthorized'
  /** REST 403: no access to this company or resource. */
  | 'forbidden'
  /** REST 404. */
  | 'not_found'
  /** 429 (or 503 with Retry-After) after the retries allowed were used up. */
  | 'rate_limited'
  /** 5xx after retries. */
  | 'unavailable'
  /** No answer within the configured timeout. */
  | 'timeout'
  /** Connection refused, reset, DNS failure... */
  | 'network'
  /** Procore answered something we could not understand (not JSON, missing fields, other 4xx). */
  | 'bad_response';

const FATAL_CODES: ReadonlySet<ProcoreErrorCode> = new Set(['invalid_grant']);
const TRANSIENT_CODES: ReadonlySet<ProcoreErrorCode> = new Set(['rate_limited', 'unavailable', 'timeout', 'network']);

export interface ProcoreErrorDetails {
  status?: number;
  /** The OAuth `error` or a short reason from the body, never a token. */
  oauthError?: string;
  description?: string;
  /** How long Procore asked us to wait, when it said so. */
  retryAfterMs?: number;
  /** Method and path (no query string: it may hold codes) of the failed call. */
  endpoint?: string;
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
