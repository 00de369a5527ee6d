import { randomUUID } from 'node:crypto';
import type { Express, Request, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { scrubText } from '../observability/logger';

declare global {
  namespace Express {
    interface Request {
      /** This request's id: the proxy's X-Request-Id when well formed, else a fresh UUID. */
      id: string;
      /** A logger whose every line carries `requestId`. */
      log: Logger;
    }
  }
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
const REQUEST_LOGGER = Symbol('request logger');

/**
 * The query parameters an access line keeps, in this order: the project list's own (see
 * src/projects/query.ts). Anything else (`_csrf`, `code`, `state`, `next`, a stray `access_token=`
 * or `password=`) is left out, name and value.
 */
const LOGGED_PARAMETERS = ['company_id', 'status', 'stage', 'sort', 'page', 'q'] as const;
const MAX_PATH_LENGTH = 200;
/** Each kept value, the search included, is cut to this many characters before it is encoded. */
const MAX_VALUE_LENGTH = 40;
/** The logged URL never exceeds this, so an access line stays under 1 KB. */
const MAX_URL_LENGTH = 600;

/** Anything but printable ASCII, and the quote and backslash JSON would escape: percent-encoded. */
const UNPRINTABLE = /[^\x21-\x7E]|["\\]/g;

function encodeUnprintable(char: string): string {
  const code = char.charCodeAt(0);
  return code < 0x100 ? `%${code.toString(16).toUpperCase().padStart(2, '0')}` : '%3F';
}

/**
 * What the access log says about a request's address: its path (secret-looking pieces scrubbed,
 * unprintable characters encoded, cut to 200 characters) and the values of the known parameters
 * (each scrubbed and cut to 40 characters), at most 600 characters in all.
 */
export function loggedUrl(url: string): string {
  const queryAt = url.indexOf('?');
  const path = scrubText(queryAt === -1 ? url : url.slice(0, queryAt))
    .replace(UNPRINTABLE, encodeUnprintable)
    .slice(0, MAX_PATH_LENGTH);
  if (queryAt === -1) return path;
  const given = new URLSearchParams(url.slice(queryAt + 1));
  const kept = new URLSearchParams();
  for (const name of LOGGED_PARAMETERS) {
    const value = given.get(name);
    if (value !== null) kept.set(name, scrubText(value.slice(0, MAX_VALUE_LENGTH)));
  }
  const query = kept.toString();
  return (query === '' ? path : `${path}?${query}`).slice(0, MAX_URL_LENGTH);
}

export interface AccessLogOptions {
  /** Requests not access-logged (health probes); their app lines still carry the id. */
  ignore?: (req: Request) => boolean;
}

/**
 * Request ids and the access log, in the shape pino-http wrote them, at a fraction of the cost:
 * - `X-Request-Id` on every response and `req.id`;
 * - `req.log`, a child logger with `requestId`, made only when app code first logs through it
 *   (most requests never do: a child logger per request was a noticeable part of a page's cost);
 * - one line per request when the response is finished or the client went away: `requestId`,
 *   `req` (id, method and `loggedUrl`: the path and the list's own parameters), `res`
 *   (statusCode) and `responseTime` in ms; "request completed", "request aborted", or "request
 *   errored" for 5xx (the status says it all: the error itself is logged where it was handled).
 *   Never headers, so no cookies, Authorization or Set-Cookie values; under 1 KB.
 */
export function accessLog(app: Express, logger: Logger, options: AccessLogOptions = {}): RequestHandler {
  Object.defineProperty(app.request, 'log', {
    configurable: true,
    get(this: Request & { [REQUEST_LOGGER]?: Logger }): Logger {
      this[REQUEST_LOGGER] ??= logger.child({ requestId: this.id });
      return this[REQUEST_LOGGER];
    },
    set(this: Request & { [REQUEST_LOGGER]?: Logger }, value: Logger) {
      this[REQUEST_LOGGER] = value;
    },
  });
  const ignore = options.ignore ?? (() => false);
  // The access line is built here from the method, the logged URL, the status and the time: none of the logger's redaction paths can occur in it (errors go through
  // the same scrubbing serializer). Its lines skip the redaction pass, which clones and walks
  // every path for every line (a tenth of a page's allocations); all other lines keep it.
  const lines = logger.child({}, { redact: [] });
  return (req, res, next) => {
    const started = performance.now();
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    req.id = id;
    res.setHeader('X-Request-Id', id);
    if (!ignore(req)) {
      const done = (): void => {
        res.removeListener('finish', done);
        res.removeListener('close', done);
        const line = {
          requestId: id,
          req: { id, method: req.method, url: loggedUrl(req.originalUrl) },
          res: { statusCode: res.statusCode },
          responseTime: Math.round(performance.now() - started),
        };
        if (res.statusCode >= 500) lines.info(line, 'request errored');
        else lines.info(line, !req.readableAborted && res.writableEnded ? 'request completed' : 'request aborted');
      };
      res.on('finish', done);
      res.on('close', done);
    }
    next();
  };
}
