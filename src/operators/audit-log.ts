import type { Logger } from 'pino';
import { callRedis, type RedisClient } from '../redis';

export const AUDIT_EVENT_TYPES = {
  'sign-in': 'Signed in',
  'sign-in-refused': 'Sign-in refused',
  'sign-out': 'Signed out',
  'session-ended-elsewhere': 'Session ended from another session',
  'refresh-failed': 'Refresh failed (must sign in again)',
  'token-revoked': 'Token revoked',
} as const;

export type AuditEventType = keyof typeof AUDIT_EVENT_TYPES;

/** Where an event came from: filled in by the web adapter from the request. */
export interface RequestContext {
  /** The client address as TRUST_PROXY sees it (req.ip). */
  ip: string | undefined;
  /** A short summary ("Chrome 156 on Linux"), never the raw header. */
  browser: string;
  requestId: string | undefined;
}

export interface AuditEventInput {
  type: AuditEventType;
  userId?: number;
  login?: string;
  /** A short reason (an OAuth error code, an HTTP status); never a token or code. */
  detail?: string;
}

export interface AuditEvent extends AuditEventInput {
  /** The stream entry id: the paging cursor. */
  id: string;
  at: number;
  ip: string;
  browser: string;
  requestId: string;
}

export interface AuditPage {
  events: AuditEvent[];
  /** Cursor for the next (older) page, when there is one. */
  older: string | undefined;
}

export const DEFAULT_AUDIT_MAX_EVENTS = 10_000;
const STREAM_ID = /^\d{1,15}-\d{1,10}$/;
const FIELD_LIMIT = 200;

/** Only short, printable text goes into the stream: nothing that could carry a secret by accident. */
function field(value: string | number | undefined): string {
  if (value === undefined) return '';
  return String(value)
    .replace(/[^\p{L}\p{N} @.,:;()/_+-]/gu, '')
    .slice(0, FIELD_LIMIT);
}

export function isAuditCursor(value: unknown): value is string {
  return typeof value === 'string' && STREAM_ID.test(value);
}

/**
 * The sign-in audit trail: one Redis stream shared by every instance (one key, so Cluster-safe),
 * capped at about `maxEvents` entries (XADD MAXLEN ~: Redis trims whole nodes, so the stream may
 * hold a little more, never unboundedly more). Each event is also written as a pino log line.
 */
export class AuditLog {
  private readonly maxEvents: number;

  constructor(
    private readonly options: {
      redis: RedisClient;
      key: string;
      logger: Logger;
      now?: () => number;
      maxEvents?: number;
    },
  ) {
    this.maxEvents = options.maxEvents ?? DEFAULT_AUDIT_MAX_EVENTS;
  }

  /** Writes the event; a Redis failure is logged, never thrown (auditing must not break sign-in). */
  async record(event: AuditEventInput, context: RequestContext): Promise<void> {
    const at = (this.options.now ?? Date.now)();
    const entry = {
      type: event.type,
      at: String(at),
      userId: field(event.userId),
      login: field(event.login),
      ip: field(context.ip),
      browser: field(context.browser),
      requestId: field(context.requestId),
      detail: field(event.detail),
    };
    this.options.logger.info({ audit: { ...entry, at: new Date(at).toISOString() } }, `audit: ${event.type}`);
    try {
      await this.options.redis.xadd(
        this.options.key,
        'MAXLEN',
        '~',
        this.maxEvents,
        '*',
        ...Object.entries(entry).flat(),
      );
    } catch (error) {
      this.options.logger.warn({ err: error, auditType: event.type }, 'could not write an audit event to Redis');
    }
  }

  /** Newest first; `before` is the id of the last event of the previous page. */
  async page(options: { before?: string; count: number }): Promise<AuditPage> {
    return callRedis(this.options.redis, async () => {
      const end = options.before && isAuditCursor(options.before) ? `(${options.before}` : '+';
      const entries = await this.options.redis.xrevrange(this.options.key, end, '-', 'COUNT', options.count + 1);
      const events = entries.slice(0, options.count).map(([id, fields]) => toEvent(id, fields));
      return { events, older: entries.length > options.count ? events.at(-1)?.id : undefined };
    });
  }

  /** Every event, newest first, a batch at a time (for the CSV download). */
  async *all(batchSize = 500): AsyncGenerator<AuditEvent> {
    let before: string | undefined;
    for (;;) {
      const { events, older } = await this.page({ before, count: batchSize });
      yield* events;
      if (!older) return;
      before = older;
    }
  }

  length(): Promise<number> {
    return this.options.redis.xlen(this.options.key);
  }
}

function toEvent(id: string, fields: string[]): AuditEvent {
  const values = new Map<string, string>();
  for (let index = 0; index + 1 < fields.length; index += 2) values.set(fields[index]!, fields[index + 1]!);
  const type = values.get('type') ?? 'unknown';
  const userId = Number(values.get('userId'));
  return {
    id,
    type: type as AuditEventType,
    at: Number(values.get('at')) || Number(id.split('-')[0]),
    userId: Number.isSafeInteger(userId) && userId > 0 ? userId : undefined,
    login: values.get('login') || undefined,
    ip: values.get('ip') ?? '',
    browser: values.get('browser') ?? '',
    requestId: values.get('requestId') ?? '',
    detail: values.get('detail') || undefined,
  };
}
