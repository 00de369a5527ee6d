import type { Request, RequestHandler, Response } from 'express';

/**
 * Runs header-setting middleware (helmet) once, at start-up, against a recording response, and
 * returns a middleware that puts the same headers on every response: one short loop instead of a
 * dozen middleware calls recomputing constant values per request. Only for middleware whose
 * headers do not depend on the request (helmet without CSP nonces or other function directives);
 * throws if the middleware does not finish at once or fails.
 */
export function constantHeaders(setHeaders: RequestHandler): RequestHandler {
  const headers = new Map<string, string | string[]>();
  const recorder = {
    setHeader(name: string, value: number | string | readonly string[]) {
      headers.set(name, typeof value === 'number' ? String(value) : typeof value === 'string' ? value : [...value]);
      return recorder;
    },
    removeHeader(name: string) {
      headers.delete(name);
    },
    getHeader(name: string) {
      return headers.get(name);
    },
  };
  let finished = false;
  void setHeaders(
    { headers: {}, method: 'GET', url: '/' } as Request,
    recorder as unknown as Response,
    (error?: unknown) => {
      if (error) throw new Error('constantHeaders: the middleware failed', { cause: error });
      finished = true;
    },
  );
  if (!finished) throw new Error('constantHeaders: the middleware did not call next() at once');
  const entries = [...headers];
  return (_req, res, next) => {
    for (const [name, value] of entries) res.setHeader(name, value);
    next();
  };
}
