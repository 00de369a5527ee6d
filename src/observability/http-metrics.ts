import type { Request, RequestHandler } from 'express';
import type { AppMetrics } from './metrics';

/**
 * The route pattern a request matched ("/projects/:id"), never the raw URL: label values must
 * stay few. Static files count as "/static", anything no route matched as "(unmatched)".
 */
export function routeLabel(req: Request, staticPrefix = '/static'): string {
  // Express types `req.route` as `any`; it is the matched route layer, or undefined.
  const route: unknown = req.route;
  const pattern = typeof route === 'object' && route !== null && 'path' in route ? route.path : undefined;
  // A router's own root ("/" of one mounted at /account) is the mount path itself.
  if (typeof pattern === 'string')
    return (req.baseUrl && pattern === '/' ? req.baseUrl : `${req.baseUrl}${pattern}`) || '/';
  const path = req.originalUrl.split('?')[0] ?? '';
  if (path === staticPrefix || path.startsWith(`${staticPrefix}/`)) return staticPrefix;
  return '(unmatched)';
}

/** Counts requests and measures their latency by method, route pattern and status code. */
export function httpMetricsMiddleware(
  metrics: Pick<AppMetrics, 'httpRequests' | 'httpRequestDuration'>,
): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    let recorded = false;
    const record = (): void => {
      if (recorded) return;
      recorded = true;
      const labels = { method: req.method, route: routeLabel(req), status_code: String(res.statusCode) };
      metrics.httpRequests.inc(labels);
      metrics.httpRequestDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    };
    res.once('finish', record);
    // A client that went away before the answer was written still took our time.
    res.once('close', record);
    next();
  };
}
