/** docker-compose.yml and the repository's files, read once for the deploy and docs tests. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export const ROOT = path.resolve(__dirname, '..', '..');
export const read = (file: string): string => readFileSync(path.join(ROOT, file), 'utf8');

export interface HealthCheck {
  test?: string[];
  interval?: string;
}

export interface Service {
  profiles?: string[];
  image?: string;
  build?: unknown;
  command?: string | string[];
  environment?: Record<string, string> | string[];
  ports?: string[];
  expose?: string[];
  volumes?: string[];
  networks?: string[] | Record<string, unknown>;
  depends_on?: Record<string, { condition?: string }> | string[];
  healthcheck?: HealthCheck;
  network_mode?: string;
  stop_grace_period?: string;
}

export interface Compose {
  services: Record<string, Service>;
  networks?: Record<string, { internal?: boolean } | null>;
  volumes?: Record<string, unknown>;
}

export const compose = parse(read('docker-compose.yml'), { merge: true }) as Compose;
export const services = compose.services;

export function environment(service: Service): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env))
    return Object.fromEntries(env.map((entry) => [entry.split('=')[0]!, entry.split('=').slice(1).join('=')]));
  return Object.fromEntries(Object.entries(env).map(([key, value]) => [key, String(value)]));
}

/** "${NAME:-default}" → default; plain values as they are. */
export function defaultOf(value: string): string {
  const match = /^\$\{[A-Z_]+(?::?-(.*))?\}$/.exec(value);
  return match ? (match[1] ?? '') : value;
}

/** Set by the compose file itself, not from .env: the production topology depends on them. */
export const FIXED_BY_COMPOSE = ['NODE_ENV', 'PORT', 'TRUST_PROXY', 'REDIS_URL', 'METRICS_PORT', 'METRICS_HOST'];
/** The compose setup runs its own single Redis (`redis-prod`): Sentinel and Cluster do not apply. */
export const NOT_APPLICABLE = ['REDIS_SENTINELS', 'REDIS_SENTINEL_NAME', 'REDIS_CLUSTER_NODES'];
/** What the production instances get: every variable, from .env (`${NAME:-default}`) or fixed. */
export const productionEnv = environment(services['app-1']!);
export const fromDotEnv = Object.entries(productionEnv).filter(([, value]) => value.startsWith('${'));
