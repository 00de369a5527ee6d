import { createHash } from 'node:crypto';
import { callRedis, type RedisClient } from '../redis';
import type { OperatorKeys } from './keys';

/** What is kept about one of a person's sessions (in Redis only; the page shows no sid or token set id). */
export interface SessionRecord {
  /** Names the session in pages and forms: a hash of the session id, not the id itself. */
  handle: string;
  sid: string;
  tokenSetId: string;
  signedInAt: number;
  browser: string;
  ip: string;
}

export interface ListedSession extends SessionRecord {
  lastActiveAt: number;
  /** The address of the last recorded activity. */
  lastIp: string;
  expiresAt: number;
}

// KEYS: the sorted set (handle → expiry) and the hash (handle → record, handle:seen → activity).
const PRUNE = `
local expired = redis.call('zrangebyscore', KEYS[1], '-inf', ARGV[1])
for _, handle in ipairs(expired) do redis.call('hdel', KEYS[2], handle, handle .. ':seen') end
if #expired > 0 then redis.call('zremrangebyscore', KEYS[1], '-inf', ARGV[1]) end
return #expired`;
const TOUCH = `
if not redis.call('zscore', KEYS[1], ARGV[1]) then return 0 end
redis.call('zadd', KEYS[1], ARGV[2], ARGV[1])
redis.call('hset', KEYS[2], ARGV[1] .. ':seen', ARGV[3])
redis.call('pexpire', KEYS[1], ARGV[4])
redis.call('pexpire', KEYS[2], ARGV[4])
return 1`;

/** Session activity is written at most this often per session and instance (Operators.activity). */
export const ACTIVITY_INTERVAL_MS = 60_000;

export function sessionHandle(sid: string): string {
  return createHash('sha256').update(`session-handle:${sid}`).digest('base64url').slice(0, 22);
}

const HANDLE = /^[A-Za-z0-9_-]{22}$/;
export function isSessionHandle(value: unknown): value is string {
  return typeof value === 'string' && HANDLE.test(value);
}

/**
 * Each person's active sessions: a sorted set of handles scored by expiry plus a hash of what
 * the list shows, both under the person's hash tag (one Cluster slot, so the Lua scripts may
 * touch both). Entries leave when a session ends here, and by expiry (pruned on every read and
 * write); the keys themselves expire after the longest possible session.
 */
export class SignedInSessions {
  constructor(
    private readonly options: {
      redis: RedisClient;
      keys: OperatorKeys;
      idleTimeoutMs: number;
      absoluteTimeoutMs: number;
      now?: () => number;
    },
  ) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /**
   * When a session active at `lastActiveAt` ends: idle timeout, at most the absolute lifetime.
   * Activity is recorded at most once a minute, so the idle end gets that minute of slack: a
   * session never leaves the list while it still works.
   */
  expiresAt(signedInAt: number, lastActiveAt: number): number {
    return Math.min(
      signedInAt + this.options.absoluteTimeoutMs,
      lastActiveAt + this.options.idleTimeoutMs + ACTIVITY_INTERVAL_MS,
    );
  }

  async add(userId: number, record: SessionRecord): Promise<void> {
    const { redis, keys, absoluteTimeoutMs } = this.options;
    const now = this.now();
    // Sent together, without waiting in between (one connection, one slot).
    const write = redis
      .multi()
      .zadd(keys.sessions(userId), this.expiresAt(record.signedInAt, now), record.handle)
      .hset(
        keys.sessionInfo(userId),
        record.handle,
        JSON.stringify(record),
        `${record.handle}:seen`,
        JSON.stringify({ at: now, ip: record.ip }),
      )
      .pexpire(keys.sessions(userId), absoluteTimeoutMs)
      .pexpire(keys.sessionInfo(userId), absoluteTimeoutMs)
      .exec();
    await Promise.all([this.prune(userId, now), write]);
  }

  /** Records activity of a session still in the index (an ended one is not brought back). */
  async touch(userId: number, handle: string, activity: { signedInAt: number; ip: string }): Promise<boolean> {
    const { redis, keys, absoluteTimeoutMs } = this.options;
    const now = this.now();
    const expiresAt = this.expiresAt(activity.signedInAt, now);
    const seen = JSON.stringify({ at: now, ip: activity.ip });
    return (
      (await redis.eval(
        TOUCH,
        2,
        keys.sessions(userId),
        keys.sessionInfo(userId),
        handle,
        expiresAt,
        seen,
        absoluteTimeoutMs,
      )) === 1
    );
  }

  async list(userId: number): Promise<ListedSession[]> {
    return callRedis(this.options.redis, async () => {
      const { redis, keys } = this.options;
      await this.prune(userId, this.now());
      const [scored, info] = await Promise.all([
        redis.zrange(keys.sessions(userId), 0, -1, 'WITHSCORES'),
        redis.hgetall(keys.sessionInfo(userId)),
      ]);
      const sessions: ListedSession[] = [];
      for (let index = 0; index + 1 < scored.length; index += 2) {
        const handle = scored[index]!;
        const record = parse<SessionRecord>(info[handle]);
        if (!record) continue;
        const seen = parse<{ at: number; ip: string }>(info[`${handle}:seen`]);
        sessions.push({
          ...record,
          lastActiveAt: seen?.at ?? record.signedInAt,
          lastIp: seen?.ip ?? record.ip,
          expiresAt: Number(scored[index + 1]),
        });
      }
      return sessions.sort((a, b) => b.lastActiveAt - a.lastActiveAt);
    });
  }

  async get(userId: number, handle: string): Promise<SessionRecord | undefined> {
    return callRedis(this.options.redis, async () => {
      const { redis, keys } = this.options;
      const [score, value] = await Promise.all([
        redis.zscore(keys.sessions(userId), handle),
        redis.hget(keys.sessionInfo(userId), handle),
      ]);
      if (score === null || Number(score) <= this.now()) return undefined;
      return parse<SessionRecord>(value ?? undefined);
    });
  }

  async remove(userId: number, handle: string): Promise<void> {
    return callRedis(this.options.redis, async () => {
      const { redis, keys } = this.options;
      await redis
        .multi()
        .zrem(keys.sessions(userId), handle)
        .hdel(keys.sessionInfo(userId), handle, `${handle}:seen`)
        .exec();
    });
  }

  /** Sessions of this person still running (for the operator page). */
  count(userId: number): Promise<number> {
    return this.options.redis.zcount(this.options.keys.sessions(userId), `(${this.now()}`, '+inf');
  }

  private async prune(userId: number, now: number): Promise<void> {
    const { redis, keys } = this.options;
    await redis.eval(PRUNE, 2, keys.sessions(userId), keys.sessionInfo(userId), now);
  }
}

function parse<T>(value: string | undefined): T | undefined {
  if (!value) return undefined;
  try {
    return JSON.parse(value) as T;
  } catch {
    return undefined;
  }
}
