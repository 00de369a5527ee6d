import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileLock } from '../../src/cli/file-lock';

let dir: string;
let lockFile: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'procore-lock-'));
  lockFile = path.join(dir, 'tokens.json.lock');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const lockAt = (now: () => number = Date.now) => new FileLock({ pathFor: () => lockFile, now });

describe('the lock file next to the token file', () => {
  it('when the lock is free, then one holder gets it with its owner and expiry inside, mode 0600', async () => {
    const owner = await lockAt().tryAcquire('k', 5_000);
    expect(owner).toBeTruthy();
    const record = JSON.parse(await readFile(lockFile, 'utf8'));
    expect(record).toMatchObject({ owner, pid: process.pid });
    expect(record.expiresAt).toBeGreaterThan(Date.now());
    expect((await stat(lockFile)).mode & 0o777).toBe(0o600);
  });

  it('when twenty callers race for it, then exactly one gets it', async () => {
    const owners = await Promise.all(Array.from({ length: 20 }, () => lockAt().tryAcquire('k', 5_000)));
    expect(owners.filter(Boolean)).toHaveLength(1);
  });

  it('when someone else holds it, then release by a stranger leaves it and release by the owner frees it', async () => {
    const owner = (await lockAt().tryAcquire('k', 5_000))!;
    await lockAt().release('k', 'someone-else');
    expect(await lockAt().tryAcquire('k', 5_000)).toBeUndefined();
    await lockAt().release('k', owner);
    expect(await lockAt().tryAcquire('k', 5_000)).toBeTruthy();
  });

  it('when the holder died and its lock expired, then it is taken over by exactly one of several waiters', async () => {
    await writeFile(lockFile, JSON.stringify({ owner: 'dead', pid: 999_999, expiresAt: Date.now() - 1 }));
    const owners = await Promise.all(Array.from({ length: 10 }, () => lockAt().tryAcquire('k', 5_000)));
    expect(owners.filter(Boolean)).toHaveLength(1);
    expect(JSON.parse(await readFile(lockFile, 'utf8')).owner).toBe(owners.find(Boolean));
  });

  it('when the lock holds no record yet, then it counts as held until it is older than the lease', async () => {
    await writeFile(lockFile, '');
    expect(await lockAt().tryAcquire('k', 5_000)).toBeUndefined();
    expect(await lockAt(() => Date.now() + 6_000).tryAcquire('k', 5_000)).toBeTruthy();
  });
});
