import type { RedisConnection } from '../redis';
import type { ProcoreSettings } from './procore-settings';

/** The whole configuration, parsed and validated once at start-up, then frozen. */
export interface AppConfig {
  readonly nodeEnv: 'production' | 'development' | 'test';
  readonly isProduction: boolean;
  readonly port: number;
  /** Public base URL without a trailing slash. */
  readonly appUrl: string;
  /** `appUrl` + `/auth/callback`: must match the app's registration at Procore exactly. */
  readonly redirectUri: string;
  /** True when `appUrl` is https: cookies are `Secure` and `__Host-` prefixed. */
  readonly secureCookies: boolean;
  readonly trustProxy: boolean | number | string;
  readonly procore: ProcoreSettings;
  readonly redis: RedisConnection & { readonly keyPrefix: string };
  readonly session: {
    /** First one signs; all verify (rotation). */
    readonly secrets: readonly string[];
    readonly cookieName: string;
    readonly idleTimeoutMs: number;
    readonly absoluteTimeoutMs: number;
  };
  /** AES-256-GCM keys for tokens at rest: encrypt with the first, decrypt with any. */
  readonly tokenEncryptionKeys: readonly Buffer[];
  readonly projectsCacheSeconds: number;
  readonly authRateLimitPerMinute: number;
  /** 0 disables the separate metrics listener. */
  readonly metricsPort: number;
  /** Address the metrics listener binds to (METRICS_HOST, default 127.0.0.1: never public by accident). */
  readonly metricsHost: string;
  /** Procore user ids allowed to see /admin (ADMIN_USER_IDS); empty: no one. */
  readonly adminUserIds: readonly number[];
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}
