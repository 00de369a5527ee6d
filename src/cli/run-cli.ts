import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import type { ProcoreClientOptions } from '../procore/contracts';
import { EXIT_OK, EXIT_USAGE } from './cli-error';
import { registerApiCommands } from './commands/api-commands';
import { registerLogin } from './commands/login';
import { registerLogout } from './commands/logout';
import { CliContext, type CliIo } from './context';
import { describeError } from './describe-error';

export type { CliIo } from './context';

export interface RunCliOptions {
  /** Overrides for the Procore clients (tests inject retry timings). */
  client?: Partial<ProcoreClientOptions>;
  /** The command's clock (tests move it instead of waiting for tokens to expire). */
  now?: () => number;
}

/** Commander's "the user asked for help/version" outcomes: not errors. */
const INFORMATIONAL = new Set(['commander.helpDisplayed', 'commander.version']);

function packageVersion(): string {
  try {
    // src/cli and dist/cli are both two levels below the package root.
    const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      version?: unknown;
    };
    return typeof manifest.version === 'string' ? manifest.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** Commander's own messages ("error: unknown command 'x'\n(Did you mean …?)") as one line. */
function oneLine(text: string): string {
  const line = text
    .replace(/^error:\s*/i, '')
    .replace(/\s*\n\s*/g, ' ')
    .trim();
  return /[.!?]$/.test(line) ? line : `${line}.`;
}

function buildProgram(io: CliIo, context: () => CliContext): Command {
  const program = new Command('procore')
    .description(
      "Procore from the command line: sign in as a person (installed-app flow) or as the app's service account, then list companies and projects.",
    )
    .version(packageVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(`procore: ${oneLine(text)} Run \`procore --help\` for usage.\n`),
    })
    .showSuggestionAfterError(true)
    .addHelpText(
      'after',
      [
        '',
        'Environment: PROCORE_ENV (production, sandbox, monthly-sandbox, federal), PROCORE_LOGIN_URL,',
        'PROCORE_API_URL, PROCORE_CLIENT_ID, PROCORE_CLIENT_SECRET, PROCORE_TIMEOUT_MS,',
        'PROCORE_TOKEN_FILE (default ~/.config/procore-dashboard/tokens.json).',
        'Exit codes: 0 success, 1 Procore or network error, 2 usage error.',
      ].join('\n'),
    );
  registerLogin(program, context);
  registerApiCommands(program, context);
  registerLogout(program, context);
  return program;
}

/**
 * The whole `procore` command, without touching the process: arguments (without `node` and the
 * script), streams and environment come in, the exit code goes out. Errors are printed on
 * `io.stderr` as one sentence, never a stack trace.
 */
export async function runCli(argv: readonly string[], io: CliIo, options: RunCliOptions = {}): Promise<number> {
  let ctx: CliContext | undefined;
  const context = (): CliContext => (ctx ??= new CliContext(io, options.client, options.now));
  const program = buildProgram(io, context);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; everything else commander rejects is a usage error (already printed).
      return INFORMATIONAL.has(error.code) ? EXIT_OK : EXIT_USAGE;
    }
    const described = describeError(error);
    io.stderr.write(`procore: ${described.message}\n`);
    return described.exitCode;
  }
}
