import type { Command } from 'commander';
import { OUT_OF_BAND_REDIRECT_URI } from '../../procore/hosts';
import { isProcoreError } from '../../procore/errors';
import { CliError, usageError } from '../cli-error';
import type { CliContext } from '../context';
import { readLine } from '../prompt';
import { TOKEN_FILE_ID } from '../token-file';

/**
 * The code from what the person pasted: the bare code, Procore's out-of-band page URL
 * (`…/oauth/authorize/<CODE>`), or any redirect URL carrying `?code=` (a browser may show
 * `urn:ietf:wg:oauth:2.0:oob?code=…` or a local redirect URI in its address bar).
 */
export function codeFrom(input: string): string {
  const trimmed = input.trim();
  const url = URL.canParse(trimmed) ? new URL(trimmed) : undefined;
  const inQuery = url?.searchParams.get('code');
  if (inQuery) return inQuery;
  const inPath = url && /\/oauth\/authorize\/([^/]+)\/?$/.exec(url.pathname);
  return inPath ? decodeURIComponent(inPath[1]!) : trimmed;
}

/**
 * The installed-app flow: print the authorize URL (redirect_uri=urn:ietf:wg:oauth:2.0:oob, no
 * scope), read the code the person copies from Procore's page, exchange it, learn the owner from
 * /me and save the token pair.
 */
async function login(ctx: CliContext): Promise<void> {
  const { io, settings } = ctx;
  const url = ctx.oauth.authorizeUrl({ redirectUri: OUT_OF_BAND_REDIRECT_URI });
  io.stderr.write(
    [
      `Open this URL in a browser, sign in to Procore (${settings.loginUrl}) and allow access:`,
      '',
      `  ${url}`,
      '',
      'Procore then shows a code; paste it here, or the whole address of that page (it works once, within 10 minutes).',
      '',
    ].join('\n'),
  );
  const input = await readLine(io, 'Code: ');
  if (input === undefined) throw usageError('No code was given: paste the code Procore shows after you sign in');

  let tokens;
  try {
    tokens = await ctx.oauth.exchangeCode(codeFrom(input), OUT_OF_BAND_REDIRECT_URI);
  } catch (error) {
    if (isProcoreError(error, 'invalid_grant')) {
      // invalid_grant covers every reason at once: Procore does not say which one it was.
      throw new CliError(INVALID_CODE_MESSAGE, 1, { cause: error });
    }
    throw error;
  }
  const store = ctx.tokenStore;
  // The code is spent: keep the grant before anything else can fail, then learn whose it is.
  await store.put(TOKEN_FILE_ID, { ...tokens, ownerId: 0 });
  const user = await ctx.api.me({ accessToken: tokens.accessToken });
  await store.put(TOKEN_FILE_ID, { ...tokens, ownerId: user.id });
  io.stdout.write(`Logged in to ${settings.loginUrl} as ${user.name} (${user.login}); tokens saved in ${store.path}\n`);
}

/** What Procore's invalid_grant for a pasted code can mean; it does not tell which. */
export const INVALID_CODE_MESSAGE =
  'Procore did not accept that code: it may be mistyped or cut short, more than 10 minutes old, already used, or issued for another app; run `procore login` again and paste the new code.';

export function registerLogin(program: Command, context: () => CliContext): void {
  program
    .command('login')
    .description('sign in as a person with the installed-app (out-of-band) flow and store the tokens')
    .addHelpText(
      'after',
      '\nThe code can be typed, pasted, or piped:  echo "$CODE" | procore login\nTokens are saved in PROCORE_TOKEN_FILE (default ~/.config/procore-dashboard/tokens.json), mode 0600.',
    )
    .action(() => login(context()));
}
