import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ConfigError } from './config-error';
import { httpUrl, integer, problemsFrom, withoutEmptyValues } from './fields';
import { credentialProblems, procoreEnvShape, procoreSettingsFrom } from './procore-settings';
import type { RedisConnection } from '../redis';
import type { AppConfig } from './types';

export interface LoadConfigOptions {
  /** `npm start` needs real credentials; tools that only read config may not. */
  requireCredentials?: boolean;
}

/** Secrets that appear in docs and examples; refused in production. */
const KNOWN_WEAK_SECRETS = new Set([
  'secret',
  'changeme',
  'change-me',
  'keyboard cat',
  'development',
  'dev-secret',
  'session-secret',
  'password',
]);
const MIN_SECRET_LENGTH = 32;
/** Random secrets of this length use many different characters / bytes; "aaaa…" or a zero key do not. */
const MIN_DISTINCT_SYMBOLS = 12;

function tooFewDistinct(values: Iterable<unknown>): boolean {
  return new Set(values).size < MIN_DISTINCT_SYMBOLS;
}

const hostPortList = (name: string) =>
  z
    .string()
    .trim()
    .transform((value, ctx) => {
      const nodes: Array<{ host: string; port: number }> = [];
      for (const part of value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)) {
        const match = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(part);
        if (!match) {
          ctx.addIssue({ code: 'custom', message: `${name} entries must look like host:port (got "${part}")` });
          return z.NEVER;
        }
        nodes.push({ host: match[1]!.replace(/^\[|\]$/g, ''), port: Number(match[2]) });
      }
      if (nodes.length === 0) {
        ctx.addIssue({ code: 'custom', message: `${name} must list at least one host:port` });
        return z.NEVER;
      }
      return nodes;
    });

/** Procore user ids (as `/rest/v1.0/me` reports them), comma-separated; every bad entry is reported. */
const adminUserIds = z
  .string()
  .trim()
  .optional()
  .transform((value, ctx) => {
    const ids: number[] = [];
    for (const part of splitList(value)) {
      if (/^\d{1,15}$/.test(part) && Number(part) > 0) ids.push(Number(part));
      else
        ctx.addIssue({
          code: 'custom',
          message: `ADMIN_USER_IDS entries must be Procore user ids (whole numbers), got "${part.slice(0, 40)}"`,
        });
    }
    return ids;
  });

