import { randomUUID } from 'node:crypto';
import type { Express, Request, RequestHandler } from 'express';
import type { Logger } from 'pino';

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
const CODE_OR_STATE = /([?&](?:code|state)=)[^&#]*/g;
const REQUEST_LOGGER = Symbol('request logger');

/** Hides OAuth codes and states in logged URLs. */
export function redactUrl(url: string): string {
  return url.includes('code=') || url.includes('state=') ? url.replace(CODE_OR_STATE, '$1[redacted]') : url;
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
 *   `req` (id, method and URL with codes and states cut out), `res` (statusCode) and
 *   `responseTime` in ms; "request completed", "request aborted", or "request errored" with `err`
 *   for 5xx. Never headers, so no cookies, Authorization or Set-Cookie values.
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
  // The access line is built here from the method, the URL with codes and states cut out, the
  // status and the time: none of the logger's redaction paths can occur in it (errors go through
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
          req: { id, method: req.method, url: redactUrl(req.originalUrl) },
          res: { statusCode: res.statusCode },
          responseTime: Math.round(performance.now() - started),
        };
        if (res.statusCode >= 500) lines.info({ ...line, err: new Error(`failed with status code ${res.statusCode}`) }, 'request errored');
        else lines.info(line, !req.readableAborted && res.writableEnded ? 'request completed' : 'request aborted');
      };
      res.on('finish', done);
      res.on('close', done);
    }
    next();
  };
}
