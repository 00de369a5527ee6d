import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { RedisLock } from '../../src/procore-auth/redis-lock';
import { FileLock } from '../../src/cli/file-lock';
import { FakeClock } from '../support/fake-clock';
import { InMemoryLock, type HeldLocks } from '../support/in-memory-auth';
import { useTestRedis } from '../support/test-redis';
import { describeLockContract } from './lock-contract';

const testRedis = useTestRedis();
let directory: string;
let counter = 0;
const key = (): string => `${testRedis.prefix}lock-${(counter += 1)}`;

beforeAll(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), 'procore-lock-contract-'));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

// Redis keeps the lease on its own clock: time passes for real there (no wait is over 60 ms).
describeLockContract('RedisLock (real Redis)', () => ({
  makeLock: () => new RedisLock(testRedis.redis),
  key,
  pass: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
}));

describeLockContract('FileLock (lock files in a temporary folder, fake clock)', () => {
  const clock = new FakeClock();
  return {
    makeLock: () => new FileLock({ directory, now: clock.now, sleep: clock.sleep }),
    key: () => `lock-${(counter += 1)}`,
    pass: (ms) => {
      clock.advance(ms);
      return Promise.resolve();
    },
  };
});

describeLockContract('InMemoryLock (fake clock)', () => {
  const clock = new FakeClock();
  const held: HeldLocks = new Map();
  return {
    makeLock: () => new InMemoryLock(clock, held),
    key,
    pass: (ms) => {
      clock.advance(ms);
      return Promise.resolve();
    },
  };
});
