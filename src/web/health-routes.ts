import { Router } from 'express';
import { isRedisReady, type RedisClient } from '../redis';

/** `/healthz`: the process answers. `/readyz`: it can serve pages (Redis answers). */
export function createHealthRoutes(options: { redis: RedisClient }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const redis = await isRedisReady(options.redis);
    res
      .status(redis ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json({ status: redis ? 'ready' : 'not ready', checks: { redis: redis ? 'ok' : 'unreachable' } });
  });
  return router;
}
