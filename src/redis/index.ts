export {
  connectRedis,
  connectionOptionsFromUrl,
  createRedisClient,
  isRedisReady,
  type RedisConnection,
} from './redis-client';
// Sign-in's token store and lock raise these too; the whole app shares the one definition.
export { callRedis, redisCallError, RedisUnavailableError, type RedisClient } from '../procore-auth/redis-unavailable';
