/** Error and success bodies, in Procore's (Doorkeeper's) words. Never a stack trace. */
import type { Response } from 'express';
import { STATUS_CODES } from 'node:http';

export const OAUTH_ERROR_DESCRIPTIONS = {
  invalid_request:
    'The request is missing a required parameter, includes an unsupported parameter value, or is otherwise malformed.',
  invalid_client:
    'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.',
  invalid_grant:
    'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
  unsupported_grant_type: 'The authorization grant type is not supported by the authorization server.',
  unsupported_response_type: 'The authorization server does not support this response type.',
  access_denied: 'The resource owner or authorization server denied the request.',
  invalid_token: 'The access token is invalid',
  server_error:
    'The authorization server encountered an unexpected condition which prevented it from fulfilling the request.',
  temporarily_unavailable:
    'The authorization server is temporarily unable to handle the request due to a temporary overloading or maintenance of the server.',
} as const;

export type OAuthErrorCode = keyof typeof OAUTH_ERROR_DESCRIPTIONS;

/** Token-endpoint answers must never be cached (RFC 6749 §5.1). */
export function noStore(res: Response): void {
  res.set('Cache-Control', 'no-store');
  res.set('Pragma', 'no-cache');
}

export function oauthError(res: Response, status: number, error: OAuthErrorCode, description?: string): void {
  noStore(res);
  if (status === 401) {
    res.set(
      'WWW-Authenticate',
      `Bearer realm="Procore", error="${error}", error_description="${OAUTH_ERROR_DESCRIPTIONS[error]}"`,
    );
  }
  res.status(status).json({ error, error_description: description ?? OAUTH_ERROR_DESCRIPTIONS[error] });
}

/**
 * The REST error body of Procore's published reference: for 400, 401, 403, 404 and 422 on the
 * project, company and /me endpoints the OpenAPI description names one object (as the procore_sdk
 * generated from it calls it, RestV10CompaniesCompanyIdWorkflowPermanentLogsGet401Response) with
 * optional `code` (integer), `message`, `fields`, `reason` ("a human-readable code providing
 * additional detail on the cause") and `error` ("description of the error thrown"). Procore's
 * Troubleshooting page tells clients to read `errors` or `message` for a 422; its Rate Limiting page
 * publishes no 429 body ("the response body for both may be similar"), so a 429 gets the same object
 * beside the headers that matter (Retry-After, X-Rate-Limit-*).
 */
const REST_ERRORS: Readonly<Record<number, { error: string; reason: string }>> = {
  400: { error: 'Bad Request', reason: 'bad_request' },
  401: { error: 'Unauthorized', reason: 'invalid_token' },
  403: { error: 'Forbidden', reason: 'forbidden' },
  404: { error: 'Not Found', reason: 'not_found' },
  422: { error: 'Unprocessable Entity', reason: 'unprocessable_entity' },
  429: { error: 'Too Many Requests', reason: 'rate_limit_exceeded' },
};

export interface RestErrorBody {
  code: number;
  error: string;
  message: string;
  reason: string;
}

export function restErrorBody(status: number, message: string, reason?: string): RestErrorBody {
  const known = REST_ERRORS[status] ?? {
    error: STATUS_CODES[status] ?? 'Error',
    reason: status >= 500 ? 'server_error' : 'error',
  };
  return { code: status, error: known.error, message, reason: reason ?? known.reason };
}

export function restError(res: Response, status: number, message: string, reason?: string): void {
  res.status(status).json(restErrorBody(status, message, reason));
}

export function isOAuthPath(path: string): boolean {
  return path === '/oauth' || path.startsWith('/oauth/');
}

/** A generic error body for `status`, in the style of the path's API. */
export function genericError(res: Response, path: string, status: number, message: string): void {
  if (isOAuthPath(path)) {
    const error: OAuthErrorCode =
      status === 503 || status === 429 ? 'temporarily_unavailable' : status >= 500 ? 'server_error' : 'invalid_request';
    oauthError(res, status, error, message);
  } else {
    restError(res, status, message);
  }
}
