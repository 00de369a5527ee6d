import type { Command } from 'commander';
import { LockBusyError } from '../../procore-auth/lock';
import { signOut } from '../../procore-auth/sign-out';
import { removeFileIfExists } from '../atomic-file';
import { CliError } from '../cli-error';
import type { CliContext } from '../context';
import { clientCredentialsCachePath } from '../paths';
import { TOKEN_FILE_ID } from '../token-file';

/**
 * Revokes the stored login at Procore, then deletes it (and the service-account token cache), with
 * the web app's signOut: under the refresh lock, so a concurrent refresh cannot write a new pair
 * after the delete. When Procore cannot be reached the tokens are kept, so the logout can be retried.
 */
async function logout(ctx: CliContext): Promise<void> {
  const { io, settings } = ctx;
  const store = ctx.tokenStore;
  try {
    const result = await signOut({
      tokenSetId: TOKEN_FILE_ID,
      store,
      lock: ctx.refreshLock,
      lockTiming: ctx.lockTiming,
      oauth: ctx.oauth,
      now: ctx.now,
      onRevokeFailure: 'keep',
    });
    io.stdout.write(
      result.outcome === 'not_signed_in'
        ? 'Not logged in; nothing to revoke.\n'
        : `Logged out: the tokens were revoked at ${settings.loginUrl} and deleted from ${store.path}\n`,
    );
  } catch (error) {
    if (error instanceof LockBusyError)
      throw new CliError('Another `procore` command kept the token file locked; try again');
    throw error;
  } finally {
    await removeFileIfExists(clientCredentialsCachePath(store.path));
  }
}

export function registerLogout(program: Command, context: () => CliContext): void {
  program
    .command('logout')
    .description('revoke the stored login at Procore and delete the stored tokens')
    .action(() => logout(context()));
}
