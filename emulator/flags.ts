/**
 * `npm run emulator -- …`: the flags that rehearse outages, read with node:util's parseArgs.
 * Unknown flags are refused (the rate-limit flags are read by ./rate-limit.ts and only named here).
 */
import { parseArgs } from 'node:util';
import { RATE_LIMIT_FLAGS } from './rate-limit';

export interface OutageFlags {
  /** Serve the control endpoint (./control.ts) on 127.0.0.1 at this port; off when undefined. */
  controlPort: number | undefined;
  tokenEndpointDown: boolean;
  tokenLatencyMs: number | undefined;
  apiLatencyMs: number | undefined;
  tokenLifetimeSeconds: number | undefined;
}

export const OUTAGE_FLAGS_HELP = [
  '  --control-port N           serve the control endpoint on 127.0.0.1:N (off by default)',
  '  --token-endpoint-down      POST /oauth/token answers 503 until switched back on',
  '  --token-latency-ms N       every token-endpoint request waits N ms first',
  '  --api-latency-ms N         every REST request waits N ms first',
  '  --token-lifetime-seconds N access tokens live N seconds (Procore: 5400)',
].join('\n');

const NUMBERS = {
  'control-port': { field: 'controlPort', least: 1 },
  'token-latency-ms': { field: 'tokenLatencyMs', least: 0 },
  'api-latency-ms': { field: 'apiLatencyMs', least: 0 },
  'token-lifetime-seconds': { field: 'tokenLifetimeSeconds', least: 1 },
} as const;

export function outageFlagsFrom(
  args: readonly string[],
): { ok: true; flags: OutageFlags } | { ok: false; errors: string[] } {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        'token-endpoint-down': { type: 'boolean' },
        ...Object.fromEntries(
          [...Object.keys(NUMBERS), ...RATE_LIMIT_FLAGS].map((name) => [name, { type: 'string' as const }]),
        ),
      },
    }));
  } catch (error) {
    return { ok: false, errors: [(error as Error).message] };
  }
  const flags: OutageFlags = {
    controlPort: undefined,
    tokenEndpointDown: values['token-endpoint-down'] === true,
    tokenLatencyMs: undefined,
    apiLatencyMs: undefined,
    tokenLifetimeSeconds: undefined,
  };
  const errors: string[] = [];
  for (const [name, { field, least }] of Object.entries(NUMBERS)) {
    const raw = values[name];
    if (typeof raw !== 'string') continue;
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isInteger(value) || value < least)
      errors.push(`--${name} must be a whole number of at least ${least}, got "${raw}"`);
    else flags[field] = value;
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, flags };
}
