import os from 'node:os';
import path from 'node:path';

/**
 * The token file: PROCORE_TOKEN_FILE, else `$XDG_CONFIG_HOME/procore-dashboard/tokens.json`,
 * else `~/.config/procore-dashboard/tokens.json`.
 */
export function tokenFilePath(env: NodeJS.ProcessEnv, cwd = process.cwd()): string {
  const explicit = env.PROCORE_TOKEN_FILE?.trim();
  if (explicit) return path.resolve(cwd, explicit);
  const xdg = env.XDG_CONFIG_HOME?.trim();
  // XDG says relative values are invalid and must be ignored.
  const configHome = xdg && path.isAbsolute(xdg) ? xdg : path.join(env.HOME?.trim() || os.homedir(), '.config');
  return path.join(configHome, 'procore-dashboard', 'tokens.json');
}

/** The client-credentials (service account) access token cache, next to the token file. */
export function clientCredentialsCachePath(tokenFile: string): string {
  const directory = path.dirname(tokenFile);
  const base = path.basename(tokenFile).replace(/\.json$/i, '');
  return path.join(directory, `${base}.client-credentials.json`);
}
