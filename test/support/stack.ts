import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { inject } from 'vitest';
import { Redis } from 'ioredis';
import { createEmulator, type Emulator, type EmulatorOptions, type RunningEmulator } from '../../emulator';
import { startApp, type RunningApp } from '../../src/main';
import { createLogger } from '../../src/observability/logger';
import { spawnApp, type AppProcess } from './app-process';
import { freePort } from './redis-server';
import { createTestClock, type TestClock } from './test-clock';

/** Captures every log line an app writes, for assertions (e.g. "no token in the logs"). */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

export interface TestApp {
  url: string;
  running: RunningApp;
  logs: LogCapture;
  stop(): Promise<void>;
}

export interface Stack {
  /** The one clock of the emulator and every app instance (also those in child processes). */
  clock: TestClock;
  emulator: Emulator;
  procore: RunningEmulator;
  app: TestApp;
  redisUrl: string;
  keyPrefix: string;
  /** A separate Redis connection for looking at what the app stored. */
  redis: Redis;
  /** Every key this stack's app wrote. */
  keys(): Promise<string[]>;
  /** Another app instance sharing the same emulator, Redis and keys (a second server). */
  startAnotherApp(env?: Record<string, string>): Promise<TestApp>;
  /** Another app instance in a child process of its own (a second server, for real). */
  spawnAnotherApp(env?: Record<string, string>): Promise<AppProcess>;
  close(): Promise<void>;
}

export interface StackOptions {
  emulator?: EmulatorOptions;
  env?: Record<string, string>;
  redisUrl?: string;
  /** The first app's own clock, instead of the stack's `clock` (which the emulator keeps). */
  now?: () => number;
}

/** The emulator on port 0, the app wired to it, a real Redis with a key prefix of its own. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const redisUrl = options.redisUrl ?? inject('redisUrl');
  const keyPrefix = `test:${randomBytes(6).toString('hex')}:`;
  const appPorts = [await freePort(), await freePort(), await freePort()];
  const clock = createTestClock();
  const emulator = createEmulator({
    now: clock.now,
    redirectUris: appPorts.map((port) => `http://127.0.0.1:${port}/auth/callback`),
    ...options.emulator,
  });
  const procore = await emulator.listen(0);
  const sharedEnv = {
    NODE_ENV: 'test',
    PROCORE_LOGIN_URL: procore.url,
    PROCORE_API_URL: procore.url,
    PROCORE_CLIENT_ID: emulator.clientId,
    PROCORE_CLIENT_SECRET: emulator.clientSecret,
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: keyPrefix,
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    PROCORE_TIMEOUT_MS: '5000',
    METRICS_PORT: '0',
    LOG_LEVEL: 'debug',
    // Test files sign in many times a minute from one address; the rate-limit tests set their own.
    AUTH_RATE_LIMIT_PER_MINUTE: '10000',
    ...options.env,
  };
  const apps: TestApp[] = [];
  const processes: AppProcess[] = [];
  const nextPort = (): number => {
    const port = appPorts[apps.length + processes.length];
    if (port === undefined) throw new Error('A stack holds at most three app instances');
    return port;
  };

  const startInstance = async (env: Record<string, string> = {}, now: () => number = clock.now): Promise<TestApp> => {
    const port = nextPort();
    const logs = new LogCapture();
    const running = await startApp(
      { ...sharedEnv, PORT: String(port), APP_URL: `http://127.0.0.1:${port}`, ...env },
      { logger: createLogger({ level: 'debug', destination: logs }), now, sleep: clock.sleep },
    );
    const app: TestApp = { url: `http://127.0.0.1:${port}`, running, logs, stop: () => running.stop() };
    apps.push(app);
    return app;
  };

  const app = await startInstance({}, options.now ?? clock.now);
  const redis = new Redis(redisUrl);
  const keys = async (): Promise<string[]> => {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 500);
      cursor = next;
      found.push(...batch);
    } while (cursor !== '0');
    return found;
  };
  return {
    clock,
    emulator,
    procore,
    app,
    redisUrl,
    keyPrefix,
    redis,
    keys,
    startAnotherApp: (env) => startInstance(env),
    async spawnAnotherApp(env = {}) {
      const port = nextPort();
      const child = await spawnApp(
        { ...sharedEnv, LOG_LEVEL: 'warn', PORT: String(port), APP_URL: `http://127.0.0.1:${port}`, ...env },
        { clock },
      );
      processes.push(child);
      return child;
    },
    async close() {
      for (const child of processes) if (child.child.exitCode === null) child.kill('SIGKILL');
      await Promise.allSettled([...apps.map((instance) => instance.stop()), ...processes.map((child) => child.exited)]);
      await procore.close();
      // Only our own keys: this may be a Redis the tests did not start.
      const leftovers = await keys().catch(() => []);
      if (leftovers.length > 0) await redis.del(...leftovers).catch(() => undefined);
      redis.disconnect();
    },
  };
}
