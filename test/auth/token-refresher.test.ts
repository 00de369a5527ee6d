import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { RedisLock } from '../../src/auth/redis-lock';
import { SignedOutError } from '../../src/auth/signed-out-error';
import { TokenCipher } from '../../src/auth/token-cipher';
import { TokenRefresher, type RefreshDetail, type RefreshOutcome } from '../../src/auth/token-refresher';
import { RedisTokenStore, refreshLockKey, type StoredTokens } from '../../src/auth/token-store';
import { ProcoreError } from '../../src/procore/errors';
import type { TokenSet } from '../../src/procore/token-set';

let redis: Redis;
const prefix = `test:${randomBytes(6).toString('hex')}:`;

beforeAll(() => {
  redis = new Redis(inject('redisUrl'));
});

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

/** A stand-in for Procore's token endpoint that rotates refresh tokens like Procore does. */
function rotatingProcore(options: { delayMs?: number; fail?: ProcoreError } = {}) {
  const calls: string[] = [];
  let valid = new Set(['refresh-0']);
  let counter = 0;
  return {
    calls,
    async refresh(refreshToken: string): Promise<TokenSet> {
      calls.push(refreshToken);
      await new Promise((resolve) => setTimeout(resolve, options.delayMs ?? 0));
      if (options.fail) throw options.fail;
      if (!valid.has(refreshToken)) throw new ProcoreError('invalid_grant', 'refresh token already used', { status: 400 });
      counter += 1;
      valid = new Set([`refresh-${counter}`]);
      return { accessToken: `access-${counter}`, refreshToken: `refresh-${counter}`, expiresAt: Date.now() + 5_400_000, issuedAt: Date.now() };
    },
  };
}

function setUp(procore: ReturnType<typeof rotatingProcore>, overrides: { lockTtlMs?: number; waitTimeoutMs?: number } = {}) {
  const store = new RedisTokenStore(redis, new TokenCipher([randomBytes(32)]), { keyPrefix: prefix, ttlMs: 60_000 });
  const outcomes: RefreshOutcome[] = [];
  const details: Array<RefreshDetail & { outcome: RefreshOutcome }> = [];
  const make = () =>
    new TokenRefresher({
      store,
      oauth: procore,
      lock: new RedisLock(redis),
      keyPrefix: prefix,
      lockTtlMs: overrides.lockTtlMs ?? 5_000,
      waitTimeoutMs: overrides.waitTimeoutMs ?? 8_000,
      pollIntervalMs: 10,
      onOutcome: (outcome, detail) => {
        outcomes.push(outcome);
        details.push({ outcome, ...detail });
      },
    });
  return { store, outcomes, details, make };
}

const expired = (): StoredTokens => ({ accessToken: 'access-0', refreshToken: 'refresh-0', expiresAt: Date.now() - 1_000, issuedAt: Date.now() - 5_401_000, ownerId: 7 });

