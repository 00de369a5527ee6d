import { promisify } from 'node:util';
import { brotliCompress, brotliDecompress, constants as zlibConstants } from 'node:zlib';
import type { Lock, LockTiming } from '../procore-auth';
import { callRedis, type RedisClient } from '../redis';
import { isProcoreError, type ProcoreError } from '../procore/errors';

const brotliCompressAsync = promisify(brotliCompress);
const brotliDecompressAsync = promisify(brotliDecompress);

/**
 * Cached lists are stored Brotli-compressed: a 10,000-project list of 1.2 MB becomes about 170 KB.
 * Quality 5 measured best here (bench/, docs/production.md): smaller than gzip at level 6 or 9
 * and faster to write (43 against 58 ms for 10,000 projects); reading back takes about 10 ms and
 * happens only when the copy changed, never on a page view served from memory. Off the event loop.
 */
const BROTLI_QUALITY = 5;

function compress(text: string): Promise<Buffer> {
  const bytes = Buffer.from(text, 'utf8');
  return brotliCompressAsync(bytes, {
    params: {
      [zlibConstants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
      [zlibConstants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      [zlibConstants.BROTLI_PARAM_MODE]: zlibConstants.BROTLI_MODE_TEXT,
    },
  });
}

async function decompress(bytes: Buffer): Promise<string> {
  return (await brotliDecompressAsync(bytes)).toString('utf8');
}

/** How one kind of cached value is written to Redis and read back. */
export interface CacheCodec<V> {
  encode(value: V): string;
  decode(text: string): V;
  /** Counts towards the in-memory bound (e.g. number of projects). */
  size(value: V): number;
}

export interface CacheHit<V> {
  kind: 'value';
  value: V;
  /** Epoch ms when the load that read this copy from Procore began. */
  fetchedAt: number;
  /** True when Procore failed and this is an older copy kept for exactly that case. */
  stale: boolean;
}

/** The load is still running after `waitMs`: the caller shows a loading page and asks again. */
export interface CachePending {
  kind: 'pending';
  /** How far the load is, when it is running here or said so in Redis. */
  progress?: { loaded: number; total: number | undefined };
}

/** The load is still running, and this is what has arrived so far (asked for with `partial`). */
export interface CachePartial<V> {
  kind: 'partial';
  value: V;
  loaded: number;
  total: number | undefined;
}

export type CacheRead<V> = CacheHit<V> | CachePending | CachePartial<V>;

/** What a load has read so far; `value` builds the partial value (only when someone asks). */
export interface LoadProgress<V> {
  loaded: number;
  total: number | undefined;
  value: () => V;
}

/** A load from Procore: reports its progress as pages arrive, resolves with the whole value. */
export type Loader<V> = (progress: (update: LoadProgress<V>) => void) => Promise<V>;

/** Where a list load stands, for the page's progress line. */
export type LoadState = { state: 'loading'; loaded: number; total: number | undefined } | { state: 'done' };

export interface ReadOptions {
  /** Skip the fresh copy and ask Procore (the Refresh button). */
  refresh?: boolean;
  /** Give up waiting for a load from Procore after this long (it goes on in the background). */
  waitMs?: number;
  /**
   * Accept what a running load has read so far: answered as soon as its first page is in (or at
   * once when it already has one), as `partial`.
   */
  partial?: boolean;
}

export interface ListCacheOptions {
  /** A fresh copy is used without asking Procore for this long (PROJECTS_CACHE_SECONDS; 0: always ask). */
  freshSeconds: number;
  /** An older copy is kept this long, to be shown (marked stale) while Procore is failing. */
  staleSeconds: number;
  now?: () => number;
  /** Called when writing to Redis failed (the value is still served). */
  onWriteError?: (error: unknown) => void;
  /**
   * Makes a load single-flight across instances: the instance holding `<key>:loading` asks Procore;
   * the others wait for the lock and then take the copy it stored. Without it, only concurrent
   * loads within this process are shared.
   */
  lock?: Lock;
}

/** Upper bound on the summed `size` of the decoded values kept in this process. */
const MEMORY_BUDGET = 250_000;
/**
 * A copy held in memory that Redis confirmed fresh less than this long ago is used without asking
 * Redis again. Bounds how long another instance's Refresh takes to show here; expiry after
 * `freshSeconds` is exact either way.
 */
const REVALIDATE_MS = 1_000;
/** The load lock's lease and how long another instance waits for it. */
const LOAD_LOCK_TIMING: LockTiming = { ttlMs: 120_000, waitTimeoutMs: 120_000 };

interface Stored<V> {
  value: V;
  fetchedAt: number;
}

interface Flight {
  promise: Promise<CacheHit<unknown>>;
  /** Nobody waits for it any more (they saw the loading page): its failure goes to the next reader. */
  abandoned: boolean;
  /** What it has read so far, and the value built from it (once asked for). */
  progress: (LoadProgress<unknown> & { built?: unknown }) | undefined;
  /** Resolves when the first progress arrives. */
  started: Promise<void>;
  markStarted: () => void;
}

/** How long the `:progress` key of a running load lives without news (a crashed loader's goes away). */
const PROGRESS_TTL_MS = 60_000;

interface MemoryEntry extends Stored<unknown> {
  size: number;
  /** When Redis last said this copy is the fresh one (epoch ms). */
  confirmedAt: number;
}

/** Errors after which an older copy is better than an error page: Procore is struggling, not refusing. */
export function isWorthServingStale(error: unknown): error is ProcoreError {
  return isProcoreError(error) && (error.isTransient || error.code === 'bad_response');
}

/**
 * A Redis-backed cache for lists read from Procore, shared by every app instance.
 *
 * Each entry has two keys: `<key>` holds `fetchedAt\n<payload>` and lives `staleSeconds`; `<key>:fresh`
 * holds only `fetchedAt` and lives `freshSeconds`. The decoded payload is kept in memory per
 * `fetchedAt`: a page view uses it without any Redis call while Redis confirmed it less than
 * REVALIDATE_MS ago, else reads only the small marker (a refresh on another instance shows up as a
 * new `fetchedAt`); the payload is fetched and parsed only when it changed. Concurrent misses for
 * one key in this process share one load (single-flight), and with `lock` so do the instances.
 */
export class ListCache {
  private readonly memory = new Map<string, MemoryEntry>();
  private memoryUsed = 0;
  private readonly flights = new Map<string, Flight>();
  /** Failures of loads nobody was waiting for any more: reported to the next reader, once. */
  private readonly unreported = new Map<string, Error>();
  private readonly now: () => number;

  constructor(
    private readonly redis: RedisClient,
    private readonly options: ListCacheOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  async read<V>(key: string, codec: CacheCodec<V>, load: Loader<V>, options: ReadOptions = {}): Promise<CacheRead<V>> {
    const failure = this.unreported.get(key);
    if (failure !== undefined) {
      this.unreported.delete(key);
      throw failure;
    }
    if (!options.refresh && this.options.freshSeconds > 0) {
      const now = this.now();
      const known = this.memory.get(key);
      if (
        known &&
        now - known.confirmedAt < REVALIDATE_MS &&
        now - known.fetchedAt < this.options.freshSeconds * 1000
      ) {
        return { kind: 'value', value: known.value as V, fetchedAt: known.fetchedAt, stale: false };
      }
      const marker = await callRedis(this.redis, () => this.redis.get(`${key}:fresh`));
      const fetchedAt = marker === null ? NaN : Number(marker);
      if (Number.isFinite(fetchedAt)) {
        const cached = this.memory.get(key);
        if (cached && cached.fetchedAt === fetchedAt) {
          cached.confirmedAt = now;
          this.fromMemory(key);
          return { kind: 'value', value: cached.value as V, fetchedAt, stale: false };
        }
        const stored = await this.fromRedis(key, codec);
        if (stored && stored.fetchedAt >= fetchedAt) {
          const entry = this.memory.get(key);
          if (entry && entry.fetchedAt === stored.fetchedAt) entry.confirmedAt = now;
          return { kind: 'value', ...stored, stale: false };
        }
      }
    }
    const flight = options.refresh
      ? this.startFlight(key, codec, load, this.now())
      : (this.flights.get(key) ?? this.startFlight(key, codec, load));
    if (options.partial && flight.progress && !this.isWhole(flight)) {
      flight.abandoned = true;
      return this.partialOf<V>(flight);
    }
    if (options.waitMs === undefined) return (await flight.promise) as CacheHit<V>;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<CachePending>((resolve) => {
      timer = setTimeout(() => resolve({ kind: 'pending' }), options.waitMs);
    });
    const firstRows = options.partial
      ? flight.started.then(() => ({ kind: 'started' }) as const)
      : new Promise<never>(() => {});
    try {
      const result = (await Promise.race([flight.promise, timeout, firstRows])) as
        CacheHit<V> | CachePending | { kind: 'started' };
      if (result.kind === 'value') return result;
      // A list that came whole in its first page is only being stored: wait for that, not a partial.
      if (result.kind === 'started' && this.isWhole(flight)) return (await flight.promise) as CacheHit<V>;
      // Nobody waits for the whole list now: its failure goes to the next reader.
      flight.abandoned = true;
      if (result.kind === 'started') return this.partialOf<V>(flight);
      const progress = await this.progress(key);
      return progress.state === 'loading'
        ? { kind: 'pending', progress: { loaded: progress.loaded, total: progress.total } }
        : { kind: 'pending' };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Everything has arrived (Procore's total reached): what is left is storing it. */
  private isWhole(flight: Flight): boolean {
    const progress = flight.progress;
    return progress !== undefined && progress.total !== undefined && progress.loaded >= progress.total;
  }

  /** What the running load of `key` has read so far (built once per page that arrives). */
  private partialOf<V>(flight: Flight): CachePartial<V> {
    const progress = flight.progress!;
    progress.built ??= progress.value();
    return { kind: 'partial', value: progress.built as V, loaded: progress.loaded, total: progress.total };
  }

  /**
   * Where the load of `key` stands: running here, or (from its `:progress` key) on another
   * instance; else `done` (finished, failed, or never started: the page itself says which).
   */
  async progress(key: string): Promise<LoadState> {
    const here = this.flights.get(key)?.progress;
    if (here) return { state: 'loading', loaded: here.loaded, total: here.total };
    const text = await callRedis(this.redis, () => this.redis.get(`${key}:progress`)).catch(() => null);
    const [loaded, total] = (text ?? '').split('/').map((part) => (part === '' ? NaN : Number(part)));
    if (loaded === undefined || !Number.isFinite(loaded)) return { state: 'done' };
    return { state: 'loading', loaded, total: total !== undefined && Number.isFinite(total) ? total : undefined };
  }

  /** The newest copy this cache holds, however old, without asking Procore. */
  async peek<V>(key: string, codec: CacheCodec<V>): Promise<Stored<V> | undefined> {
    return (await this.fromRedis(key, codec).catch(() => undefined)) ?? this.fromMemory<V>(key);
  }

  /**
   * Starts a load that readers of `key` in this process join. A refresh (`refreshAskedAt`) never
   * joins a running load (it may have begun before the refresh was asked for); it starts its own,
   * which later readers join instead.
   */
  private startFlight<V>(key: string, codec: CacheCodec<V>, load: Loader<V>, refreshAskedAt?: number): Flight {
    let markStarted = (): void => {};
    const started = new Promise<void>((resolve) => {
      markStarted = resolve;
    });
    const flight: Flight = {
      promise: undefined as unknown as Promise<CacheHit<unknown>>,
      abandoned: false,
      progress: undefined,
      started,
      markStarted,
    };
    const reporting: Loader<V> = (progress) =>
      load((update) => {
        flight.progress = update;
        flight.markStarted();
        progress(update);
      });
    flight.promise = this.loadOnce(key, codec, reporting, refreshAskedAt).finally(() => {
      if (this.flights.get(key) === flight) this.flights.delete(key);
    });
    // A load whose readers stopped waiting must not become an unhandled rejection; its failure is
    // kept for the next reader instead (so the loading page ends on a clear error page).
    flight.promise.catch((error: unknown) => {
      if (flight.abandoned) this.unreported.set(key, error instanceof Error ? error : new Error(String(error)));
    });
    this.flights.set(key, flight);
    return flight;
  }

  /**
   * With a lock: one instance (and one load in this process) at a time loads `key`. Whoever gets
   * the lock checks whether another load stored a copy while it waited, and takes that instead of
   * asking Procore: any fresh copy for a plain read; for a refresh only a copy whose load began
   * after the refresh was asked for (strictly after: a load begun in the same millisecond may have
   * begun before it). If the lock cannot be had in time (its holder hangs), the load goes ahead
   * anyway rather than failing the page.
   */
  private async loadOnce<V>(
    key: string,
    codec: CacheCodec<V>,
    load: Loader<V>,
    refreshAskedAt?: number,
  ): Promise<CacheHit<unknown>> {
    const lock = this.options.lock;
    if (!lock) return this.loadAndStore(key, codec, load);
    const lease = await lock.acquire(`${key}:loading`, LOAD_LOCK_TIMING).catch(() => undefined);
    try {
      const marker = this.options.freshSeconds > 0 ? await this.redis.get(`${key}:fresh`).catch(() => null) : null;
      const newEnough = (fetchedAt: number) => refreshAskedAt === undefined || fetchedAt > refreshAskedAt;
      if (marker !== null && Number.isFinite(Number(marker)) && newEnough(Number(marker))) {
        const stored = await this.fromRedis(key, codec).catch(() => undefined);
        if (stored && stored.fetchedAt >= Number(marker) && newEnough(stored.fetchedAt)) {
          const entry = this.memory.get(key);
          if (entry && entry.fetchedAt === stored.fetchedAt) entry.confirmedAt = this.now();
          return { kind: 'value', ...stored, stale: false };
        }
      }
      return await this.loadAndStore(key, codec, load);
    } finally {
      if (lease) await lock.release(lease).catch(() => undefined);
    }
  }

  private async loadAndStore<V>(key: string, codec: CacheCodec<V>, load: Loader<V>): Promise<CacheHit<unknown>> {
    // The copy counts from when Procore was asked: what it holds is at least that new.
    const fetchedAt = this.now();
    let value: V;
    try {
      // Other instances' loading pages show how far this load is.
      value = await load((update) => {
        const text = `${update.loaded}/${update.total ?? ''}`;
        this.redis.set(`${key}:progress`, text, 'PX', PROGRESS_TTL_MS).catch(() => undefined);
      });
    } catch (error) {
      await this.redis.del(`${key}:progress`).catch(() => undefined);
      if (!isWorthServingStale(error)) throw error;
      const older = await this.peek(key, codec);
      if (!older) throw error;
      return { kind: 'value', value: older.value, fetchedAt: older.fetchedAt, stale: true };
    }
    this.remember(key, value, fetchedAt, codec.size(value), this.now());
    const stored = Buffer.concat([Buffer.from(`${fetchedAt}\n`), await compress(codec.encode(value))]);
    const write = this.redis
      .multi()
      .set(key, stored, 'EX', Math.max(1, this.options.staleSeconds))
      .del(`${key}:progress`);
    const freshLeftMs = fetchedAt + this.options.freshSeconds * 1000 - this.now();
    if (this.options.freshSeconds > 0 && freshLeftMs > 0)
      write.set(`${key}:fresh`, String(fetchedAt), 'PX', freshLeftMs);
    await write.exec().catch((error: unknown) => this.options.onWriteError?.(error));
    return { kind: 'value', value, fetchedAt, stale: false };
  }

  private async fromRedis<V>(key: string, codec: CacheCodec<V>): Promise<Stored<V> | undefined> {
    const stored = await callRedis(this.redis, () => this.redis.getBuffer(key));
    if (stored === null) return undefined;
    const newline = stored.indexOf(0x0a);
    const fetchedAt = Number(stored.subarray(0, Math.max(0, newline)).toString('latin1'));
    if (newline < 0 || !Number.isFinite(fetchedAt)) return undefined;
    const inMemory = this.fromMemory<V>(key);
    if (inMemory && inMemory.fetchedAt === fetchedAt) return inMemory;
    let value: V;
    try {
      value = codec.decode(await decompress(stored.subarray(newline + 1)));
    } catch {
      return undefined; // an entry written by an incompatible version: treat as a miss
    }
    this.remember(key, value, fetchedAt, codec.size(value));
    return { value, fetchedAt };
  }

  private fromMemory<V>(key: string): Stored<V> | undefined {
    const entry = this.memory.get(key);
    if (!entry) return undefined;
    // Most recently used goes last; eviction takes from the front.
    this.memory.delete(key);
    this.memory.set(key, entry);
    return entry as Stored<V>;
  }

  private remember(key: string, value: unknown, fetchedAt: number, size: number, confirmedAt = 0): void {
    const previous = this.memory.get(key);
    if (previous) {
      this.memoryUsed -= previous.size;
      this.memory.delete(key);
    }
    if (size > MEMORY_BUDGET) return;
    this.memory.set(key, { value, fetchedAt, size, confirmedAt });
    this.memoryUsed += size;
    for (const [oldest, entry] of this.memory) {
      if (this.memoryUsed <= MEMORY_BUDGET) break;
      this.memory.delete(oldest);
      this.memoryUsed -= entry.size;
    }
  }
}
