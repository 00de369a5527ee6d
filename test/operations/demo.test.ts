import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer, type Server } from 'node:net';
import { describe, expect, inject, it } from 'vitest';
import { testRunEnv } from '../support/leftover-processes';
import { DEMO_USER } from '../../emulator';
import { HttpClient } from '../support/http-client';
import { freePort } from '../support/redis-server';
import { REPO_ROOT } from './child-app';

const STACK_TRACE = /^\s+at\s/m;

interface DemoRun {
  stdout(): string;
  stderr(): string;
  exited: Promise<number | string>;
  stop(): void;
}

/** `npm run demo` (`tsx emulator/demo.ts`) as a child process; its state in a directory of its own unless `DEMO_STATE_DIR` is given. */
function startDemo(env: Record<string, string>): DemoRun {
  const ownDir = env.DEMO_STATE_DIR ? undefined : mkdtempSync(path.join(tmpdir(), 'demo-state-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'emulator/demo.ts'], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      METRICS_PORT: '0',
      ...(ownDir ? { DEMO_STATE_DIR: ownDir } : {}),
      ...testRunEnv(),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
  void exited.then(() => {
    clearTimeout(timer);
    if (ownDir) rmSync(ownDir, { recursive: true, force: true });
  });
  return { stdout: () => out, stderr: () => err, exited, stop: () => child.kill('SIGTERM') };
}

async function occupy(port: number): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

/** Local addresses of the listening TCP sockets on `port` (from /proc/net/tcp and tcp6). */
function listeningAddresses(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const found: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (state !== '0A' || !local?.endsWith(`:${hexPort}`)) continue;
      const address = local.slice(0, -5);
      found.push(address === '0100007F' ? '127.0.0.1' : address);
    }
  }
  return found;
}

async function waitUntil(check: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('npm run demo', () => {
  it.each(['EMULATOR_PORT', 'PORT'])(
    'when %s is in use, then the demo says which port and variable, without a stack trace',
    async (variable) => {
      const [appPort, emulatorPort] = [await freePort(), await freePort()];
      const taken = variable === 'PORT' ? appPort : emulatorPort;
      const blocker = await occupy(taken);
      try {
        const demo = startDemo({
          PORT: String(appPort),
          EMULATOR_PORT: String(emulatorPort),
          REDIS_URL: inject('redisUrl'),
        });
        expect(await demo.exited).toBe(1);
        expect(demo.stderr()).toContain(`The demo could not start.\nPort ${taken} (${variable}) is already in use`);
        expect(demo.stderr()).not.toMatch(STACK_TRACE);
        expect(demo.stdout()).toBe('');
      } finally {
        blocker.close();
      }
    },
  );

  it('when Redis is unreachable, then the friendly message is all that is printed (no JSON log line before it)', async () => {
    const demo = startDemo({
      PORT: String(await freePort()),
      EMULATOR_PORT: String(await freePort()),
      REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
    });
    expect(await demo.exited).toBe(1);
    expect(demo.stdout()).toBe('');
    expect(demo.stderr()).toMatch(
      /^\nThe demo could not start.\nRedis is not reachable at redis:\/\/127\.0\.0\.1:\d+\. /,
    );
    expect(demo.stderr()).not.toContain('{"level"');
  });

  it('when the demo runs, then the app and the emulator listen on 127.0.0.1 only', async () => {
    const [appPort, emulatorPort] = [await freePort(), await freePort()];
    const demo = startDemo({
      PORT: String(appPort),
      EMULATOR_PORT: String(emulatorPort),
      REDIS_URL: inject('redisUrl'),
      REDIS_KEY_PREFIX: `test:${randomBytes(6).toString('hex')}:`,
    });
    try {
      await waitUntil(
        () => demo.stdout().includes('demo is running') || demo.stderr().includes('could not start'),
        20_000,
        () => demo.stderr(),
      );
      expect(demo.stdout()).toContain('demo is running');
      expect(listeningAddresses(appPort)).toEqual(['127.0.0.1']);
      expect(listeningAddresses(emulatorPort)).toEqual(['127.0.0.1']);
      expect((await fetch(`http://127.0.0.1:${appPort}/healthz`)).status).toBe(200);
    } finally {
      demo.stop();
      await demo.exited;
    }
  });

  it("when the demo is restarted, then a person signed in before is still signed in (secrets and the emulator's tokens kept in a file only they can read, git-ignored)", async () => {
    const [appPort, emulatorPort] = [await freePort(), await freePort()];
    const dir = mkdtempSync(path.join(tmpdir(), 'demo-state-'));
    const env = {
      PORT: String(appPort),
      EMULATOR_PORT: String(emulatorPort),
      REDIS_URL: inject('redisUrl'),
      REDIS_KEY_PREFIX: `test:${randomBytes(6).toString('hex')}:`,
      DEMO_STATE_DIR: dir,
    };
    const appUrl = `http://localhost:${appPort}`;
    const running = async (): Promise<DemoRun> => {
      const demo = startDemo(env);
      await waitUntil(
        () => demo.stdout().includes('demo is running') || demo.stderr().includes('could not start'),
        20_000,
        () => demo.stderr(),
      );
      return demo;
    };
    const client = new HttpClient();
    try {
      const first = await running();
      await client.signIn(appUrl, DEMO_USER);
      expect((await client.get(`${appUrl}/account`, { follow: false })).status).toBe(200);
      first.stop();
      expect(await first.exited).toBe(0);

      const second = await running();
      try {
        const account = await client.get(`${appUrl}/account`, { follow: false });
        expect(account.status).toBe(200);
        expect(account.body).toContain(DEMO_USER.login);
        // Its first Procore call after the restart uses the tokens issued before it.
        expect((await client.get(`${appUrl}/projects`)).status).toBe(200);
      } finally {
        second.stop();
        await second.exited;
      }
      expect(statSync(path.join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
      // Without DEMO_STATE_DIR the files go to .demo/, which git ignores (check-ignore exits 1 otherwise).
      expect(
        execFileSync('git', ['check-ignore', '.demo/secrets.json', '.demo/emulator-tokens.json'], {
          cwd: REPO_ROOT,
          encoding: 'utf8',
        })
          .trim()
          .split('\n'),
      ).toEqual(['.demo/secrets.json', '.demo/emulator-tokens.json']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
