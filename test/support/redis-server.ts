import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { testRunTempPrefix } from './leftover-processes';

/** A real redis-server owned by the tests: on a free port, in its own folder, removed afterwards. */
export interface OwnedRedis {
  url: string;
  port: number;
  /** Stops the server (SHUTDOWN NOSAVE unless `save`), keeping its folder so it can be started again. */
  stop(options?: { save?: boolean }): Promise<void>;
  /** Starts it again on the same port and folder (data survives when it was stopped with `save`). */
  start(): Promise<void>;
  /** Freezes the server (SIGSTOP): connections stay open, nothing is answered (a hung Redis). */
  pause(): void;
  /** Lets a paused server go on (SIGCONT). */
  resume(): void;
  /** Stops it and removes its folder. */
  destroy(): Promise<void>;
}

export function redisServerBinary(): string | undefined {
  for (const candidate of ['/usr/bin/redis-server', '/usr/local/bin/redis-server']) {
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPing(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new Redis(url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      enableOfflineQueue: false,
    });
    client.on('error', () => undefined); // refused while the server starts: expected, we retry
    try {
      await client.connect();
      await client.ping();
      return;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`redis-server at ${url} did not answer within ${timeoutMs} ms`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      client.disconnect();
    }
  }
}

export async function startOwnedRedis(): Promise<OwnedRedis> {
  const binary = redisServerBinary();
  if (!binary) throw new Error('redis-server is not installed (apt-get install -y redis-server)');
  const port = await freePort();
  const dir = mkdtempSync(testRunTempPrefix('redis'));
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;

  const start = async (): Promise<void> => {
    // Already running: starting a second server on the same port would fail to bind, and the
    // first one (no longer referenced) would outlive the tests.
    if (child && child.exitCode === null && child.signalCode === null) return;
    const started = spawn(
      binary,
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'no',
        '--daemonize',
        'no',
        '--loglevel',
        'warning',
      ],
      { stdio: 'ignore' },
    );
    child = started;
    const exitedEarly = new Promise<never>((_resolve, reject) => {
      started.once('exit', (code, signal) =>
        reject(
          new Error(
            `redis-server on port ${port} exited while starting (${signal ?? `code ${code}`}): is the port taken?`,
          ),
        ),
      );
    });
    exitedEarly.catch(() => undefined);
    await Promise.race([waitForPing(url, 10_000), exitedEarly]);
  };

  const stop = async ({ save = false } = {}): Promise<void> => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    const admin = new Redis(url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
    admin.on('error', () => undefined);
    try {
      await admin.call('SHUTDOWN', save ? 'SAVE' : 'NOSAVE').catch(() => undefined);
    } finally {
      admin.disconnect();
    }
    const killer = setTimeout(() => running.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(killer);
  };

  const signal = (name: 'SIGSTOP' | 'SIGCONT'): void => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill(name);
  };

  await start();
  return {
    url,
    port,
    stop,
    start,
    pause: () => signal('SIGSTOP'),
    resume: () => signal('SIGCONT'),
    async destroy() {
      signal('SIGCONT');
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
