import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { testRunEnv } from '../support/leftover-processes';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export interface ChildApp {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (or the signal name) once the process has ended. */
  exited: Promise<number | string>;
  /** Resolves when a line containing `text` appeared on stdout. */
  waitForOutput(text: string, timeoutMs?: number): Promise<void>;
}

/** The real app as a separate process (`node --import tsx src/main.ts`), the way `npm start` runs it. */
export function spawnApp(env: Record<string, string>): ChildApp {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...testRunEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    async waitForOutput(text, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (!out.includes(text)) {
        if (child.exitCode !== null)
          throw new Error(`the app exited (${child.exitCode}) before printing "${text}":\n${out}\n${err}`);
        if (Date.now() > deadline)
          throw new Error(`the app did not print "${text}" within ${timeoutMs} ms:\n${out}\n${err}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}
