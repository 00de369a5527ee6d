import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Fields redacted from every log line: tokens, codes, secrets, cookies and Authorization headers
 * never reach the logs. The serializers below already keep request, response and error logs to a
 * few safe fields; these paths are the second line of defence for objects logged by hand. They are
 * exact paths, not `*.` wildcards: a wildcard is checked against every key of every line and
 * doubled the cost of logging a request.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'req.query.code',
  'req.query.state',
  'headers.authorization',
  'headers.cookie',
  'headers["set-cookie"]',
  'accessToken',
  'refreshToken',
  'access_token',
  'refresh_token',
  'id_token',
  'client_secret',
  'clientSecret',
  'tokenSet',
  'tokens',
  'code',
  'state',
  'password',
  'token',
  'secret',
  'cookie',
  '_csrf',
];

/** Secret-looking pieces of free text (error messages, URLs inside them), with their replacements. */
const SECRET_PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  // Query or form fields: ?code=…, &state=…, access_token=…, client_secret=…
  [
    /\b(code|state|access_token|refresh_token|id_token|client_secret|token|password|_csrf)=[^&\s"'<>]+/gi,
    '$1=[redacted]',
  ],
  // JSON fields inside messages: "access_token":"…"
  [/"(access_token|refresh_token|id_token|client_secret|token|password|code)"\s*:\s*"[^"]*"/gi, '"$1":"[redacted]"'],
  // Authorization header values.
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, '$1 [redacted]'],
  // Credentials in URLs: redis://user:password@host, https://id:secret@host
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^/\s:@]*:[^/\s@]*@/gi, '$1[redacted]@'],
];

/** Removes codes, tokens, secrets and URL credentials from a piece of text. */
export function scrubText(text: string): string {
  let result = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) result = result.replace(pattern, replacement);
  return result;
}

const SAFE_ERROR_FIELDS = [
  'code',
  'status',
  'statusCode',
  'endpoint',
  'oauthError',
  'errno',
  'syscall',
  'reason',
] as const;

export interface SerializedError {
  type: string;
  message: string;
  stack?: string;
  cause?: SerializedError;
  [field: string]: unknown;
}

/**
 * Errors are logged with their type, message, stack and a few safe fields only, never with the
 * extra properties libraries attach (ioredis puts the command and its arguments on errors, fetch
 * and HTTP clients put requests, headers and URLs). Text is scrubbed; causes follow, 3 deep.
 */
export function serializeError(error: unknown, depth = 0): SerializedError {
  if (!(error instanceof Error)) {
    return { type: typeof error, message: scrubText(typeof error === 'string' ? error : safeJson(error)) };
  }
  const result: SerializedError = {
    type: error.name || error.constructor?.name || 'Error',
    message: scrubText(error.message),
  };
  if (error.stack) result.stack = scrubText(error.stack);
  for (const field of SAFE_ERROR_FIELDS) {
    const value = (error as unknown as Record<string, unknown>)[field];
    // An error's own code (ECONNREFUSED, invalid_grant) is safe and logged as `errorCode`: a field
    // named `code` is where an OAuth authorization code would be, and REDACTED_PATHS hides it.
    if (typeof value === 'string' || typeof value === 'number')
      result[field === 'code' ? 'errorCode' : field] = typeof value === 'string' ? scrubText(value) : value;
  }
  if (error.cause !== undefined && depth < 3) result.cause = serializeError(error.cause, depth + 1);
  if (error instanceof AggregateError && depth < 3)
    result.errors = error.errors.slice(0, 5).map((inner: unknown) => serializeError(inner, depth + 1));
  return result;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export function createLogger(options: { level: string; destination?: pino.DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      base: { service: 'procore-dashboard' },
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: { err: serializeError, error: serializeError },
    },
    options.destination,
  );
}
