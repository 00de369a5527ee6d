import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Paths redacted wherever they appear in a log line: tokens, codes, secrets, cookies and
 * Authorization headers never reach the logs.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'req.query.code',
  'req.query.state',
  '*.accessToken',
  '*.refreshToken',
  '*.access_token',
  '*.refresh_token',
  '*.client_secret',
  '*.clientSecret',
  '*.code',
  '*.password',
  '*.token',
];

export function createLogger(options: { level: string; destination?: pino.DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      base: { service: 'procore-dashboard' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}
