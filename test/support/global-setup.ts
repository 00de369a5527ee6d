import type { TestProject } from 'vitest/node';
import { redisServerBinary, startOwnedRedis, type OwnedRedis } from './redis-server';

let owned: OwnedRedis | undefined;

/**
 * One real Redis for the whole run: our own redis-server on a free port when the binary exists,
 * else the REDIS_URL the environment gives (which the tests then never flush).
 */
export async function setup(project: TestProject): Promise<void> {
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

export async function teardown(): Promise<void> {
  await owned?.destroy();
}

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
    redisOwned: boolean;
  }
}
