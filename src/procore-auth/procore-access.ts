import { isProcoreError } from '../procore/errors';
import type { TokenRefresher } from './token-refresher';
import { SignedOutError } from './errors';
import type { StoredTokens } from './token-store';

/**
 * The signed-in person's way to call Procore during one request (the CLI's for one command). Tokens are read on the
 * first call only, so a page served from cache costs no decryption. A 401 gets one refresh and one retry; a second
 * 401 ends the session.
 */
export class ProcoreAccess {
  private tokens: Promise<StoredTokens> | undefined;
  private lastUsed: string | undefined;

  private readonly onError: ((error: unknown) => void) | undefined;

  constructor(
    readonly tokenSetId: string,
    private readonly refresher: TokenRefresher,
    options: {
      /** Tokens the caller has just read (the CLI): checked for freshness instead of read again. */
      knownTokens?: StoredTokens;
      /** Sees every error a Procore call of this session ends in, before it is handled (operators' "last Procore error"). */
      onError?: (error: unknown) => void;
    } = {},
  ) {
    this.onError = options.onError;
    if (options.knownTokens) this.tokens = refresher.fresh(tokenSetId, options.knownTokens);
  }

  /** Fresh tokens for this request, read once. */
  private current(): Promise<StoredTokens> {
    this.tokens ??= this.refresher.fresh(this.tokenSetId);
    return this.tokens;
  }

  /** An access token good for at least the refresh margin (refreshed first when it was not). */
  async accessToken(): Promise<string> {
    return (await this.current()).accessToken;
  }

  /** When the access token in use expires (epoch ms). */
  async accessTokenExpiresAt(): Promise<number> {
    return (await this.current()).expiresAt;
  }

  /** The access token this request's last call went out with (its rate-limit window is that token's). */
  accessTokenUsed(): string | undefined {
    return this.lastUsed;
  }

  /** Runs `operation` with a fresh access token; a ProcoreError 'unauthorized' gets one refresh and one retry. */
  async call<T>(operation: (accessToken: string) => Promise<T>): Promise<T> {
    const used = (await this.current()).accessToken;
    this.lastUsed = used;
    try {
      return await operation(used);
    } catch (error) {
      this.onError?.(error);
      if (!isProcoreError(error, 'unauthorized')) throw error;
      // Concurrent calls of this request that also got 401 share this one replacement.
      const replaced = await this.replace(used);
      this.lastUsed = replaced.accessToken;
      try {
        return await operation(replaced.accessToken);
      } catch (retryError) {
        this.onError?.(retryError);
        if (isProcoreError(retryError, 'unauthorized'))
          throw new SignedOutError('access_denied', { cause: retryError });
        throw retryError;
      }
    }
  }

  private async replace(rejectedAccessToken: string): Promise<StoredTokens> {
    const current = await this.current();
    if (current.accessToken !== rejectedAccessToken) return current;
    this.tokens = this.refresher.replaceRejected(this.tokenSetId, rejectedAccessToken);
    return this.tokens;
  }
}
