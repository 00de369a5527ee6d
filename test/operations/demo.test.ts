import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { describe, expect, inject, it } from 'vitest';
import { testRunEnv } from '../support/leftover-processes';
import { freePort } from '../support/redis-server';
import { REPO_ROOT } from './child-app';

const STACK_TRACE = /^\s+at\s/m;

interface DemoRun {
  stdout(): string;
  stderr(): string;
  exited: Promise<number | string>;
  stop(): void;
}

/** `npm run demo` (`tsx emulator/demo.ts`) as a child process. */
function startDemo(env: Record<string, string>): DemoRun {
  const child = spawn(process.execPath, ['--import', 'tsx', 'emulator/demo.ts'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', METRICS_PORT: '0', ...testRunEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
  void exited.then(() => clearTimeout(timer));
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
  it.each(['EMULATOR_PORT', 'PORT'])('when %s is in use, then the demo says which port and variable, without a stack trace', async (variable) => {
    const [appPort, emulatorPort] = [await freePort(), await freePort()];
    const taken = variable === 'PORT' ? appPort : emulatorPort;
    const blocker = await occupy(taken);
    try {
      const demo = startDemo({ PORT: String(appPort), EMULATOR_PORT: String(emulatorPort), REDIS_URL: inject('redisUrl') });
      expect(await demo.exited).toBe(1);
      expect(demo.stderr()).toContain(`The demo could not start.\nPort ${taken} (${variable}) is already in use`);
      expect(demo.stderr()).not.toMatch(STACK_TRACE);
      expect(demo.stdout()).toBe('');
    } finally {
      blocker.close();
    }
  });

  it('when Redis is unreachable, then the friendly message is all that is printed (no JSON log line before it)', async () => {
    const demo = startDemo({ PORT: String(await freePort()), EMULATOR_PORT: String(await freePort()), REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
    expect(await demo.exited).toBe(1);
    expect(demo.stdout()).toBe('');
    expect(demo.stderr()).toMatch(/^\nThe demo could not start.\nRedis is not reachable at redis:\/\/127\.0\.0\.1:\d+\. /);
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
      await waitUntil(() => demo.stdout().includes('demo is running') || demo.stderr().includes('could not start'), 20_000, () => demo.stderr());
      expect(demo.stdout()).toContain('demo is running');
      expect(listeningAddresses(appPort)).toEqual(['127.0.0.1']);
      expect(listeningAddresses(emulatorPort)).toEqual(['127.0.0.1']);
      expect((await fetch(`http://127.0.0.1:${appPort}/healthz`)).status).toBe(200);
    } finally {
      demo.stop();
      await demo.exited;
    }
  });
});
