import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileLock } from '../../src/cli/file-lock';
import { FakeClock } from '../support/fake-clock';

// What every lock does (mutual exclusion, release by owner only, expiry, wait timeout) is in
// test/contract-suites/locks.test.ts; here is what only the lock file does.

let dir: string;
let lockFile: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'procore-lock-'));
  lockFile = path.join(dir, 'k.lock');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const at = (now: () => number = Date.now) => new FileLock({ directory: dir, now });
const once = { ttlMs: 5_000, waitTimeoutMs: 0 };

describe('the lock file next to the token file', () => {
  it('when the lock is free, then one holder gets it with its owner and expiry inside, mode 0600', async () => {
    const lease = await at().acquire('k', once);
    expect(lease).toBeDefined();
    const record = JSON.parse(await readFile(lockFile, 'utf8')) as { owner: string; pid: number; expiresAt: number };
    expect(record).toMatchObject({ owner: lease!.owner, pid: process.pid });
    expect(record.expiresAt).toBeGreaterThan(Date.now());
    expect((await stat(lockFile)).mode & 0o777).toBe(0o600);
  });

  it('when the holder died and its lock expired, then it is taken over by exactly one of several waiters', async () => {
    await writeFile(lockFile, JSON.stringify({ owner: 'dead', pid: 999_999, expiresAt: Date.now() - 1 }));
    const leases = await Promise.all(Array.from({ length: 10 }, () => at().acquire('k', once)));
    expect(leases.filter(Boolean)).toHaveLength(1);
    expect((JSON.parse(await readFile(lockFile, 'utf8')) as { owner: string }).owner).toBe(leases.find(Boolean)!.owner);
  });

  it('when the lock holds no record yet, then it counts as held until it is older than the lease', async () => {
    await writeFile(lockFile, '');
    const clock = new FakeClock(Date.now());
    expect(await at(clock.now).acquire('k', once)).toBeUndefined();
    clock.advance(6_000);
    expect(await at(clock.now).acquire('k', once)).toBeDefined();
  });

  it('when a key is not a plain file name, then the lock refuses it instead of writing elsewhere', async () => {
    await expect(at().acquire('../escape', once)).rejects.toThrow(/plain file name/);
  });
});
