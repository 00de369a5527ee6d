import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { testRunEnv } from './leftover-processes';
import { CLOCK_OFFSET_VARIABLE, type TestClock } from './test-clock';

const ROOT = path.resolve(__dirname, '..', '..');

/** The real app (`src/main.ts`) in a child process of its own, as a second server would run it. */
export interface AppProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>;
  kill(signal?: NodeJS.Signals): void;
}

/**
 * With a `clock`, the child runs `main` through test/support/app-child.ts on that clock: it starts
 * at the clock's offset and follows every `clock.advance`.
 */
export async function spawnApp(
  env: Record<string, string>,
  options: { readyTimeoutMs?: number; clock?: TestClock } = {},
): Promise<AppProcess> {
  const { clock } = options;
  const entry = clock ? path.join(ROOT, 'test', 'support', 'app-child.ts') : path.join(ROOT, 'src', 'main.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      ...testRunEnv(),
      ...(clock ? { [CLOCK_OFFSET_VARIABLE]: String(clock.offsetMs) } : {}),
      ...env,
    },
    stdio: clock ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  if (clock) {
    const unfollow = clock.follow((clockOffsetMs) => {
      if (child.exitCode !== null || child.signalCode !== null || !child.connected) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const done = (): void => {
          child.off('message', onMessage);
          child.off('exit', done);
          resolve();
        };
        const onMessage = (message: { clockOffsetMs?: unknown }): void => {
          if (message.clockOffsetMs === clockOffsetMs) done();
        };
        child.on('message', onMessage);
        child.once('exit', done);
        child.send({ clockOffsetMs });
      });
    });
    child.once('exit', unfollow);
  }
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  const url = env.APP_URL!;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 20_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The app process exited early:\n${output}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`The app process did not become healthy in time:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, child, output: () => output, exited, kill: (signal = 'SIGTERM') => child.kill(signal) };
}
