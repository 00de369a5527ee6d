import { Router } from 'express';
import type { CredentialsRefusal } from '../observability/refresh-watch';
import { isRedisReady, type RedisClient } from '../redis';

/**
 * `/healthz`: the process answers. `/readyz`: it can serve pages (Redis answers). `/readyz` also
 * says when Procore refuses this app's credentials on refreshes (`procoreCredentials: refused`),
 * without failing: taking every instance out of rotation would stop pages whose tokens still work.
 */
export function createHealthRoutes(options: {
  redis: RedisClient;
  procoreCredentials?: () => CredentialsRefusal | undefined;
}): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const redis = await isRedisReady(options.redis);
    const refused = options.procoreCredentials?.();
    const procoreCredentials = refused
      ? { procoreCredentials: 'refused', procoreCredentialsRefusedSince: new Date(refused.since).toISOString() }
      : { procoreCredentials: 'ok' };
    res
      .status(redis ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json({
        status: redis ? 'ready' : 'not ready',
        checks: { redis: redis ? 'ok' : 'unreachable', ...procoreCredentials },
      });
  });
  return router;
}
