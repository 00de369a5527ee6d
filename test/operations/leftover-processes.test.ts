import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { assertNoLeftoverProcesses, leftoverProcesses, TEST_RUN_VARIABLE } from '../support/leftover-processes';
import { startOwnedRedis } from '../support/redis-server';

/** Pids of redis-server processes listening on `port` (by their command line). */
function redisServersOnPort(port: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        // redis-server replaces its command line with its title: "redis-server 127.0.0.1:PORT".
        const title = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
        const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
        return title.includes('redis-server') && title.includes(`:${port} `) && state !== 'Z';
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function answers(url: string): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

describe('tests leave no processes behind', () => {
  it('when the suite runs, then test workers carry the run id that the global teardown looks for', () => {
    expect(process.env[TEST_RUN_VARIABLE]).toMatch(/^[0-9a-f]{16}$/);
  });

  it('when an owned Redis is started again while it runs (the outage test cleanup), then destroy still stops the only server', async () => {
    const redis = await startOwnedRedis();
    try {
      await redis.start();
      expect(redisServersOnPort(redis.port)).toHaveLength(1);
      expect(
        leftoverProcesses(process.env[TEST_RUN_VARIABLE]!).some(({ command }) => command.includes(`:${redis.port}`)),
      ).toBe(true);
    } finally {
      await redis.destroy();
    }
    expect(await answers(redis.url)).toBe(false);
    expect(redisServersOnPort(redis.port)).toEqual([]);
  });

  it('when an owned Redis is stopped and started again, then it answers and destroy leaves nothing running', async () => {
    const redis = await startOwnedRedis();
    try {
      await redis.stop();
      await redis.start();
      expect(await answers(redis.url)).toBe(true);
    } finally {
      await redis.destroy();
    }
    expect(redisServersOnPort(redis.port)).toEqual([]);
  });

  it('when a process of the run is still alive at teardown, then the check fails naming it and stops it', async () => {
    const runId = 'f'.repeat(16);
    const child = spawn('sleep', ['30'], { env: { ...process.env, [TEST_RUN_VARIABLE]: runId }, stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      await new Promise((resolve) => child.once('spawn', resolve));
      expect(leftoverProcesses(runId).map(({ pid }) => pid)).toEqual([child.pid]);
      await expect(assertNoLeftoverProcesses(runId, 200)).rejects.toThrow(
        new RegExp(`left 1 process running[\\s\\S]*pid ${child.pid}: sleep 30`),
      );
      await exited;
      expect(leftoverProcesses(runId)).toEqual([]);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('when every process of the run has ended, then the check passes', async () => {
    const runId = 'e'.repeat(16);
    const child = spawn('true', [], { env: { ...process.env, [TEST_RUN_VARIABLE]: runId }, stdio: 'ignore' });
    await new Promise((resolve) => child.once('exit', resolve));
    await expect(assertNoLeftoverProcesses(runId, 200)).resolves.toBeUndefined();
  });
});
