import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import { PollingLock, type LockClock } from '../procore-auth/lock';
import { ensurePrivateDirectory, PRIVATE_FILE_MODE } from './atomic-file';

interface LockRecord {
  owner: string;
  pid: number;
  /** Epoch ms after which anyone may take the lock over. */
  expiresAt: number;
}

export interface FileLockOptions extends LockClock {
  /** Where the lock files live; the lock for `key` is `<directory>/<key>.lock`. */
  directory: string;
}

/** A takeover guard older than this belongs to a process that died mid-takeover. */
const TAKEOVER_GUARD_STALE_MS = 10_000;

/**
 * The command-line tool's lock: a lock file created with O_EXCL (`wx`) holding its owner and
 * expiry. Processes on one machine sharing a token file use it so only one of them spends the
 * single-use refresh token.
 *
 * A lock past its expiry (its holder crashed) may be taken over; the takeover itself is guarded by
 * a second O_EXCL file, so two waiters that both saw the same stale lock cannot both win.
 * Only the owner releases.
 */
export class FileLock extends PollingLock {
  constructor(private readonly options: FileLockOptions) {
    super(options);
  }

  private pathFor(key: string): string {
    if (key === '' || /[/\\\0]/.test(key))
      throw new Error(`A lock key must be a plain file name, not ${JSON.stringify(key)}`);
    return path.join(this.options.directory, `${key}.lock`);
  }

  protected async tryAcquire(key: string, owner: string, ttlMs: number): Promise<boolean> {
    const file = this.pathFor(key);
    await ensurePrivateDirectory(path.dirname(file));
    if (await this.create(file, owner, ttlMs)) return true;
    const holder = await this.read(file, ttlMs);
    if (holder === 'missing') return this.create(file, owner, ttlMs);
    if (holder.expiresAt > this.now()) return false;
    return this.takeOver(file, holder, owner, ttlMs);
  }

  protected async releaseIfOwner(key: string, owner: string): Promise<void> {
    await this.removeIfOwner(this.pathFor(key), owner);
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
        return {
          owner: record.owner,
          pid: typeof record.pid === 'number' ? record.pid : 0,
          expiresAt: record.expiresAt,
        };
      }
    } catch {
      // fall through: not (yet) a record
    }
    return { owner: '', pid: 0, expiresAt: modifiedAt + ttlMs };
  }

  private async takeOver(file: string, stale: LockRecord, owner: string, ttlMs: number): Promise<boolean> {
    const guard = `${file}.takeover`;
    if (!(await this.create(guard, owner, TAKEOVER_GUARD_STALE_MS))) {
      const guardHolder = await this.read(guard, TAKEOVER_GUARD_STALE_MS);
      if (guardHolder !== 'missing' && guardHolder.expiresAt <= this.now()) await fs.rm(guard, { force: true });
      return false; // someone else is taking over; try again on the next poll
    }
    try {
      const current = await this.read(file, ttlMs);
      if (current !== 'missing') {
        // Only remove the very lock we saw expire, not one that was taken over meanwhile.
        if (current.owner !== stale.owner || current.expiresAt > this.now()) return false;
        await fs.rm(file, { force: true });
      }
      return await this.create(file, owner, ttlMs);
    } finally {
      await this.removeIfOwner(guard, owner).catch(() => undefined);
    }
  }
}
