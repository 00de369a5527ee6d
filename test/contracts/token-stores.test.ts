import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TokenCipher } from '../../src/auth/token-cipher';
import { RedisTokenStore } from '../../src/auth/token-store';
import { FileLock } from '../../src/cli/file-lock';
import { FileTokenStore } from '../../src/cli/token-file';
import { InMemoryTokenStore } from '../support/in-memory-auth';
import { describeTokenStoreContract } from './token-store-contract';

const prefix = `test:${randomBytes(6).toString('hex')}:`;
let redis: Redis;
let directory: string;
let counter = 0;

beforeAll(async () => {
  redis = new Redis(inject('redisUrl'));
  directory = await mkdtemp(path.join(os.tmpdir(), 'procore-store-contract-'));
});

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  await rm(directory, { recursive: true, force: true });
});

const fileStore = (): FileTokenStore =>
  new FileTokenStore({ path: path.join(directory, `tokens-${(counter += 1)}.json`), loginUrl: 'https://login.procore.com', clientId: 'contract-client' });

describeTokenStoreContract('RedisTokenStore (real Redis, AES-256-GCM)', { encryptsAtRest: true, holdsOneSet: false }, () => ({
  store: new RedisTokenStore(redis, new TokenCipher([randomBytes(32)]), { keyPrefix: prefix, ttlMs: 60_000 }),
  // The raw value under the token set's key, as anyone reading Redis would see it.
  readAtRest: async (id) => (await redis.get(`${prefix}tokens:{${id}}`)) ?? undefined,
}));

describeTokenStoreContract("FileTokenStore (the CLI's 0600 token file)", { encryptsAtRest: false, holdsOneSet: true }, () => ({ store: fileStore() }));

describeTokenStoreContract('InMemoryTokenStore', { encryptsAtRest: false, holdsOneSet: false }, () => ({ store: new InMemoryTokenStore() }));

describe("the CLI's token file and its lock", () => {
  it('when the refresh lock of the token file is taken, then its lock file sits next to the token file', async () => {
    const store = fileStore();
    const lock = new FileLock({ directory: path.dirname(store.path) });
    const lease = await lock.acquire(store.lockKeyFor(store.newId()), { ttlMs: 5_000, waitTimeoutMs: 0 });
    expect(lease).toBeDefined();
    expect((await stat(`${store.path}.lock`)).isFile()).toBe(true);
    await lock.release(lease!);
  });
});

describe('the Redis token store', () => {
  it('when a token set is stored, then its key shares a Redis Cluster hash tag with its refresh lock', () => {
    const store = new RedisTokenStore(redis, new TokenCipher([randomBytes(32)]), { keyPrefix: prefix, ttlMs: 60_000 });
    expect(store.lockKeyFor('abc')).toBe(`${prefix}refresh-lock:{abc}`);
  });

  it('when a token set is stored, then it expires with the longest a session may live', async () => {
    const store = new RedisTokenStore(redis, new TokenCipher([randomBytes(32)]), { keyPrefix: prefix, ttlMs: 60_000 });
    const id = store.newId();
    await store.put(id, { accessToken: 'a', refreshToken: 'r', expiresAt: 2, issuedAt: 1, ownerId: 1 });
    const ttl = await redis.pttl(`${prefix}tokens:{${id}}`);
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('when the stored value was written under another token set id, then it does not decrypt and counts as signed out', async () => {
    const store = new RedisTokenStore(redis, new TokenCipher([randomBytes(32)]), { keyPrefix: prefix, ttlMs: 60_000 });
    const [victim, attacker] = [store.newId(), store.newId()];
    await store.put(victim, { accessToken: 'a', refreshToken: 'r', expiresAt: 2, issuedAt: 1, ownerId: 1 });
    await redis.set(`${prefix}tokens:{${attacker}}`, (await redis.get(`${prefix}tokens:{${victim}}`))!);
    expect(await store.get(attacker)).toBeUndefined();
  });
});
