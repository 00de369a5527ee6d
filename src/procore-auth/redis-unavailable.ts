import { ReplyError, type Cluster, type Redis } from 'ioredis';

/** An ioredis client: one node (or Sentinel) or a Cluster. */
export type RedisClient = Redis | Cluster;

/**
 * Redis could not answer right now (connection lost or closed, command timed out, no reachable
 * cluster node, or a node that is loading or failing over). Transient: the request may be retried
 * in a moment. Raised where the app calls Redis (see `callRedis`), so nothing else has to guess
 * from an error's message.
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

/**
 * Error kinds Redis answers with while it cannot serve a command for now. The kind is the first
 * word of an error reply: that is Redis' protocol (RESP), not a client's wording.
 */
const UNAVAILABLE_REPLY_KINDS = new Set(['LOADING', 'CLUSTERDOWN', 'MASTERDOWN', 'READONLY', 'TRYAGAIN', 'BUSY']);

const ReplyErrorClass = ReplyError as new (message: string) => Error;

/**
 * Whether an error from an ioredis command means "Redis is unavailable". A reply error is Redis
 * answering (a wrong command is a bug, not an outage) unless its kind says the node cannot serve
 * now; any other rejection of a command means no answer came (ioredis rejects with those only for
 * a closed or unwritable connection, a timeout, exhausted retries or no reachable cluster node).
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
