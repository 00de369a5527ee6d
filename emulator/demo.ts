/**
 * `npm run demo`: the built-in Procore emulator and the app wired to it, with generated
 * development secrets. Needs only a Redis (REDIS_URL, default redis://127.0.0.1:6379). A restart
 * keeps everyone signed in: the secrets and the emulator's tokens are kept in .demo/ (demo-state.ts).
 */
import { createEmulator, DEMO_RATE_LIMIT, DEMO_USER, EMULATOR_CLIENT_ID, EMULATOR_CLIENT_SECRET } from '.';
import { ConfigError } from '../src/config';
import { DEFAULT_DEMO_STATE_DIR, DemoState } from './demo-state';
import { startApp } from '../src/main';

/** Only this machine can reach the demo: it runs with development secrets and a demo login. */
const DEMO_HOST = '127.0.0.1';

/** One clear sentence for a start-up failure; a port in use names its variable. */
export function describeDemoFailure(error: unknown, ports: { variable: string; port: number }[]): string {
  const failure = error as NodeJS.ErrnoException & { port?: number };
  if (failure?.code === 'EADDRINUSE') {
    const taken = ports.find(({ port }) => port === failure.port) ?? ports[0]!;
    return `Port ${taken.port} (${taken.variable}) is already in use: stop the program using it, or choose another port, e.g. ${taken.variable}=${taken.port + 1} npm run demo`;
  }
  return error instanceof Error ? error.message : String(error);
}

function fail(message: string): void {
  process.stderr.write(`\nThe demo could not start.\n${message}\n`);
  process.exitCode = 1;
}

async function runDemo(): Promise<void> {
  const appPort = Number(process.env.PORT ?? 3000);
  const emulatorPort = Number(process.env.EMULATOR_PORT ?? 4000);
  const ports = [
    { variable: 'PORT', port: appPort },
    { variable: 'EMULATOR_PORT', port: emulatorPort },
  ];
  const appUrl = process.env.APP_URL ?? `http://localhost:${appPort}`;
  const emulator = createEmulator({ redirectUris: [`${appUrl}/auth/callback`], rateLimit: DEMO_RATE_LIMIT });
  const state = new DemoState(process.env.DEMO_STATE_DIR || DEFAULT_DEMO_STATE_DIR);
  const issued = state.issuedTokens();
  if (issued) emulator.restoreIssuedTokens(issued);
  const secrets = state.secrets();
  let procore;
  try {
    procore = await emulator.listen(emulatorPort, DEMO_HOST);
  } catch (error) {
    fail(describeDemoFailure(error, ports));
    return;
  }

  let app;
  try {
    app = await startApp(
      {
        ...process.env,
        NODE_ENV: 'development',
        PORT: String(appPort),
        APP_URL: appUrl,
        PROCORE_LOGIN_URL: procore.url,
        PROCORE_API_URL: procore.url,
        // "Open in Procore" links go to the emulator's stand-in pages: its company_base_url names
        // its own host for each company's zone (no PROCORE_WEB_URL needed).
        PROCORE_CLIENT_ID: EMULATOR_CLIENT_ID,
        PROCORE_CLIENT_SECRET: EMULATOR_CLIENT_SECRET,
        SESSION_SECRET: process.env.SESSION_SECRET || secrets.SESSION_SECRET,
        TOKEN_ENCRYPTION_KEY: process.env.TOKEN_ENCRYPTION_KEY || secrets.TOKEN_ENCRYPTION_KEY,
        METRICS_PORT: process.env.METRICS_PORT ?? '0',
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      },
      { requireCredentials: true, host: DEMO_HOST },
    );
  } catch (error) {
    await procore.close();
    fail(error instanceof ConfigError ? error.message : describeDemoFailure(error, ports));
    return;
  }

  process.stdout.write(
    [
      '',
      '  Procore Dashboard demo is running.',
      '',
      `  Open:      ${appUrl}`,
      `  Sign in:   ${DEMO_USER.login} / ${DEMO_USER.password}   (on the built-in Procore emulator at ${procore.url})`,
      '',
      '  Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );

  const emulatorServer = procore;
  // Every few seconds and at the end: a demo killed outright loses at most the last few seconds' sign-ins.
  const keepTokens = (): void => {
    try {
      state.saveIssuedTokens(emulator.issuedTokens());
    } catch (error) {
      process.stderr.write(
        `Could not keep the emulator's tokens in ${state.dir} (${error instanceof Error ? error.message : String(error)}): a restart will sign everyone out.\n`,
      );
    }
  };
  setInterval(keepTokens, 5_000).unref();
  const stop = (): void => {
    keepTokens();
    // allSettled never rejects: both servers get their chance to close, then the process ends.
    void Promise.allSettled([app.stop(), emulatorServer.close()]).then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) void runDemo();
