/** Helpers for the `procore` command tests: a real emulator on port 0, temp token files, in-process and child-process runs. */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { expect, onTestFinished } from 'vitest';
import { runCli } from '../../src/cli/run-cli';
import {
  createEmulator,
  DEMO_USER,
  EMULATOR_CLIENT_ID,
  EMULATOR_CLIENT_SECRET,
  type Emulator,
  type EmulatorOptions,
} from '../../emulator';
import { testRunEnv } from '../support/leftover-processes';
import { CLOCK_OFFSET_VARIABLE, createTestClock, type TestClock } from '../support/test-clock';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

export interface Setup {
  /** The emulator's clock and every command's (in this process and in children): tests move it instead of waiting. */
  clock: TestClock;
  emulator: Emulator;
  url: string;
  dir: string;
  tokenFile: string;
  env: NodeJS.ProcessEnv;
}

/**
 * An emulator on a free port and an empty temporary config directory, removed after the test
 * (onTestFinished, not a module-level afterEach: test files share this module, see vitest.config.ts).
 */
export async function setUp(options?: EmulatorOptions): Promise<Setup> {
  const clock = createTestClock();
  const emulator = createEmulator({ now: clock.now, ...options });
  const server = await emulator.listen(0);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'procore-cli-'));
  onTestFinished(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });
  const tokenFile = path.join(dir, 'config', 'tokens.json');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    PROCORE_LOGIN_URL: server.url,
    PROCORE_API_URL: server.url,
    PROCORE_CLIENT_ID: EMULATOR_CLIENT_ID,
    PROCORE_CLIENT_SECRET: EMULATOR_CLIENT_SECRET,
    PROCORE_TOKEN_FILE: tokenFile,
  };
  // Commands read the clock's offset from their environment (see clockOf and spawnCli).
  clock.follow((offsetMs) => {
    env[CLOCK_OFFSET_VARIABLE] = String(offsetMs);
    return Promise.resolve();
  });
  return { clock, emulator, url: server.url, dir, tokenFile, env };
}

/** The clock of a command run with `env`: real time plus the offset its Setup's clock has moved. */
function clockOf(env: NodeJS.ProcessEnv): () => number {
  const offsetMs = Number(env[CLOCK_OFFSET_VARIABLE] ?? 0);
  return () => Date.now() + offsetMs;
}

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

class Collector {
  text = '';
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

/** Runs `procore <argv>` in this process; with `terminal`, its stderr is a terminal (isTTY). */
export async function run(argv: string[], env: NodeJS.ProcessEnv, stdin = '', terminal = false): Promise<Result> {
  const stdout = new Collector();
  const stderr = Object.assign(new Collector(), { isTTY: terminal });
  // Short retry waits: the tests inject failures and must not sleep for seconds.
  const code = await runCli(
    argv,
    { stdin: Readable.from([stdin]), stdout, stderr, env },
    { client: { retryBaseDelayMs: 1, maxRetryDelayMs: 50 }, now: clockOf(env) },
  );
  return { code, stdout: stdout.text, stderr: stderr.text };
}

export const AUTHORIZE_URL_PATTERN = /https?:\/\/\S+\/oauth\/authorize\?\S+/;

/** Waits until `read()` matches `pattern`. */
export async function waitFor(read: () => string, pattern: RegExp, timeoutMs = 20_000): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(read());
    if (match) return match;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern} in:\n${read()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * What a person does with the printed URL: open it, fill in the emulator's sign-in form (hidden
 * fields included) and press "Sign in", follow the redirect to the out-of-band page and copy the
 * code shown in #authorization-code.
 */
export async function signInOnProcorePage(
  authorizeUrl: string,
  user: { login: string; password: string } = DEMO_USER,
): Promise<string> {
  const formPage = await fetch(authorizeUrl);
  expect(formPage.status).toBe(200);
  const html = await formPage.text();
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  expect(action).toBeDefined();
  const fields = new URLSearchParams();
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
    fields.set(name!, decodeEntities(value!));
  fields.set('email', user.login);
  fields.set('password', user.password);
  fields.set('action', 'allow');
  const submitted = await fetch(new URL(action!, authorizeUrl), { method: 'POST', body: fields, redirect: 'manual' });
  expect(submitted.status).toBe(302);
  const codePageUrl = new URL(submitted.headers.get('location')!, authorizeUrl);
  expect(codePageUrl.pathname).toMatch(/^\/oauth\/authorize\/[^/]+$/);
  const codePage = await fetch(codePageUrl);
  expect(codePage.status).toBe(200);
  const code = /<code id="authorization-code">([^<]+)<\/code>/.exec(await codePage.text())?.[1];
  expect(code).toBeDefined();
  return decodeEntities(code!);
}

function decodeEntities(value: string): string {
  return value.replace(
    /&(amp|lt|gt|quot|#39);/g,
    (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[name] ?? _,
  );
}

/** `procore login` in this process, with the person's sign-in done over HTTP meanwhile. */
export async function loginInProcess(env: NodeJS.ProcessEnv): Promise<Result> {
  const stdin = new PassThrough();
  const stdout = new Collector();
  const stderr = new Collector();
  const running = runCli(['login'], { stdin, stdout, stderr, env }, { now: clockOf(env) });
  const [authorizeUrl] = await waitFor(() => stderr.text, AUTHORIZE_URL_PATTERN);
  const code = await signInOnProcorePage(authorizeUrl);
  stdin.end(`${code}\n`);
  return { code: await running, stdout: stdout.text, stderr: stderr.text };
}

export interface ChildRun {
  /** Output so far. */
  stdout(): string;
  stderr(): string;
  write(text: string): void;
  end(text?: string): void;
  done: Promise<Result>;
}

/**
 * `procore <argv>` as a separate process (`node --import tsx src/cli/procore.ts`); once the test
 * moved its clock, through test/support/cli-child.ts, which runs the same on that clock.
 */
export function spawnCli(argv: string[], env: NodeJS.ProcessEnv): ChildRun {
  const entry = Number(env[CLOCK_OFFSET_VARIABLE] ?? 0) === 0 ? 'src/cli/procore.ts' : 'test/support/cli-child.ts';
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...argv], {
    cwd: REPO_ROOT,
    env: { ...env, ...testRunEnv() },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<Result>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    write: (text) => child.stdin.write(text),
    end: (text) => child.stdin.end(text),
    done,
  };
}

/** A finished child run with nothing on standard input. */
export function runChild(argv: string[], env: NodeJS.ProcessEnv): Promise<Result> {
  const child = spawnCli(argv, env);
  child.end();
  return child.done;
}

/** One line on standard error and no stack trace. */
export function expectOneLineError(result: Result): void {
  const lines = result.stderr.split('\n').filter(Boolean);
  expect(lines, result.stderr).toHaveLength(1);
  expect(result.stderr).not.toMatch(/\n\s+at |Error:|node:internal/);
}
