import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenCipher } from '../../src/procore-auth/token-cipher';
import { RedisTokenStore } from '../../src/procore-auth/token-store';
import { FileLock } from '../../src/cli/file-lock';
import { FileTokenStore } from '../../src/cli/token-file';
import { InMemoryTokenStore } from '../support/in-memory-auth';
import { useTestRedis } from '../support/test-redis';
import { describeTokenStoreContract } from './token-store-contract';

const testRedis = useTestRedis();
let directory: string;
let counter = 0;

beforeAll(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), 'procore-store-contract-'));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

const redisStore = (): RedisTokenStore =>
  new RedisTokenStore(testRedis.redis, new TokenCipher([randomBytes(32)]), {
    keyPrefix: testRedis.prefix,
    ttlMs: 60_000,
  });

const fileStore = (): FileTokenStore =>
  new FileTokenStore({
    path: path.join(directory, `tokens-${(counter += 1)}.json`),
    loginUrl: 'https://login.procore.com',
    clientId: 'contract-client',
  });

describeTokenStoreContract(
  'RedisTokenStore (real Redis, AES-256-GCM)',
  { encryptsAtRest: true, holdsOneSet: false },
  () => ({
    store: redisStore(),
    // The raw value under the token set's key, as anyone reading Redis would see it.
    readAtRest: async (id) => (await testRedis.redis.get(`${testRedis.prefix}tokens:{${id}}`)) ?? undefined,
  }),
);

describeTokenStoreContract(
  "FileTokenStore (the CLI's 0600 token file)",
  { encryptsAtRest: false, holdsOneSet: true },
  () => ({ store: fileStore() }),
);

describeTokenStoreContract('InMemoryTokenStore', { encryptsAtRest: false, holdsOneSet: false }, () => ({
  store: new InMemoryTokenStore(),
}));

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
    const store = redisStore();
    expect(store.lockKeyFor('abc')).toBe(`${testRedis.prefix}refresh-lock:{abc}`);
  });

  it('when a token set is stored, then it expires with the longest a session may live', async () => {
    const store = redisStore();
    const id = store.newId();
    await store.put(id, { accessToken: 'a', refreshToken: 'r', expiresAt: 2, issuedAt: 1, ownerId: 1 });
    const ttl = await testRedis.redis.pttl(`${testRedis.prefix}tokens:{${id}}`);
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('when the stored value was written under another token set id, then it does not decrypt and counts as signed out', async () => {
    const store = redisStore();
    const [victim, attacker] = [store.newId(), store.newId()];
    await store.put(victim, { accessToken: 'a', refreshToken: 'r', expiresAt: 2, issuedAt: 1, ownerId: 1 });
    await testRedis.redis.set(
      `${testRedis.prefix}tokens:{${attacker}}`,
      (await testRedis.redis.get(`${testRedis.prefix}tokens:{${victim}}`))!,
    );
    expect(await store.get(attacker)).toBeUndefined();
  });
});