describe('the token refresher', () => {
  it('when a refresh succeeds and another fails for good, then each outcome names the token set, its owner, the new expiry or the status, and no token', async () => {
    const { store, make, details } = setUp(rotatingProcore());
    const id = store.newId();
    await store.put(id, expired());
    const refreshed = await make().fresh(id);
    const failing = setUp(rotatingProcore({ fail: new ProcoreError('invalid_grant', 'revoked', { status: 401 }) }));
    const doomed = failing.store.newId();
    await failing.store.put(doomed, expired());
    await expect(failing.make().fresh(doomed)).rejects.toBeInstanceOf(SignedOutError);
    expect(details).toEqual([{ outcome: 'refreshed', tokenSetId: id, ownerId: 7, expiresAt: refreshed.expiresAt }]);
    expect(failing.details).toEqual([{ outcome: 'failed', tokenSetId: doomed, ownerId: 7, status: 401, fatal: true }]);
    expect(JSON.stringify([details, failing.details])).not.toMatch(/access-|refresh-/);
  });

  it('when the access token is still fresh, then nothing is refreshed', async () => {
    const procore = rotatingProcore();
    const { store, make } = setUp(procore);
    const id = store.newId();
    await store.put(id, { ...expired(), expiresAt: Date.now() + 3_600_000 });
    expect((await make().fresh(id)).accessToken).toBe('access-0');
    expect(procore.calls).toEqual([]);
  });

  it('when many callers in one process need a refresh at once, then they share one refresh', async () => {
    const procore = rotatingProcore({ delayMs: 50 });
    const { store, make, outcomes } = setUp(procore);
    const id = store.newId();
    await store.put(id, expired());
    const refresher = make();
    const results = await Promise.all(Array.from({ length: 25 }, () => refresher.fresh(id)));
    expect(new Set(results.map((tokens) => tokens.accessToken))).toEqual(new Set(['access-1']));
    expect(procore.calls).toEqual(['refresh-0']);
    expect(outcomes.filter((outcome) => outcome === 'refreshed')).toHaveLength(1);
    expect((await store.get(id))?.refreshToken).toBe('refresh-1');
  });

  it('when several instances need a refresh at once, then the lock lets one refresh and the others wait for its tokens', async () => {
    const procore = rotatingProcore({ delayMs: 200 });
    const { store, make, outcomes } = setUp(procore);
    const id = store.newId();
    await store.put(id, expired());
    const instances = [make(), make(), make(), make()];
    const results = await Promise.all(instances.map((refresher) => refresher.fresh(id)));
    expect(results.map((tokens) => tokens.accessToken)).toEqual(['access-1', 'access-1', 'access-1', 'access-1']);
    expect(procore.calls).toHaveLength(1);
    expect(outcomes).toContain('waited');
    expect(await redis.exists(refreshLockKey(prefix, id))).toBe(0);
  });

  it('when the lock is held by an instance that died, then the next caller refreshes after the lock expires', async () => {
    const procore = rotatingProcore();
    const { store, make } = setUp(procore, { lockTtlMs: 300, waitTimeoutMs: 3_000 });
    const id = store.newId();
    await store.put(id, expired());
    await redis.set(refreshLockKey(prefix, id), 'dead-owner', 'PX', 300);
    const tokens = await make().fresh(id);
    expect(tokens.accessToken).toBe('access-1');
    expect(procore.calls).toEqual(['refresh-0']);
  });

  it('when a lock holder outlives its lease, then it does not release the lock someone else now holds', async () => {
    const lock = new RedisLock(redis);
    const key = `${prefix}lock-ownership`;
    const first = await lock.tryAcquire(key, 50);
    expect(first).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 80));
    const second = await lock.tryAcquire(key, 5_000);
    expect(second).toBeDefined();
    await lock.release(key, first!);
    expect(await redis.get(key)).toBe(second);
  });

  it('when Procore answers invalid_grant, then the token set is deleted and the caller is signed out', async () => {
    const procore = rotatingProcore({ fail: new ProcoreError('invalid_grant', 'revoked', { status: 400 }) });
    const { store, make } = setUp(procore);
    const id = store.newId();
    await store.put(id, expired());
    await expect(make().fresh(id)).rejects.toBeInstanceOf(SignedOutError);
    expect(await store.get(id)).toBeUndefined();
  });

  it('when the refresh times out, then the error is transient and the token set is kept', async () => {
    const procore = rotatingProcore({ fail: new ProcoreError('timeout', 'no answer') });
    const { store, make } = setUp(procore);
    const id = store.newId();
    await store.put(id, expired());
    await expect(make().fresh(id)).rejects.toMatchObject({ code: 'timeout', isTransient: true });
    expect((await store.get(id))?.refreshToken).toBe('refresh-0');
  });

  it('when a rejected access token was already replaced by another request, then no second refresh happens', async () => {
    const procore = rotatingProcore();
    const { store, make } = setUp(procore);
    const id = store.newId();
    await store.put(id, expired());
    const refresher = make();
    await refresher.fresh(id);
    const again = await refresher.replaceRejected(id, 'access-0');
    expect(again.accessToken).toBe('access-1');
    expect(procore.calls).toHaveLength(1);
  });
});
