/**
 * `npm run emulator`: the built-in Procore emulator on EMULATOR_PORT (default 4000).
 * Environment: EMULATOR_HOST, EMULATOR_REDIRECT_URIS (comma-separated), PROCORE_CLIENT_ID,
 * PROCORE_CLIENT_SECRET, EMULATOR_TOKEN_LIFETIME_SECONDS. Per-token rate limits (default 3600 an
 * hour and 50 per 10 s): `npm run emulator -- --rate-limit N --rate-limit-window S --spike-limit N
 * --spike-window S`, or EMULATOR_RATE_LIMIT, EMULATOR_RATE_LIMIT_WINDOW_SECONDS,
 * EMULATOR_SPIKE_LIMIT, EMULATOR_SPIKE_WINDOW_SECONDS. Outages to rehearse against a running app
 * (./flags.ts): --token-endpoint-down, --token-latency-ms N, --api-latency-ms N,
 * --token-lifetime-seconds N, and --control-port N for the control endpoint (./control.ts) that
 * switches them, expires or revokes every token and rotates the client secret while it runs.
 */
import { createEmulator, DEMO_RATE_LIMIT, DEMO_USER, EMULATOR_CLIENT_ID, EMULATOR_CLIENT_SECRET } from '.';
import { listen } from '../src/http/listen';
import { controlApp } from './control';
import { OUTAGE_FLAGS_HELP, outageFlagsFrom } from './flags';
import { rateLimitSettingsFrom } from './rate-limit';

/** A non-negative integer from the environment; undefined when the variable is not set. */
function intFromEnv(name: string): number | undefined {
  const raw = process.env[name]?.trim();
  if (!raw) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`${name} must be a non-negative integer, got "${raw}"`);
    process.exit(2);
  }
  return value;
}

async function main(): Promise<void> {
  const port = intFromEnv('EMULATOR_PORT') ?? 4000;
  const host = process.env.EMULATOR_HOST?.trim() || '127.0.0.1';
  const redirectUris = (process.env.EMULATOR_REDIRECT_URIS ?? 'http://localhost:3000/auth/callback')
    .split(',')
    .map((uri) => uri.trim())
    .filter(Boolean);
  const clientId = process.env.PROCORE_CLIENT_ID || EMULATOR_CLIENT_ID;
  const clientSecret = process.env.PROCORE_CLIENT_SECRET || EMULATOR_CLIENT_SECRET;
  const args = process.argv.slice(2);
  const limits = rateLimitSettingsFrom(args, process.env, DEMO_RATE_LIMIT);
  const outages = outageFlagsFrom(args);
  if (!limits.ok || !outages.ok) {
    for (const error of [...(limits.ok ? [] : limits.errors), ...(outages.ok ? [] : outages.errors)])
      console.error(error);
    console.error(`Outage flags:\n${OUTAGE_FLAGS_HELP}`);
    process.exit(2);
  }
  const { flags } = outages;
  const emulator = createEmulator({
    rateLimit: limits.settings,
    clientId,
    clientSecret,
    redirectUris,
    tokenLifetimeSeconds: flags.tokenLifetimeSeconds ?? intFromEnv('EMULATOR_TOKEN_LIFETIME_SECONDS'),
    tokenLatencyMs: flags.tokenLatencyMs,
    apiLatencyMs: flags.apiLatencyMs,
  });
  emulator.setTokenEndpointDown(flags.tokenEndpointDown);
  const running = await emulator.listen(port, host);
  // Only this machine may switch outages: the control endpoint never listens beyond 127.0.0.1.
  const control =
    flags.controlPort === undefined
      ? undefined
      : await listen(
          controlApp(emulator, (line) => console.log(line)),
          flags.controlPort,
          '127.0.0.1',
        );

  console.log(`Procore emulator listening on ${running.url} (login and API)`);
  console.log(`  client id:      ${clientId}`);
  console.log(`  redirect URIs:  ${redirectUris.join(', ')} (and urn:ietf:wg:oauth:2.0:oob)`);
  console.log(`  demo sign-in:   ${DEMO_USER.login} / ${DEMO_USER.password}`);
  const { limit, windowSeconds, spikeLimit, spikeWindowSeconds } = limits.settings;
  console.log(
    `  rate limits:    ${limit} per ${windowSeconds} s and ${spikeLimit ?? 'no limit'} per ${spikeWindowSeconds ?? 10} s, per token`,
  );
  const outagesOn = emulator.outages();
  console.log(
    `  outages:        token endpoint ${outagesOn.tokenEndpointDown ? 'DOWN (503)' : 'up'}, latency ${outagesOn.tokenLatencyMs} ms (token) / ${outagesOn.apiLatencyMs} ms (API)`,
  );
  console.log(
    `  control:        ${control ? `${control.url} (GET /outages, PUT /outages, POST /tokens/expire, POST /tokens/revoke, PUT /client-secret)` : 'off (--control-port N turns it on)'}`,
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received, stopping the emulator`);
    Promise.all([running.close(), control?.close(0)]).then(
      () => process.exit(0),
      (err: unknown) => {
        console.error('Error while stopping:', err instanceof Error ? err.message : err);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error('Could not start the emulator:', err instanceof Error ? err.message : err);
  process.exit(1);
});
