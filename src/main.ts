import pino, { type DestinationStream, type Logger } from 'pino';
import { ConfigError, loadConfig, type AppConfig, type LoadConfigOptions } from './config';
import { createMetrics, type AppMetrics } from './observability/metrics';
import { createMetricsHandler } from './observability/metrics-server';
import { createProcoreApiClient, createProcoreOAuthClient, describeRefusedItem, type RefusedItem } from './procore';
import { connectRedis, createRedisClient, type RedisClient } from './redis';
import { createApp } from './web/app';
import { clientErrorPages } from './web/client-error-pages';
import { listen, type RunningServer } from './http/listen';
import { createLogger } from './observability/logger';

export interface RunningApp {
  config: AppConfig;
  logger: Logger;
  redis: RedisClient;
  http: RunningServer;
  metrics: AppMetrics;
  /** The separate Prometheus listener (METRICS_PORT), unless METRICS_PORT=0. */
  metricsServer: RunningServer | undefined;
  /** Graceful stop: finish in-flight requests (bounded), then close Redis. */
  stop(): Promise<void>;
}

/** Builds and starts the whole app from an environment. Throws ConfigError or a Redis error. */
export async function startApp(
  env: NodeJS.ProcessEnv,
  options: LoadConfigOptions & {
    logger?: Logger;
    logDestination?: DestinationStream;
    metrics?: AppMetrics;
    shutdownGraceMs?: number;
    /** The app's clock (tests move it instead of waiting). */
    now?: () => number;
    /** How the Procore clients wait before a retry (Retry-After, backoff); tests pass their clock's. */
    sleep?: (ms: number) => Promise<void>;
    /** The address to listen on; every interface when unset (the demo binds 127.0.0.1). */
    host?: string;
  } = {},
): Promise<RunningApp> {
  const config = loadConfig(env, options);
  const logger = options.logger ?? createLogger({ level: config.logLevel, destination: options.logDestination });
  const redis = createRedisClient(config.redis);
  // Without a listener an ioredis 'error' event would crash the process. While connecting, a
  // failure becomes connectRedis's one clear error (no log lines before it); afterwards ioredis
  // reconnects by itself and each problem is logged.
  const quietWhileConnecting = (): void => undefined;
  redis.on('error', quietWhileConnecting);
  await connectRedis(redis, config.redis);
  redis.off('error', quietWhileConnecting);
  // A problem is logged each time; the recovery once, when the connection is ready again.
  let redisTroubled = false;
  redis.on('error', (error: Error) => {
    redisTroubled = true;
    logger.warn({ err: error }, 'redis connection problem');
  });
  redis.on('ready', () => {
    if (redisTroubled) logger.info('redis connection is back');
    redisTroubled = false;
  });

  const metrics = options.metrics ?? createMetrics();
  // One clock for everything: token expiries, sessions, caches, locks, sign-in state.
  const clientOptions = {
    ...config.procore,
    onCall: metrics.onProcoreCall,
    onRefusedItem: (item: RefusedItem) =>
      logger.warn({ endpoint: item.endpoint, roundedId: item.roundedId }, describeRefusedItem(item)),
    now: options.now,
    sleep: options.sleep,
  };
  const oauth = createProcoreOAuthClient(clientOptions);
  const api = createProcoreApiClient(clientOptions);
  const app = createApp({ config, redis, oauth, api, logger, metrics, now: options.now });
  let http: RunningServer;
  let metricsServer: RunningServer | undefined;
  try {
    http = await listen(app, config.port, options.host, { clientErrorPage: await clientErrorPages(app) });
    if (config.metricsPort !== 0)
      metricsServer = await listen(createMetricsHandler(metrics), config.metricsPort, config.metricsHost);
  } catch (error) {
    redis.disconnect();
    throw error;
  }
  logger.info(
    { url: config.appUrl, port: http.port, metricsPort: metricsServer?.port ?? null, procore: config.procore.loginUrl },
    'procore-dashboard is listening',
  );
  logger.flush();

  let stopping: Promise<void> | undefined;
  return {
    config,
    logger,
    redis,
    http,
    metrics,
    metricsServer,
    stop() {
      stopping ??= (async () => {
        // Stop accepting, let in-flight requests finish (bounded), then let go of Redis.
        // server.close() only drops connections idle at that moment; keep-alive connections whose
        // request finishes later would hold the close until the grace period ends: sweep them too.
        const sweeper = setInterval(() => http.server.closeIdleConnections(), 50);
        try {
          await Promise.all([http.close(options.shutdownGraceMs ?? 10_000), metricsServer?.close(1_000)]);
        } finally {
          clearInterval(sweeper);
        }
        await redis.quit().catch(() => redis.disconnect());
      })();
      return stopping;
    },
  };
}

/**
 * Runs the app until SIGTERM/SIGINT. The only place that exits the process. `now` is the app's
 * clock (tests run the real entry point with a clock they move; see test/support/app-child.ts).
 */
export async function main(options: { now?: () => number } = {}): Promise<void> {
  // Buffered, asynchronous log writes: a synchronous write per line costs more than rendering a page.
  const logDestination = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  const exit = (code: number): never => {
    try {
      logDestination.flushSync();
    } catch {
      // nothing more can be done about lost log lines at exit
    }
    process.exit(code);
  };
  // A quiet server still shows its last lines within a second.
  setInterval(() => logDestination.flush(), 1_000).unref();
  let running: RunningApp;
  try {
    running = await startApp(process.env, { logDestination, now: options.now });
  } catch (error) {
    // Messages only, no stack traces: each one already says how to fix the problem.
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
      () => exit(0),
      (error: unknown) => {
        running.logger.error({ err: error }, 'shutdown failed');
        exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

if (require.main === module) {
  void main();
}
