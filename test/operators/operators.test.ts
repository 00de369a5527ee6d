import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger';
import { Operators, sessionHandle, summarizeUserAgent, type RequestContext } from '../../src/operators';
import { csvRow } from '../../src/csv/csv';
import { auditCells } from '../../src/web/admin/audit-rows';
import { LogCapture } from '../support/stack';
import { useTestRedis } from '../support/test-redis';

const testRedis = useTestRedis();
let prefix: string;
let clock: number;
let logs: LogCapture;

const person = { id: 4242, login: 'ops@example.com', name: 'Olga Ops' };
const context: RequestContext = { ip: '203.0.113.9', browser: 'Firefox 140 on Linux', requestId: 'req-1' };

function operators(options: { auditMaxEvents?: number } = {}): Operators {
  return new Operators({
    redis: testRedis.redis,
    keyPrefix: prefix,
    logger: createLogger({ level: 'info', destination: logs }),
    adminUserIds: [person.id],
    idleTimeoutMs: 30 * 60_000,
    absoluteTimeoutMs: 12 * 3_600_000,
    now: () => clock,
    ...options,
  });
}

beforeEach(() => {
  // Each test its own keys: the file's prefix (deleted afterwards) plus a random part.
  prefix = `${testRedis.prefix}${randomBytes(6).toString('hex')}:`;
  clock = Date.UTC(2026, 11, 1, 12, 0, 0);
  logs = new LogCapture();
});

describe('the audit trail', () => {
  it('when 20,000 events are written, then the stream stays within its bound and pages newest first without gaps', async () => {
    const ops = operators({ auditMaxEvents: 10_000 });
    for (let batch = 0; batch < 40; batch += 1) {
      await Promise.all(
        Array.from({ length: 500 }, (_, index) => {
          clock += 1;
          return ops.audit.record(
            { type: 'sign-in', userId: person.id, login: person.login, detail: String(batch * 500 + index) },
            context,
          );
        }),
      );
    }
    const length = await ops.audit.length();
    expect(length).toBeGreaterThanOrEqual(10_000);
    // MAXLEN ~ trims whole stream nodes (100 entries each by default): never far above the bound.
    expect(length).toBeLessThanOrEqual(10_100);

    const first = await ops.audit.page({ count: 50 });
    expect(first.events).toHaveLength(50);
    expect(first.events[0]!.detail).toBe('19999');
    const second = await ops.audit.page({ before: first.older, count: 50 });
    expect(second.events[0]!.detail).toBe('19949');
    expect(second.events.every((event, index) => index === 0 || event.at <= second.events[index - 1]!.at)).toBe(true);
    let all = 0;
    for await (const event of ops.audit.all()) {
      expect(event.type).toBe('sign-in');
      all += 1;
    }
    expect(all).toBe(length);
  }, 120_000);

  it('when an event is recorded, then it is a log line too and keeps only short printable text', async () => {
    const ops = operators();
    await ops.signInRefused(
      { ip: '198.51.100.7', browser: 'Chrome 156 on Linux', requestId: 'abc' },
      'invalid_grant\u0000<script>',
    );
    const [event] = (await ops.audit.page({ count: 10 })).events;
    expect(event).toMatchObject({
      type: 'sign-in-refused',
      detail: 'invalid_grantscript',
      ip: '198.51.100.7',
      requestId: 'abc',
      at: clock,
    });
    expect(logs.text).toContain('"audit"');
    expect(logs.text).toContain('audit: sign-in-refused');
  });
});

