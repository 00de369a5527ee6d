import type { Logger } from 'pino';
import { ConfigError, loadConfig, type AppConfig, type LoadConfigOptions } from './config';
import { createProcoreApiClient, createProcoreOAuthClient } from './procore';
import { connectRedis, createRedisClient, describeRedis, type RedisClient } from './session/redis-client';
import { createApp } from './web/app';
import { listen, type RunningServer } from './web/http-server';
import { createLogger } from './web/logger';

export interface RunningApp {
  config: AppConfig;
  logger: Logger;
  redis: RedisClient;
  http: RunningServer;
  /** Graceful stop: finish in-flight requests (bounded), then close Redis. */
  stop(): Promise<void>;
}

/** Builds and starts the whole app from an environment. Throws ConfigError or a Redis error. */
export async function startApp(env: NodeJS.ProcessEnv, options: LoadConfigOptions & { logger?: Logger } = {}): Promise<RunningApp> {
  const config = loadConfig(env, options);
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const redis = createRedisClient(config.redis);
  redis.on('error', (error: Error) => logger.warn({ err: { message: error.message } }, 'redis connection problem'));
  await connectRedis(redis, describeRedis(config.redis));

  const clientOptions = { ...config.procore, onCall: undefined };
  const oauth = createProcoreOAuthClient(clientOptions);
  const api = createProcoreApiClient(clientOptions);
  const app = createApp({ config, redis, oauth, api, logger });
  const http = await listen(app, config.port);
  logger.info({ url: config.appUrl, port: http.port, procore: config.procore.loginUrl }, 'procore-dashboard is listening');

  return {
    config,
    logger,
    redis,
    http,
    async stop() {
      await http.close(10_000);
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** Runs the app until SIGTERM/SIGINT. The only place that exits the process. */
export async function main(): Promise<void> {
  let running: RunningApp;
  try {
    running = await startApp(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
    } else {
      process.stderr.write(`procore-dashboard could not start: ${(error as Error).message}\n`);
    }
    process.exit(1);
  }
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    running.logger.info({ signal }, 'shutting down: finishing in-flight requests');
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        running.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

if (require.main === module) {
  void main();
}
