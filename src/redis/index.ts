export { connectRedis, connectionOptionsFromUrl, createRedisClient, describeRedis, isRedisReady, type RedisClient } from './redis-client';
export { callRedis, redisCallError, RedisUnavailableError } from './redis-unavailable';
