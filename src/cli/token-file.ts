import path from 'node:path';
import type { StoredTokens, TokenStore } from '../procore-auth/token-store';
import { readFileIfExists, removeFileIfExists, writeFileAtomic } from './atomic-file';
import { CliError } from './cli-error';

const FORMAT_VERSION = 1;

/** What the token file holds: one user's token pair plus where it came from. */
interface TokenFileContents extends StoredTokens {
  version: typeof FORMAT_VERSION;
  /** The login host that issued the tokens: they are never sent anywhere else. */
  loginUrl: string;
  /** The OAuth client they were issued to (a refresh needs the same client). */
  clientId: string;
  savedAt: string;
}

export interface TokenFileOptions {
  path: string;
  /** The login host in use now (PROCORE_ENV / PROCORE_LOGIN_URL). */
  loginUrl: string;
  clientId: string;
}

/** The id of the one token set a token file holds. */
export const TOKEN_FILE_ID = 'user';

/**
 * The command-line tool's TokenStore: one token set in a JSON file (mode 0600), replaced
 * atomically on every write, so the web app's TokenRefresher can keep it fresh unchanged.
 *
 * A file written for another login host (sandbox vs production) or another client is refused
 * with a clear message rather than used: tokens are not valid across environments.
 */
export class FileTokenStore implements TokenStore {
  constructor(private readonly options: TokenFileOptions) {}

  get path(): string {
    return this.options.path;
  }

  newId(): string {
    return TOKEN_FILE_ID;
  }

  /** The lock file next to the token file (`tokens.json.lock`) for a FileLock on its directory. */
  lockKeyFor(_id: string): string {
    return path.basename(this.options.path);
  }

  async get(_id: string): Promise<StoredTokens | undefined> {
    const text = await readFileIfExists(this.options.path);
    if (text === undefined) return undefined;
    const contents = parse(text, this.options.path);
    if (contents.loginUrl !== this.options.loginUrl) {
      throw new CliError(
        `The stored login in ${this.options.path} was issued by ${contents.loginUrl}, not ${this.options.loginUrl}; set PROCORE_ENV or PROCORE_LOGIN_URL to match, or run \`procore login\` again.`,
      );
    }
    if (contents.clientId !== this.options.clientId) {
      throw new CliError(
        `The stored login in ${this.options.path} belongs to another PROCORE_CLIENT_ID; set the same client id, or run \`procore login\` again.`,
      );
    }
    const tokens: StoredTokens = {
      accessToken: contents.accessToken,
      expiresAt: contents.expiresAt,
      issuedAt: contents.issuedAt,
      ownerId: contents.ownerId,
    };
    if (contents.refreshToken) tokens.refreshToken = contents.refreshToken;
    return tokens;
  }

  async put(_id: string, tokens: StoredTokens): Promise<void> {
    const contents: TokenFileContents = {
      version: FORMAT_VERSION,
      loginUrl: this.options.loginUrl,
      clientId: this.options.clientId,
      ownerId: tokens.ownerId,
      accessToken: tokens.accessToken,
      ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
      expiresAt: tokens.expiresAt,
      issuedAt: tokens.issuedAt,
      savedAt: new Date().toISOString(),
    };
    await writeFileAtomic(this.options.path, `${JSON.stringify(contents, null, 2)}\n`);
  }

  async delete(_id: string): Promise<void> {
    await removeFileIfExists(this.options.path);
  }
}

function parse(text: string, file: string): TokenFileContents {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const record = value as Partial<TokenFileContents> | undefined;
  if (
    !record ||
    typeof record !== 'object' ||
    record.version !== FORMAT_VERSION ||
    typeof record.loginUrl !== 'string' ||
    typeof record.clientId !== 'string' ||
    typeof record.accessToken !== 'string' ||
    typeof record.expiresAt !== 'number' ||
    typeof record.issuedAt !== 'number' ||
    typeof record.ownerId !== 'number' ||
    (record.refreshToken !== undefined && typeof record.refreshToken !== 'string')
  ) {
    throw new CliError(`The token file ${file} is not one this tool wrote; delete it and run \`procore login\` again.`);
  }
  return record as TokenFileContents;
}
