import type { Command } from 'commander';
import { removeFileIfExists } from '../atomic-file';
import { CliError } from '../cli-error';
import type { CliContext } from '../context';
import { clientCredentialsCachePath } from '../paths';
import { TOKEN_FILE_ID } from '../token-file';

/**
 * Revokes the stored login at Procore, then deletes it (and the service-account token cache).
 * Holds the refresh lock meanwhile so a concurrent refresh cannot write a new pair after the
 * delete. When Procore cannot be reached the tokens are kept, so the logout can be retried.
 */
async function logout(ctx: CliContext): Promise<void> {
  const { io, settings } = ctx;
  const store = ctx.tokenStore;
  const lock = ctx.refreshLock;
  const lease = await lock.acquire(store.lockKeyFor(TOKEN_FILE_ID), ctx.lockTiming);
  if (!lease) throw new CliError('Another `procore` command kept the token file locked; try again');
  try {
    const tokens = await store.get(TOKEN_FILE_ID);
    await removeFileIfExists(clientCredentialsCachePath(store.path));
    if (!tokens) {
      io.stdout.write('Not logged in; nothing to revoke.\n');
      return;
    }
    // Revoking the refresh token revokes its access token too.
    await ctx.oauth.revoke(tokens.refreshToken ?? tokens.accessToken);
    await store.delete(TOKEN_FILE_ID);
    io.stdout.write(`Logged out: the tokens were revoked at ${settings.loginUrl} and deleted from ${store.path}\n`);
  } finally {
    await lock.release(lease).catch(() => undefined);
  }
}

export function registerLogout(program: Command, context: () => CliContext): void {
  program
    .command('logout')
    .description('revoke the stored login at Procore and delete the stored tokens')
    .action(() => logout(context()));
}
