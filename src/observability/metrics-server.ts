import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { AppMetrics } from './metrics';

/**
 * The handler for the separate metrics listener (METRICS_PORT): `GET /metrics` in Prometheus
 * text format, `GET /healthz` for the listener itself, 404 for anything else. It is a bare
 * node:http handler on purpose: nothing of the public app (sessions, cookies) is reachable here.
 */
export function createMetricsHandler(metrics: Pick<AppMetrics, 'registry'>): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if ((req.method === 'GET' || req.method === 'HEAD') && path === '/metrics') {
      metrics.registry.metrics().then(
        (body) => {
          res.writeHead(200, { 'Content-Type': metrics.registry.contentType, 'Cache-Control': 'no-store' });
          res.end(req.method === 'HEAD' ? undefined : body);
        },
        (error: unknown) => {
          res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
          res.end(`could not collect metrics: ${(error as Error).message}\n`);
        },
      );
      return;
    }
    if (req.method === 'GET' && path === '/healthz') {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('ok\n');
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('not found: metrics are at /metrics\n');
  };
}
