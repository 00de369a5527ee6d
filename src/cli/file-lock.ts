import { randomBytes } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import type { DistributedLock } from '../auth/redis-lock';
import { ensurePrivateDirectory, PRIVATE_FILE_MODE } from './atomic-file';

interface LockRecord {
  owner: string;
  pid: number;
  /** Epoch ms after which anyone may take the lock over. */
  expiresAt: number;
}

export interface FileLockOptions {
  /** Where the lock for `key` lives (e.g. next to the token file it protects). */
  pathFor: (key: string) => string;
  now?: () => number;
}

/** A takeover guard older than this belongs to a process that died mid-takeover. */
const TAKEOVER_GUARD_STALE_MS = 10_000;

/**
 * The command-line tool's DistributedLock: a lock file created with O_EXCL (`wx`) holding its
 * owner and expiry. Processes on one machine sharing a token file use it so only one of them
 * spends the single-use refresh token.
 *
 * A lock past its expiry (its holder crashed) may be taken over; the takeover itself is guarded by
 * a second O_EXCL file, so two waiters that both saw the same stale lock cannot both win.
 * Only the owner releases.
 */
export class FileLock implements DistributedLock {
  private readonly now: () => number;

  constructor(private readonly options: FileLockOptions) {
    this.now = options.now ?? Date.now;
  }

  async tryAcquire(key: string, ttlMs: number): Promise<string | undefined> {
    const file = this.options.pathFor(key);
    await ensurePrivateDirectory(path.dirname(file));
    const owner = randomBytes(16).toString('base64url');
    if (await this.create(file, owner, ttlMs)) return owner;
    const holder = await this.read(file, ttlMs);
    if (holder === 'missing') return (await this.create(file, owner, ttlMs)) ? owner : undefined;
    if (holder.expiresAt > this.now()) return undefined;
    return this.takeOver(file, holder, owner, ttlMs);
  }

  async release(key: string, owner: string): Promise<void> {
    await this.removeIfOwner(this.options.pathFor(key), owner);
  }

  private async removeIfOwner(file: string, owner: string): Promise<void> {
    const holder = await this.read(file, Number.POSITIVE_INFINITY);
    if (holder !== 'missing' && holder.owner === owner) await fs.rm(file, { force: true });
  }

  /** Creates the lock file only if there is none (O_EXCL); true when we now hold it. */
  private async create(file: string, owner: string, ttlMs: number): Promise<boolean> {
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, PRIVATE_FILE_MODE);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
    try {
      const record: LockRecord = { owner, pid: process.pid, expiresAt: this.now() + ttlMs };
      await handle.writeFile(JSON.stringify(record), 'utf8');
    } finally {
      await handle.close();
    }
    return true;
  }

  /**
   * The current holder. A file without a readable record (its creator is between open and write,
   * or died there) counts as held until it is older than `ttlMs`.
   */
  private async read(file: string, ttlMs: number): Promise<LockRecord | 'missing'> {
    let text: string;
    let modifiedAt: number;
    try {
      [text, modifiedAt] = await Promise.all([fs.readFile(file, 'utf8'), fs.stat(file).then((stat) => stat.mtimeMs)]);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
      throw error;
    }
    try {
      const record = JSON.parse(text) as Partial<LockRecord>;
      if (typeof record.owner === 'string' && typeof record.expiresAt === 'number') {
        return { owner: record.owner, pid: typeof record.pid === 'number' ? record.pid : 0, expiresAt: record.expiresAt };
      }
    } catch {
      // fall through: not (yet) a record
    }
    return { owner: '', pid: 0, expiresAt: modifiedAt + ttlMs };
  }

  private async takeOver(file: string, stale: LockRecord, owner: string, ttlMs: number): Promise<string | undefined> {
    const guard = `${file}.takeover`;
    if (!(await this.create(guard, owner, TAKEOVER_GUARD_STALE_MS))) {
      const guardHolder = await this.read(guard, TAKEOVER_GUARD_STALE_MS);
      if (guardHolder !== 'missing' && guardHolder.expiresAt <= this.now()) await fs.rm(guard, { force: true });
      return undefined; // someone else is taking over; try again on the next poll
    }
    try {
      const current = await this.read(file, ttlMs);
      if (current !== 'missing') {
        // Only remove the very lock we saw expire, not one that was taken over meanwhile.
        if (current.owner !== stale.owner || current.expiresAt > this.now()) return undefined;
        await fs.rm(file, { force: true });
      }
      return (await this.create(file, owner, ttlMs)) ? owner : undefined;
    } finally {
      await this.removeIfOwner(guard, owner).catch(() => undefined);
    }
  }
}