describe('the audit trail as CSV', () => {
  it('when a login or detail starts like a spreadsheet formula, then the CSV cell is neutralised and the page text is the same', async () => {
    const ops = operators();
    await ops.audit.record(
      { type: 'sign-in', userId: 1, login: '@SUM(A1:A9)', detail: '-2+3' },
      { ...context, browser: '+Chrome' },
    );
    const [event] = (await ops.audit.page({ count: 1 })).events;
    const cells = auditCells(event!);
    expect(cells.slice(2)).toEqual(['@SUM(A1:A9)', '1', context.ip, '+Chrome', context.requestId, '-2+3']);
    expect(csvRow(cells)).toBe(
      `${cells[0]},Signed in,'@SUM(A1:A9),1,${context.ip},'+Chrome,${context.requestId},'-2+3\r\n`,
    );
  });
});

describe('the per-person session index', () => {
  it('when sessions are added, touched and expire, then the list shows only live ones and prunes the rest', async () => {
    const ops = operators();
    await ops.signedIn(context, {
      user: person,
      sid: 'sid-one',
      tokenSetId: 'ts-one',
      signedInAt: clock,
      accessTokenExpiresAt: clock + 5_400_000,
    });
    clock += 1_000;
    await ops.signedIn(
      { ...context, ip: '192.0.2.1' },
      {
        user: person,
        sid: 'sid-two',
        tokenSetId: 'ts-two',
        signedInAt: clock,
        accessTokenExpiresAt: clock + 5_400_000,
      },
    );
    expect((await ops.sessions.list(person.id)).map((session) => session.handle)).toEqual([
      sessionHandle('sid-two'),
      sessionHandle('sid-one'),
    ]);

    // Session one stays active (touched every 20 minutes), session two goes idle and expires.
    for (let step = 0; step < 3; step += 1) {
      clock += 20 * 60_000;
      ops.activity(person, 'sid-one', clock - 3_600_000, '203.0.113.10');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const listed = await ops.sessions.list(person.id);
    expect(listed.map((session) => session.handle)).toEqual([sessionHandle('sid-one')]);
    expect(listed[0]).toMatchObject({ lastIp: '203.0.113.10', lastActiveAt: clock, browser: context.browser });
    expect(await testRedis.redis.hkeys(`${prefix}user-session-info:{user:${person.id}}`)).toEqual(
      expect.not.arrayContaining([sessionHandle('sid-two')]),
    );
    expect(await ops.sessions.count(person.id)).toBe(1);
  });

  it('when activity comes many times a minute, then Redis is written at most once a minute per session', async () => {
    const ops = operators();
    await ops.signedIn(context, {
      user: person,
      sid: 'sid-a',
      tokenSetId: 'ts-a',
      signedInAt: clock,
      accessTokenExpiresAt: clock,
    });
    const before = (await ops.sessions.list(person.id))[0]!.lastActiveAt;
    clock += 61_000;
    ops.activity(person, 'sid-a', before, '203.0.113.1');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const touched = clock;
    clock += 30_000;
    ops.activity(person, 'sid-a', before, '203.0.113.2');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await ops.sessions.list(person.id))[0]).toMatchObject({ lastActiveAt: touched, lastIp: '203.0.113.1' });
  });

  it('when activity comes within the minute, then its client address is not even worked out; once recorded, a function gives the address', async () => {
    const ops = operators();
    await ops.signedIn(context, {
      user: person,
      sid: 'sid-b',
      tokenSetId: 'ts-b',
      signedInAt: clock,
      accessTokenExpiresAt: clock,
    });
    clock += 61_000;
    const asked: string[] = [];
    const address = (ip: string) => () => (asked.push(ip), ip);
    ops.activity(person, 'sid-b', clock, address('203.0.113.7'));
    clock += 30_000;
    ops.activity(person, 'sid-b', clock, address('203.0.113.8'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(asked).toEqual(['203.0.113.7']);
    expect((await ops.sessions.list(person.id))[0]).toMatchObject({ lastIp: '203.0.113.7' });
  });

  it('when another session is ended, then its session is destroyed, its tokens revoked, it leaves the index and the audit trail says so', async () => {
    const ops = operators();
    await ops.signedIn(context, {
      user: person,
      sid: 'sid-here',
      tokenSetId: 'ts-here',
      signedInAt: clock,
      accessTokenExpiresAt: clock,
    });
    await ops.signedIn(context, {
      user: person,
      sid: 'sid-there',
      tokenSetId: 'ts-there',
      signedInAt: clock,
      accessTokenExpiresAt: clock,
    });
    const destroyed: string[] = [];
    const revoked: string[] = [];
    const ender = {
      destroySession: (sid: string) => Promise.resolve(void destroyed.push(sid)),
      revokeTokens: (id: string) => Promise.resolve((revoked.push(id), 'revoked' as const)),
    };
    expect(await ops.endOneOtherSession(context, person, sessionHandle('sid-here'), 'sid-here', ender)).toBe(false);
    expect(
      await ops.endOneOtherSession(context, { ...person, id: 7 }, sessionHandle('sid-there'), 'sid-x', ender),
    ).toBe(false);
    expect(await ops.endOtherSessions(context, person, 'sid-here', ender)).toBe(1);
    expect(destroyed).toEqual(['sid-there']);
    expect(revoked).toEqual(['ts-there']);
    expect((await ops.sessions.list(person.id)).map((session) => session.handle)).toEqual([sessionHandle('sid-here')]);
    expect((await ops.audit.page({ count: 1 })).events[0]).toMatchObject({
      type: 'session-ended-elsewhere',
      userId: person.id,
    });
  });
});

describe('token health', () => {
  it("when refreshes succeed, fail and wait and Procore errors arrive, then the person's counters add up across instances", async () => {
    const first = operators();
    const second = operators();
    await first.signedIn(context, {
      user: person,
      sid: 's1',
      tokenSetId: 't1',
      signedInAt: clock,
      accessTokenExpiresAt: clock + 1_000,
    });
    await first.health.refreshReported({ outcome: 'refreshed', ownerId: person.id, expiresAt: clock + 5_400_000 });
    await second.health.refreshReported({ outcome: 'refreshed', ownerId: person.id, expiresAt: clock + 5_500_000 });
    await second.health.refreshReported({ outcome: 'failed', ownerId: person.id, status: 503 });
    await first.health.refreshReported({ outcome: 'waited', ownerId: person.id });
    await first.health.refreshReported({ outcome: 'shared' });
    await second.health.procoreError(person.id, 404);
    await first.health.heartbeat();
    await second.health.rateLimitSeen(person.id, { limit: 3600, remaining: 3500, resetAt: clock + 60_000 });
    await second.health.heartbeat();
    const [health] = await first.health.people();
    expect(health).toMatchObject({
      userId: person.id,
      login: person.login,
      name: person.name,
      sessions: 1,
      refreshes: 2,
      refreshFailures: 1,
      lockWaits: 1,
      accessTokenExpiresAt: clock + 5_500_000,
      lastRefreshAt: clock,
      lastError: { status: 503, at: clock },
      rateLimit: { limit: 3600, remaining: 3500, resetAt: clock + 60_000, seenAt: clock },
    });
    expect(await first.health.instancesSeen()).toBe(2);
    clock += 61_000;
    expect(await first.health.instancesSeen()).toBe(0);
    expect(first.isOperator(person.id)).toBe(true);
    expect(first.isOperator(1)).toBe(false);
    expect(first.isOperator(undefined)).toBe(false);
  });
});

describe('user-agent summaries', () => {
  it('when a browser, a phone, a script or nothing sends a User-Agent, then the summary is short and honest', () => {
    expect(
      summarizeUserAgent(
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36',
      ),
    ).toBe('Chrome 156 on Linux');
    expect(
      summarizeUserAgent(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
      ),
    ).toBe('Safari 17 on iOS');
    expect(summarizeUserAgent('curl/8.5.0')).toBe('Unknown browser');
    expect(summarizeUserAgent(undefined)).toBe('Unknown browser');
    expect(summarizeUserAgent('x'.repeat(10_000)).length).toBeLessThanOrEqual(80);
  });
});
