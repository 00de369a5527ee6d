import type { Logger } from 'pino';
import type { RedisClient } from '../redis';
import type { RateLimitState } from '../procore/types';
import { AuditLog, type AuditEventType, type RequestContext } from './audit-log';
import { operatorKeys, type OperatorKeys } from './keys';
import { ACTIVITY_INTERVAL_MS, sessionHandle, SignedInSessions } from './signed-in-sessions';
import { TokenHealth, type RefreshReport } from './token-health';

export {
  AUDIT_EVENT_TYPES,
  AuditLog,
  isAuditCursor,
  type AuditEvent,
  type AuditEventType,
  type AuditPage,
  type RequestContext,
} from './audit-log';
export { isSessionHandle, sessionHandle, SignedInSessions, type ListedSession } from './signed-in-sessions';
export { TokenHealth, type PersonHealth, type RateLimitSeen, type RefreshReport } from './token-health';
export { summarizeUserAgent } from './user-agent';

export interface OperatorsOptions {
  redis: RedisClient;
  keyPrefix: string;
  logger: Logger;
  adminUserIds: readonly number[];
  idleTimeoutMs: number;
  absoluteTimeoutMs: number;
  now?: () => number;
  auditMaxEvents?: number;
}

export interface Person {
  id: number;
  login: string;
  name: string;
}

/** How a session is ended for good; the web layer supplies both (session store, token sign-out). */
export interface SessionEnder {
  destroySession(sid: string): Promise<void>;
  /** Revokes the token set at Procore and deletes it here; says how that went. */
  revokeTokens(tokenSetId: string): Promise<'revoked' | 'already_gone' | 'revoke_failed'>;
}

const MAX_TRACKED_ACTIVITY = 50_000;
/** A person's rate-limit headroom reaches Redis at most this often per instance. */
const RATE_LIMIT_REPORT_MS = 5_000;

/**
 * The operators component: audit trail, token health, each person's session index, and who may
 * see /admin. Express-free; the web adapters turn requests into a `RequestContext`. Recording never
 * throws: a Redis problem is logged and the person's request goes on.
 */
export class Operators {
  readonly audit: AuditLog;
  readonly health: TokenHealth;
  readonly sessions: SignedInSessions;
  private readonly admins: ReadonlySet<number>;
  private readonly lastActivity = new Map<string, number>();
  private readonly lastRateLimitReport = new Map<number, number>();
  private lastHeartbeat = -Infinity;
  private readonly keys: OperatorKeys;

  constructor(private readonly options: OperatorsOptions) {
    const keys = operatorKeys(options.keyPrefix);
    this.keys = keys;
    const { redis, now, logger } = options;
    this.audit = new AuditLog({ redis, key: keys.audit, logger, now, maxEvents: options.auditMaxEvents });
    this.sessions = new SignedInSessions({
      redis,
      keys,
      idleTimeoutMs: options.idleTimeoutMs,
      absoluteTimeoutMs: options.absoluteTimeoutMs,
      now,
    });
    this.health = new TokenHealth({ redis, keys, now, countSessions: (userId) => this.sessions.count(userId) });
    this.admins = new Set(options.adminUserIds);
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  isOperator(userId: number | undefined): boolean {
    return userId !== undefined && this.admins.has(userId);
  }

  private async safely(what: string, work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.options.logger.warn({ err: error }, `operators: could not record ${what}`);
    }
  }

  /** Records a new session (the index, the person, the audit trail) and its access token's expiry. */
  async signedIn(
    context: RequestContext,
    signIn: { user: Person; sid: string; tokenSetId: string; signedInAt: number; accessTokenExpiresAt: number },
  ): Promise<void> {
    const { user } = signIn;
    await this.safely('a sign-in', () =>
      Promise.all([
        this.sessions.add(user.id, {
          handle: sessionHandle(signIn.sid),
          sid: signIn.sid,
          tokenSetId: signIn.tokenSetId,
          signedInAt: signIn.signedInAt,
          browser: context.browser,
          ip: context.ip ?? '',
        }),
        this.health.signedIn(user),
        this.audit.record({ type: 'sign-in', userId: user.id, login: user.login }, context),
      ]),
    );
    await this.safely('an access-token expiry', () =>
      this.health.accessTokenExpiry(user.id, signIn.accessTokenExpiresAt),
    );
  }

  async signInRefused(context: RequestContext, oauthError: string): Promise<void> {
    await this.audit.record({ type: 'sign-in-refused', detail: oauthError }, context);
  }

  async signedOut(context: RequestContext, user: Person, sid: string, detail?: string): Promise<void> {
    await this.safely('a sign-out', () => this.sessions.remove(user.id, sessionHandle(sid)));
    this.lastActivity.delete(sid);
    await this.audit.record({ type: 'sign-out', userId: user.id, login: user.login, detail }, context);
  }

