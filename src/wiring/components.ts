import { Passport } from 'passport';
import type { Logger } from 'pino';
import { RedisLock } from '../auth/redis-lock';
import { TokenCipher } from '../auth/token-cipher';
import { refreshLockTiming, TokenRefresher } from '../auth/token-refresher';
import { RedisTokenStore } from '../auth/token-store';
import type { AppConfig } from '../config';
import type { AppMetrics } from '../observability/metrics';
import { Operators } from '../operators';
import type { ProcoreApiClient, ProcoreOAuthClient } from '../procore/contracts';
import { ProjectCatalog } from '../projects/project-catalog';
import type { RedisClient } from '../redis';
import type { AppComponents } from '../web/app';
import { PendingSignIns } from '../web/sign-in/pending-sign-ins';
import { ProcoreStrategy } from '../web/sign-in/procore-strategy';

/** What the components are built from: configuration, the Redis client, Procore clients, the clock. */
export interface ComponentDeps {
  config: AppConfig;
  redis: RedisClient;
  oauth: ProcoreOAuthClient;
  api: ProcoreApiClient;
  logger: Logger;
  metrics?: AppMetrics;
  /** The app's one clock (tests move it instead of waiting). */
  now?: () => number;
}

/**
 * The one place the app's parts are built and joined: token store and refresh lock, the refresher,
 * the project catalog, operators, and Passport with its sign-in strategy. createApp only mounts
 * them; the CLI builds its own (file store and lock file) in src/cli/context.ts.
 */
export function createComponents(deps: ComponentDeps): AppComponents {
  const { config, redis, now } = deps;
  const { idleTimeoutMs, absoluteTimeoutMs } = config.session;
  const operators = new Operators({ redis, keyPrefix: config.redis.keyPrefix, logger: deps.logger, adminUserIds: config.adminUserIds, idleTimeoutMs, absoluteTimeoutMs, now });
  const tokenStore = new RedisTokenStore(redis, new TokenCipher(config.tokenEncryptionKeys), { keyPrefix: config.redis.keyPrefix, ttlMs: absoluteTimeoutMs });
  // Waits for the lock on the app's clock; the lease itself lapses on Redis's (PX).
  const refreshLock = new RedisLock(redis, { now });
  const lockTiming = refreshLockTiming(config.procore.timeoutMs);
  const refresher = new TokenRefresher({
    store: tokenStore,
    oauth: deps.oauth,
    lock: refreshLock,
    lockTiming,
    now,
    onOutcome: (outcome, detail) => {
      deps.metrics?.onRefreshOutcome(outcome);
      operators.refreshReported({ outcome, ...detail });
    },
  });
  const catalog = new ProjectCatalog({
    redis,
    api: deps.api,
    keyPrefix: config.redis.keyPrefix,
    cacheSeconds: config.projectsCacheSeconds,
    now,
    onWriteError: (error) => deps.logger.warn({ err: error }, 'could not cache a project list in Redis'),
  });
  const pendingSignIns = new PendingSignIns({ now });
  const passport = new Passport();
  passport.use(
    new ProcoreStrategy({
      loginUrl: config.procore.loginUrl,
      clientId: config.procore.clientId,
      clientSecret: config.procore.clientSecret,
      callbackUrl: config.redirectUri,
      timeoutMs: config.procore.timeoutMs,
      api: deps.api,
      stateStore: pendingSignIns,
      now,
    }),
  );
  return { tokenStore, refreshLock, lockTiming, refresher, catalog, operators, passport, pendingSignIns };
}
