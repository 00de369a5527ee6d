/**
 * `npm run emulator`: the built-in Procore emulator on EMULATOR_PORT (default 4000).
 * Environment: EMULATOR_HOST, EMULATOR_REDIRECT_URIS (comma-separated), PROCORE_CLIENT_ID,
 * PROCORE_CLIENT_SECRET, EMULATOR_TOKEN_LIFETIME_SECONDS.
 */
import { createEmulator, DEMO_USER, EMULATOR_CLIENT_ID, EMULATOR_CLIENT_SECRET } from '.';

function intFromEnv(name: string, fallback: number | undefined): number | undefined {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`${name} must be a non-negative integer, got "${raw}"`);
    process.exit(2);
  }
  return value;
}

async function main(): Promise<void> {
  const port = intFromEnv('EMULATOR_PORT', 4000) ?? 4000;
  const host = process.env.EMULATOR_HOST?.trim() || '127.0.0.1';
  const redirectUris = (process.env.EMULATOR_REDIRECT_URIS ?? 'http://localhost:3000/auth/callback')
    .split(',')
    .map((uri) => uri.trim())
    .filter(Boolean);
  const clientId = process.env.PROCORE_CLIENT_ID || EMULATOR_CLIENT_ID;
  const clientSecret = process.env.PROCORE_CLIENT_SECRET || EMULATOR_CLIENT_SECRET;
  const emulator = createEmulator({
    clientId,
    clientSecret,
    redirectUris,
    tokenLifetimeSeconds: intFromEnv('EMULATOR_TOKEN_LIFETIME_SECONDS', undefined),
  });
  const running = await emulator.listen(port, host);

  console.log(`Procore emulator listening on ${running.url} (login and API)`);
  console.log(`  client id:      ${clientId}`);
  console.log(`  redirect URIs:  ${redirectUris.join(', ')} (and urn:ietf:wg:oauth:2.0:oob)`);
  console.log(`  demo sign-in:   ${DEMO_USER.login} / ${DEMO_USER.password}`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received, stopping the emulator`);
    running.close().then(
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
