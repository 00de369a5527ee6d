import { ReplyError, type Cluster, type Redis } from 'ioredis';

/** An ioredis client: one node (or Sentinel) or a Cluster. */
export type RedisClient = Redis | Cluster;

/**
 * Redis could not answer right now (connection lost, timeout, no reachable cluster node, a node loading or failing
 * over). Transient. Raised where the app calls Redis (`callRedis`), so nothing else guesses from a message.
 */
export class RedisUnavailableError extends Error {
  override readonly name = 'RedisUnavailableError';
  readonly code = 'redis_unavailable';

  constructor(
    /** ioredis' connection status when the call failed (`ready`, `reconnecting`, `end`, ...). */
    readonly connectionStatus: string,
    options: { cause: unknown },
  ) {
    super(`Redis is unavailable (connection ${connectionStatus})`, options);
  }
}

/** Error kinds (an error reply's first word, per RESP) Redis answers with while it cannot serve a command for now. */
const UNAVAILABLE_REPLY_KINDS = new Set(['LOADING', 'CLUSTERDOWN', 'MASTERDOWN', 'READONLY', 'TRYAGAIN', 'BUSY']);

const ReplyErrorClass = ReplyError as new (message: string) => Error;

/**
 * A reply error is Redis answering (a wrong command is a bug, not an outage) unless its kind says the node cannot
 * serve now; ioredis rejects otherwise only when no answer came (closed connection, timeout, retries exhausted).
 */
function meansRedisUnavailable(error: unknown): boolean {
  if (error instanceof RedisUnavailableError) return true;
  if (!(error instanceof Error)) return false;
  if (error instanceof ReplyErrorClass) return UNAVAILABLE_REPLY_KINDS.has(error.message.split(/\s/, 1)[0] ?? '');
  return true;
}

/** The error to throw for a failed Redis call: a RedisUnavailableError, or the error itself. */
export function redisCallError(redis: Pick<RedisClient, 'status'>, error: unknown): unknown {
  if (error instanceof RedisUnavailableError || !meansRedisUnavailable(error)) return error;
  return new RedisUnavailableError(redis.status, { cause: error });
}

/** Runs one Redis call; a failure that means Redis is unavailable becomes a RedisUnavailableError. */
export async function callRedis<T>(redis: Pick<RedisClient, 'status'>, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw redisCallError(redis, error);
  }
}
