/** Assembles the Express app: recording, rate limit, faults, latency, routes, 404 and errors. */
import express, { type ErrorRequestHandler } from 'express';
import type { EmulatorContext } from './context';
import { addLatency, FaultQueue, injectFaults, tokenEndpointOutage } from './faults';
import { oauthRoutes } from './oauth-routes';
import { rateLimit, type RateLimitSettings } from './rate-limit';
import { genericError } from './responses';
import { restRoutes } from './rest-routes';
import { recordRequests } from './stats';
import { webAppPages } from './web-app-pages';

/** Client mistakes (bad JSON, oversized or malformed bodies) are 4xx; anything else is a bare 500. */
const handleErrors: ErrorRequestHandler = (err: unknown, req, res, _next) => {
  if (res.headersSent) {
    req.socket.destroy();
    return;
  }
  const fields = (typeof err === 'object' && err !== null ? err : {}) as {
    status?: unknown;
    statusCode?: unknown;
    name?: unknown;
  };
  const declared =
    typeof fields.status === 'number'
      ? fields.status
      : typeof fields.statusCode === 'number'
        ? fields.statusCode
        : undefined;
  const status =
    fields.name === 'MulterError' ? 400 : declared !== undefined && declared >= 400 && declared < 500 ? declared : 500;
  genericError(
    res,
    req.path,
    status,
    status === 500 ? 'Internal Server Error' : 'The request body could not be parsed.',
  );
};

export function buildApp(context: EmulatorContext, faults: FaultQueue, limits: RateLimitSettings): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  // `filters[id][]=1&filters[id][]=2` and `filters[by_status]=All` need nested query parsing.
  app.set('query parser', 'extended');

  app.use(recordRequests(context.stats, context.now));
  app.use(rateLimit(limits, context.now));
  app.use(injectFaults(faults));
  app.use(tokenEndpointOutage(context.outage));
  app.use(addLatency(context.latency));
  app.use(oauthRoutes(context));
  app.use(restRoutes(context));
  app.use(webAppPages(context));
  app.use((req, res) => {
    genericError(res, req.path, 404, `No route for ${req.method} ${req.path}`);
  });
  app.use(handleErrors);
  return app;
}
