import { createHash } from 'node:crypto';
import type { ProcoreOAuthClient } from '../procore/contracts';
import { isProcoreError } from '../procore/errors';
import { needsRefresh, type TokenSet } from '../procore/token-set';
import { readFileIfExists, removeFileIfExists, writeFileAtomic } from './atomic-file';

/** 2: the cache names the credentials that got the token (a hash; never the secret itself). */
const FORMAT_VERSION = 2;

interface CacheContents {
  version: typeof FORMAT_VERSION;
  loginUrl: string;
  clientId: string;
  /** SHA-256 over login host, client id and client secret: a changed secret means a new token. */
  credentials: string;
  accessToken: string;
  expiresAt: number;
  issuedAt: number;
}

export interface ClientCredentialsOptions {
  /** The cache file (mode 0600), next to the token file. */
  path: string;
  loginUrl: string;
  clientId: string;
  /** Only hashed into the cache, so a token got with other credentials is not reused. */
  clientSecret: string;
  oauth: Pick<ProcoreOAuthClient, 'clientCredentials'>;
  now?: () => number;
}

/**
 * Access for a Developer Managed Service Account: `grant_type=client_credentials`, no refresh
 * token. The access token is cached in a file so a series of commands asks Procore once per
 * token lifetime; a token got for another login host, client id or client secret is never reused.
 */
export class ClientCredentialsSession {
  private readonly now: () => number;
  private current: string | undefined;

  constructor(private readonly options: ClientCredentialsOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Runs `operation` with a service-account token; one 401 gets one new token and one retry. */
  async call<T>(operation: (accessToken: string) => Promise<T>): Promise<T> {
    const used = this.current ?? (await this.cachedOrNew());
    this.current = used;
    try {
      return await operation(used);
    } catch (error) {
      if (!isProcoreError(error, 'unauthorized')) throw error;
    }
    await removeFileIfExists(this.options.path);
    this.current = await this.requestNew();
    return operation(this.current);
  }

  private async cachedOrNew(): Promise<string> {
    const cached = await this.readCache();
    if (cached && !needsRefresh(cached, this.now())) return cached.accessToken;
    return this.requestNew();
  }

  private async requestNew(): Promise<string> {
    const tokens: TokenSet = await this.options.oauth.clientCredentials();
    const contents: CacheContents = {
      version: FORMAT_VERSION,
      loginUrl: this.options.loginUrl,
      clientId: this.options.clientId,
      credentials: this.credentials(),
      accessToken: tokens.accessToken,
      expiresAt: tokens.expiresAt,
      issuedAt: tokens.issuedAt,
    };
    await writeFileAtomic(this.options.path, `${JSON.stringify(contents, null, 2)}\n`);
    return tokens.accessToken;
  }

  private credentials(): string {
    const { loginUrl, clientId, clientSecret } = this.options;
    return createHash('sha256')
      .update(JSON.stringify(['procore-client-credentials', loginUrl, clientId, clientSecret]))
      .digest('hex');
  }

  /** The cached token when it is ours (same host, client id and secret); anything else is ignored. */
  private async readCache(): Promise<CacheContents | undefined> {
    const text = await readFileIfExists(this.options.path);
    if (text === undefined) return undefined;
    try {
      const cached = JSON.parse(text) as Partial<CacheContents>;
      if (
        cached.version === FORMAT_VERSION &&
        cached.loginUrl === this.options.loginUrl &&
        cached.clientId === this.options.clientId &&
        cached.credentials === this.credentials() &&
        typeof cached.accessToken === 'string' &&
        typeof cached.expiresAt === 'number' &&
        typeof cached.issuedAt === 'number'
      ) {
        return cached as CacheContents;
      }
    } catch {
      // a damaged cache is just a cache miss
    }
    return undefined;
  }
}