const envSchema = z.object({
  NODE_ENV: z
    .enum(['production', 'development', 'test'], { message: 'NODE_ENV must be production, development or test' })
    .default('development'),
  PORT: integer('PORT', 0, 65535).default(3000),
  APP_URL: httpUrl('APP_URL').default('http://localhost:3000'),
  TRUST_PROXY: z.string().trim().optional(),
  ...procoreEnvShape,
  REDIS_URL: z
    .string()
    .trim()
    .regex(/^rediss?:\/\//, 'REDIS_URL must start with redis:// or rediss://, e.g. redis://127.0.0.1:6379')
    .default('redis://127.0.0.1:6379'),
  REDIS_SENTINELS: hostPortList('REDIS_SENTINELS').optional(),
  REDIS_SENTINEL_NAME: z.string().trim().min(1).optional(),
  REDIS_CLUSTER_NODES: hostPortList('REDIS_CLUSTER_NODES').optional(),
  REDIS_KEY_PREFIX: z.string().trim().min(1).default('pd:'),
  SESSION_SECRET: z.string().optional(),
  SESSION_IDLE_MINUTES: integer('SESSION_IDLE_MINUTES', 1, 60 * 24 * 30).default(120),
  SESSION_MAX_HOURS: integer('SESSION_MAX_HOURS', 1, 24 * 90).default(12),
  TOKEN_ENCRYPTION_KEY: z.string().optional(),
  PROJECTS_CACHE_SECONDS: integer('PROJECTS_CACHE_SECONDS', 0, 86_400).default(60),
  AUTH_RATE_LIMIT_PER_MINUTE: integer('AUTH_RATE_LIMIT_PER_MINUTE', 1, 100_000).default(30),
  METRICS_PORT: integer('METRICS_PORT', 0, 65535).default(9464),
  METRICS_HOST: z
    .string()
    .trim()
    .regex(
      /^(?:[A-Za-z0-9.-]+|[0-9A-Fa-f:]+)$/,
      'METRICS_HOST must be an address or host name to bind the metrics listener to, e.g. 127.0.0.1 or 0.0.0.0',
    )
    .default('127.0.0.1'),
  ADMIN_USER_IDS: adminUserIds,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** Every environment variable the app reads: the public configuration contract. */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

function parseTrustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value; // e.g. "loopback, 10.0.0.0/8": Express understands these lists.
}

function decodeKeys(value: string | undefined, problems: string[]): Buffer[] {
  const keys: Buffer[] = [];
  for (const [index, encoded] of splitList(value).entries()) {
    const key = Buffer.from(encoded, 'base64');
    if (key.length !== 32 || !/^[A-Za-z0-9+/=_-]+$/.test(encoded)) {
      problems.push(
        `TOKEN_ENCRYPTION_KEY entry ${index + 1} must be 32 random bytes in base64 (make one with: node -e "console.log(require('crypto').randomBytes(32).toString('base64'))")`,
      );
    } else {
      keys.push(key);
    }
  }
  return keys;
}

/**
 * Reads the environment once, reports every problem together, and returns a frozen config.
 * Throws ConfigError (never exits: that is main.ts's decision).
 */
export function loadConfig(env: NodeJS.ProcessEnv, options: LoadConfigOptions = {}): AppConfig {
  const requireCredentials = options.requireCredentials ?? true;
  const cleaned = withoutEmptyValues(env);
  const parsed = envSchema.safeParse(cleaned);
  // Keep going with what did parse so the message lists the cross-field problems too.
  const problems: string[] = parsed.success ? [] : problemsFrom(parsed.error);
  const e: z.infer<typeof envSchema> = parsed.success
    ? parsed.data
    : { ...envSchema.parse({}), ...validFieldsOnly(cleaned) };
  const isProduction = e.NODE_ENV === 'production';

  problems.push(...credentialProblems(e, requireCredentials));

  const secrets = splitList(e.SESSION_SECRET);
  if (isProduction) {
    if (secrets.length === 0) {
      problems.push('SESSION_SECRET is required when NODE_ENV=production (make one with: openssl rand -base64 48)');
    }
    for (const [index, secret] of secrets.entries()) {
      if (secret.length < MIN_SECRET_LENGTH || KNOWN_WEAK_SECRETS.has(secret.toLowerCase()) || tooFewDistinct(secret)) {
        problems.push(
          `SESSION_SECRET entry ${index + 1} is too weak: use at least ${MIN_SECRET_LENGTH} random characters (openssl rand -base64 48)`,
        );
      }
    }
  }
  const tokenEncryptionKeys = decodeKeys(e.TOKEN_ENCRYPTION_KEY, problems);
  for (const [index, key] of tokenEncryptionKeys.entries()) {
    if (isProduction && tooFewDistinct(key)) {
      problems.push(
        `TOKEN_ENCRYPTION_KEY entry ${index + 1} is not random (too few different bytes): make one with: openssl rand -base64 32`,
      );
    }
  }
  if (isProduction && splitList(e.TOKEN_ENCRYPTION_KEY).length === 0) {
    problems.push(
      "TOKEN_ENCRYPTION_KEY is required when NODE_ENV=production (make one with: node -e \"console.log(require('crypto').randomBytes(32).toString('base64'))\")",
    );
  }
  if (isProduction && e.APP_URL.startsWith('http://')) {
    problems.push('APP_URL must be https when NODE_ENV=production: session cookies must only travel over TLS');
  }
  if (isProduction && e.APP_URL.startsWith('https://') && !parseTrustProxy(e.TRUST_PROXY)) {
    problems.push(
      'TRUST_PROXY is required when NODE_ENV=production and APP_URL is https: the app speaks plain http behind your TLS proxy, and without TRUST_PROXY it ignores X-Forwarded-Proto, sets no (Secure) session cookie and every sign-in fails. Set TRUST_PROXY=1 for one proxy hop (or the proxy addresses, e.g. loopback)',
    );
  }
  if (e.REDIS_SENTINELS && !e.REDIS_SENTINEL_NAME)
    problems.push('REDIS_SENTINEL_NAME is required with REDIS_SENTINELS (the master group name, e.g. mymaster)');
  if (e.REDIS_SENTINELS && e.REDIS_CLUSTER_NODES)
    problems.push('Set either REDIS_SENTINELS or REDIS_CLUSTER_NODES, not both');

  if (problems.length > 0) throw new ConfigError(problems);

  const redis: RedisConnection = e.REDIS_SENTINELS
    ? { mode: 'sentinel', sentinels: e.REDIS_SENTINELS, name: e.REDIS_SENTINEL_NAME!, url: e.REDIS_URL }
    : e.REDIS_CLUSTER_NODES
      ? { mode: 'cluster', nodes: e.REDIS_CLUSTER_NODES, url: e.REDIS_URL }
      : { mode: 'single', url: e.REDIS_URL };
  const secureCookies = e.APP_URL.startsWith('https://');

  const config: AppConfig = {
    nodeEnv: e.NODE_ENV,
    isProduction,
    port: e.PORT,
    appUrl: e.APP_URL,
    redirectUri: `${e.APP_URL}/auth/callback`,
    secureCookies,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    procore: procoreSettingsFrom(e),
    redis: { ...redis, keyPrefix: e.REDIS_KEY_PREFIX },
    session: {
      // Outside production a random secret is fine: sessions just do not survive a restart.
      secrets: secrets.length > 0 ? secrets : [randomSecret()],
      // `__Host-` binds the cookie to this exact origin over https (no Domain, Path=/, Secure).
      cookieName: secureCookies ? '__Host-procore-dashboard.sid' : 'procore-dashboard.sid',
      idleTimeoutMs: e.SESSION_IDLE_MINUTES * 60_000,
      absoluteTimeoutMs: e.SESSION_MAX_HOURS * 3_600_000,
    },
    tokenEncryptionKeys: tokenEncryptionKeys.length > 0 ? tokenEncryptionKeys : [randomKey()],
    projectsCacheSeconds: e.PROJECTS_CACHE_SECONDS,
    authRateLimitPerMinute: e.AUTH_RATE_LIMIT_PER_MINUTE,
    metricsPort: e.METRICS_PORT,
    metricsHost: e.METRICS_HOST,
    adminUserIds: e.ADMIN_USER_IDS ?? [],
    logLevel: e.LOG_LEVEL,
  };
  return deepFreeze(config);
}

/** The fields that did parse, so cross-field checks can still run when others failed. */
function validFieldsOnly(values: Record<string, unknown>): Partial<z.infer<typeof envSchema>> {
  const result: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(envSchema.shape)) {
    const outcome = (schema as z.ZodType).safeParse(values[key]);
    if (outcome.success && outcome.data !== undefined) result[key] = outcome.data;
  }
  return result;
}

function randomSecret(): string {
  return randomBytes(48).toString('base64url');
}

function randomKey(): Buffer {
  return randomBytes(32);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