  /** Procore ended the grant: the refresh failed for good, or Procore no longer accepts the tokens. */
  async signedOutByProcore(
    context: RequestContext,
    user: Person,
    sid: string,
    type: Extract<AuditEventType, 'refresh-failed' | 'token-revoked'>,
    detail?: string,
  ): Promise<void> {
    await this.safely('an ended session', () => this.sessions.remove(user.id, sessionHandle(sid)));
    await this.audit.record({ type, userId: user.id, login: user.login, detail }, context);
  }

  refreshReported(report: RefreshReport): void {
    void this.safely('a refresh', () => this.health.refreshReported(report));
  }

  procoreError(userId: number, status: number): void {
    void this.safely('a Procore error', () => this.health.procoreError(userId, status));
  }

  /**
   * Coarse: at most once a minute per session and instance; never waits for Redis. `ip` may be a
   * function: the address is then worked out only when the activity is recorded, not on every request.
   */
  activity(user: Person, sid: string, signedInAt: number, ip: string | undefined | (() => string | undefined)): void {
    const now = this.now();
    // Keyed by the session id itself (memory only): no hashing on the way of every request.
    if (now - (this.lastActivity.get(sid) ?? -Infinity) < ACTIVITY_INTERVAL_MS) return;
    if (this.lastActivity.size >= MAX_TRACKED_ACTIVITY) this.lastActivity.clear();
    this.lastActivity.set(sid, now);
    const address = typeof ip === 'function' ? ip() : ip;
    void this.safely('session activity', () =>
      this.sessions.touch(user.id, sessionHandle(sid), { signedInAt, ip: address ?? '' }),
    );
  }

  /** Coarse: at most every 15 seconds per instance. */
  heartbeat(): void {
    const now = this.now();
    if (now - this.lastHeartbeat < 15_000) return;
    this.lastHeartbeat = now;
    void this.safely('a heartbeat', () => this.health.heartbeat());
  }

  /** Coarse: a person's rate-limit headroom at most every RATE_LIMIT_REPORT_MS per instance; never waits for Redis. */
  rateLimitSeen(userId: number, state: RateLimitState): void {
    const now = this.now();
    if (now - (this.lastRateLimitReport.get(userId) ?? -Infinity) < RATE_LIMIT_REPORT_MS) return;
    if (this.lastRateLimitReport.size >= MAX_TRACKED_ACTIVITY) this.lastRateLimitReport.clear();
    this.lastRateLimitReport.set(userId, now);
    void this.safely('a rate limit', () => this.health.rateLimitSeen(userId, state));
  }

  /**
   * Ends one of `user`'s sessions other than `currentSid`: its session is destroyed (its next
   * request is signed out, on any instance), its tokens revoked at Procore and deleted.
   * Returns false when there is no such session (already ended, or not this person's).
   */
  async endOneOtherSession(
    context: RequestContext,
    user: Person,
    handle: string,
    currentSid: string,
    ender: SessionEnder,
  ): Promise<boolean> {
    if (handle === sessionHandle(currentSid)) return false;
    const record = await this.sessions.get(user.id, handle);
    if (!record) return false;
    await ender.destroySession(record.sid);
    await this.sessions.remove(user.id, handle);
    // Kept as long as the ended session could have lasted: its browser is told why, whenever it comes back.
    await this.safely('an ended session', () =>
      this.options.redis.set(
        this.keys.endedElsewhere(handle),
        '1',
        'PX',
        this.options.absoluteTimeoutMs + this.options.idleTimeoutMs,
      ),
    );
    let detail: string;
    try {
      const outcome = await ender.revokeTokens(record.tokenSetId);
      detail = {
        revoked: 'tokens revoked at Procore',
        already_gone: 'its tokens were already gone',
        revoke_failed: 'revocation at Procore failed; tokens deleted here',
      }[outcome];
    } catch (error) {
      this.options.logger.warn({ err: error, userId: user.id }, "could not sign the ended session's tokens out");
      detail = 'its tokens could not be signed out (they expire with the session)';
    }
    await this.audit.record(
      { type: 'session-ended-elsewhere', userId: user.id, login: user.login, detail: `${record.browser}, ${detail}` },
      context,
    );
    return true;
  }

  /**
   * Whether the session with this handle was ended from another of its person's sessions (`/account`);
   * asked once, when its browser next comes back signed out. False when Redis cannot say.
   */
  async wasEndedElsewhere(handle: string): Promise<boolean> {
    try {
      return (await this.options.redis.del(this.keys.endedElsewhere(handle))) === 1;
    } catch (error) {
      this.options.logger.warn({ err: error }, 'operators: could not read whether a session was ended elsewhere');
      return false;
    }
  }

  /** Every session of `user` but the current one; returns how many were ended. */
  async endOtherSessions(
    context: RequestContext,
    user: Person,
    currentSid: string,
    ender: SessionEnder,
  ): Promise<number> {
    const current = sessionHandle(currentSid);
    const others = (await this.sessions.list(user.id)).filter((session) => session.handle !== current);
    let ended = 0;
    for (const session of others)
      if (await this.endOneOtherSession(context, user, session.handle, currentSid, ender)) ended += 1;
    return ended;
  }
}
