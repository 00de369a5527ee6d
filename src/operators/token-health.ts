import { randomBytes } from 'node:crypto';
import { callRedis, type RedisClient } from '../redis';
import type { RateLimitState } from '../procore/types';
import type { OperatorKeys } from './keys';

/** What the refresher reports about one token set (auth/token-refresher's outcome details). */
export interface RefreshReport {
  outcome: 'refreshed' | 'failed' | 'waited' | 'shared';
  ownerId?: number;
  /** New access-token expiry (epoch ms), after a refresh. */
  expiresAt?: number;
  /** HTTP status of a failed refresh, when Procore answered. */
  status?: number;
}

export interface PersonHealth {
  userId: number;
  name: string;
  login: string;
  sessions: number;
  accessTokenExpiresAt: number | undefined;
  lastRefreshAt: number | undefined;
  refreshes: number;
  refreshFailures: number;
  lockWaits: number;
  lastError: { status: number; at: number } | undefined;
  lastSeenAt: number;
  /** What Procore last said about this person's own rate-limit window. */
  rateLimit: RateLimitSeen | undefined;
}

export interface RateLimitSeen extends RateLimitState {
  seenAt: number;
}

/** Person records, the people list and instance heartbeats outlive the longest session comfortably. */
const KEEP_MS = 30 * 24 * 3_600_000;
export const INSTANCE_WINDOW_MS = 60_000;
/** Procore statuses worth showing an operator: not accepted, no access, slow down, broken. */
export function isReportableStatus(status: number): boolean {
  return status === 401 || status === 403 || status === 429 || status >= 500;
}

const num = (value: string | undefined): number | undefined => {
  const parsed = Number(value);
  return value !== undefined && value !== '' && Number.isFinite(parsed) ? parsed : undefined;
};

function rateLimitOf(values: Record<string, string>): RateLimitSeen | undefined {
  const [limit, remaining, resetAt, seenAt] = [
    num(values.rateLimitLimit),
    num(values.rateLimitRemaining),
    num(values.rateLimitResetAt),
    num(values.rateLimitSeenAt),
  ];
  if (limit === undefined || remaining === undefined || resetAt === undefined || seenAt === undefined) return undefined;
  return { limit, remaining, resetAt, seenAt };
}

/**
 * Per-person token health, kept in one Redis hash per person (counters by HINCRBY, so every
 * instance adds to the same numbers, and the rate-limit headroom Procore last reported for their
 * token), a list of the people seen and instance heartbeats. Holds no token, only times and counts.
 */
export class TokenHealth {
  readonly instanceId = randomBytes(6).toString('hex');

  constructor(
    private readonly options: {
      redis: RedisClient;
      keys: OperatorKeys;
      /** Live sessions of a person (the session index). */
      countSessions: (userId: number) => Promise<number>;
      now?: () => number;
    },
  ) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  async signedIn(user: { id: number; login: string; name: string }): Promise<void> {
    const { redis, keys } = this.options;
    const now = this.now();
    const key = keys.person(user.id);
    await Promise.all([
      redis
        .multi()
        .hset(key, { id: user.id, login: user.login, name: user.name, lastSeenAt: now })
        .pexpire(key, KEEP_MS)
        .exec(),
      redis.zadd(keys.people, now, String(user.id)),
    ]);
  }

  /** The expiry of a person's newest access token (after a sign-in; refreshes report theirs). */
  async accessTokenExpiry(userId: number, expiresAt: number): Promise<void> {
    const key = this.options.keys.person(userId);
    await this.options.redis.multi().hset(key, { accessTokenExpiresAt: expiresAt }).pexpire(key, KEEP_MS).exec();
  }

