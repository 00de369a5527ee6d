import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { startApp } from '../../src/main';
import { freePort } from '../support/redis-server';
import { spawnApp } from './child-app';

const STACK_TRACE = /^\s+at\s/m;

function productionEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'production',
    APP_URL: 'https://dashboard.example.com',
    TRUST_PROXY: '1',
    PROCORE_CLIENT_ID: 'client-id',
    PROCORE_CLIENT_SECRET: 'client-secret',
    SESSION_SECRET: randomBytes(48).toString('base64'),
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    PORT: '0',
    METRICS_PORT: '0',
    ...overrides,
  };
}

async function run(env: Record<string, string>): Promise<{ code: number | string; stdout: string; stderr: string }> {
  const app = spawnApp(env);
  const timer = setTimeout(() => app.child.kill('SIGKILL'), 25_000);
  const code = await app.exited;
  clearTimeout(timer);
  return { code, stdout: app.stdout(), stderr: app.stderr() };
}

describe('production refuses to start, saying how to fix it (npm start → main())', () => {
  it('when the secrets are weak and APP_URL is http, then it exits 1 listing each problem, without a stack trace', async () => {
    const result = await run(
      productionEnv({
        SESSION_SECRET: 'keyboard cat',
        TOKEN_ENCRYPTION_KEY: Buffer.alloc(32).toString('base64'),
        APP_URL: 'http://dashboard.example.com',
      }),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Configuration is not valid (3 problems)');
    expect(result.stderr).toContain(
      'SESSION_SECRET entry 1 is too weak: use at least 32 random characters (openssl rand -base64 48)',
    );
    expect(result.stderr).toContain('TOKEN_ENCRYPTION_KEY entry 1 is not random');
    expect(result.stderr).toContain('APP_URL must be https when NODE_ENV=production');
    expect(result.stderr).not.toMatch(STACK_TRACE);
    expect(result.stderr).not.toContain('keyboard cat');
  });

  it('when APP_URL is https behind a proxy but TRUST_PROXY is not set (the README recipe before), then it exits 1 naming TRUST_PROXY', async () => {
    const env = productionEnv();
    delete env.TRUST_PROXY;
    const result = await run(env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Configuration is not valid (1 problem)');
    expect(result.stderr).toContain('TRUST_PROXY is required when NODE_ENV=production and APP_URL is https');
    expect(result.stderr).not.toMatch(STACK_TRACE);
  });

  it('when Redis is unreachable on another port than 6379, then it exits 1 with a one-line message naming the address (password hidden) and the fix with that port', async () => {
    const port = await freePort(); // nothing listens there
    const result = await run(productionEnv({ REDIS_URL: `redis://:hunter2-secret@127.0.0.1:${port}` }));
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      `procore-dashboard could not start: Redis is not reachable at redis://:***@127.0.0.1:${port}. Start one (for example: redis-server --daemonize yes --port ${port}) ` +
        'or set REDIS_URL (or REDIS_SENTINELS + REDIS_SENTINEL_NAME, or REDIS_CLUSTER_NODES) to a running Redis.',
    );
    expect(result.stderr).not.toMatch(STACK_TRACE);
    expect(result.stdout + result.stderr).not.toContain('hunter2-secret');
  });

  it('when the Sentinels are unreachable, then startApp gives up within its bound with the same kind of message', async () => {
    const port = await freePort();
    const started = performance.now();
    await expect(
      startApp(
        productionEnv({ REDIS_SENTINELS: `127.0.0.1:${port}`, REDIS_SENTINEL_NAME: 'mymaster', LOG_LEVEL: 'silent' }),
      ),
    ).rejects.toThrow(`Redis is not reachable at sentinels 127.0.0.1:${port} (master "mymaster")`);
    expect(performance.now() - started).toBeLessThan(12_000);
  });
});
