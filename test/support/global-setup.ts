import type { TestProject } from 'vitest/node';
import { assertNoLeftoverProcesses, markTestRun } from './leftover-processes';
import { redisServerBinary, startOwnedRedis, type OwnedRedis } from './redis-server';

let owned: OwnedRedis | undefined;
let runId: string | undefined;

/**
 * One real Redis for the whole run: our own redis-server on a free port when the binary exists,
 * else the REDIS_URL the environment gives (which the tests then never flush).
 */
export async function setup(project: TestProject): Promise<void> {
  runId = markTestRun();
  if (redisServerBinary()) {
    owned = await startOwnedRedis();
    project.provide('redisUrl', owned.url);
    project.provide('redisOwned', true);
    return;
  }
  const external = process.env.REDIS_URL;
  if (!external) {
    throw new Error('Tests need Redis: install redis-server (apt-get install -y redis-server) or set REDIS_URL.');
  }
  project.provide('redisUrl', external);
  project.provide('redisOwned', false);
}

/** Stops the shared Redis, then fails the run if any process a test started is still alive. */
export async function teardown(): Promise<void> {
  await owned?.destroy();
  if (!runId) return;
  try {
    await assertNoLeftoverProcesses(runId);
  } catch (error) {
    process.exitCode = 1; // vitest only prints errors thrown at close; the run must fail
    throw error;
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
    redisOwned: boolean;
  }
}