  async refreshReported(report: RefreshReport): Promise<void> {
    if (report.ownerId === undefined || report.outcome === 'shared') return;
    const { redis, keys } = this.options;
    const key = keys.person(report.ownerId);
    const now = this.now();
    const tx = redis.multi();
    if (report.outcome === 'refreshed') {
      tx.hincrby(key, 'refreshes', 1).hset(key, {
        lastRefreshAt: now,
        ...(report.expiresAt ? { accessTokenExpiresAt: report.expiresAt } : {}),
      });
    } else if (report.outcome === 'failed') {
      tx.hincrby(key, 'refreshFailures', 1);
      if (report.status !== undefined && isReportableStatus(report.status))
        tx.hset(key, { lastErrorStatus: report.status, lastErrorAt: now });
    } else {
      tx.hincrby(key, 'lockWaits', 1);
    }
    await tx.pexpire(key, KEEP_MS).exec();
  }

  async procoreError(userId: number, status: number): Promise<void> {
    if (!isReportableStatus(status)) return;
    const key = this.options.keys.person(userId);
    await this.options.redis
      .multi()
      .hset(key, { lastErrorStatus: status, lastErrorAt: this.now() })
      .pexpire(key, KEEP_MS)
      .exec();
  }

  /** What Procore's X-Rate-Limit-* headers last said about this person's token. */
  async rateLimitSeen(userId: number, state: RateLimitState): Promise<void> {
    const key = this.options.keys.person(userId);
    const fields = {
      rateLimitLimit: state.limit,
      rateLimitRemaining: state.remaining,
      rateLimitResetAt: state.resetAt,
      rateLimitSeenAt: this.now(),
    };
    await this.options.redis.multi().hset(key, fields).pexpire(key, KEEP_MS).exec();
  }

  /** This instance is alive. */
  async heartbeat(): Promise<void> {
    return callRedis(this.options.redis, async () => {
      const { redis, keys } = this.options;
      const now = this.now();
      await redis.zadd(keys.instances, now, this.instanceId);
      await redis.zremrangebyscore(keys.instances, '-inf', now - KEEP_MS);
      await redis.pexpire(keys.instances, KEEP_MS);
    });
  }

  async instancesSeen(windowMs = INSTANCE_WINDOW_MS): Promise<number> {
    return callRedis(this.options.redis, async () => {
      return this.options.redis.zcount(this.options.keys.instances, this.now() - windowMs, '+inf');
    });
  }

  /** The people seen most recently first, with their counters and live session counts. */
  async people(limit = 200): Promise<PersonHealth[]> {
    return callRedis(this.options.redis, async () => {
      const { redis, keys } = this.options;
      const now = this.now();
      await redis.zremrangebyscore(keys.people, '-inf', now - KEEP_MS);
      const ids = (await redis.zrevrange(keys.people, 0, limit - 1))
        .map(Number)
        .filter((id) => Number.isSafeInteger(id) && id > 0);
      const people = await Promise.all(
        ids.map(async (userId): Promise<PersonHealth | undefined> => {
          const [values, sessions] = await Promise.all([
            redis.hgetall(keys.person(userId)),
            this.options.countSessions(userId),
          ]);
          if (!values.id) return undefined;
          const lastErrorStatus = num(values.lastErrorStatus);
          const lastErrorAt = num(values.lastErrorAt);
          return {
            userId,
            name: values.name ?? '',
            login: values.login ?? '',
            sessions,
            accessTokenExpiresAt: num(values.accessTokenExpiresAt),
            lastRefreshAt: num(values.lastRefreshAt),
            refreshes: num(values.refreshes) ?? 0,
            refreshFailures: num(values.refreshFailures) ?? 0,
            lockWaits: num(values.lockWaits) ?? 0,
            lastError:
              lastErrorStatus !== undefined && lastErrorAt !== undefined
                ? { status: lastErrorStatus, at: lastErrorAt }
                : undefined,
            lastSeenAt: num(values.lastSeenAt) ?? 0,
            rateLimit: rateLimitOf(values),
          };
        }),
      );
      return people.filter((person): person is PersonHealth => person !== undefined);
    });
  }
}
