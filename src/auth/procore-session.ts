import { isProcoreError } from '../procore/errors';
import type { TokenRefresher } from './token-refresher';
import { SignedOutError } from './signed-out-error';
import type { StoredTokens } from './token-store';

/**
 * The signed-in user's way to call Procore during one request. A 401 for a token that should be
 * valid (revoked elsewhere, clock skew) gets one refresh under the shared lock and one retry;
 * a second 401 ends the session.
 */
export class ProcoreSession {
  constructor(
    readonly tokenSetId: string,
    private tokens: StoredTokens,
    private readonly refresher: TokenRefresher,
  ) {}

  /** When the current access token expires (epoch ms). */
  get accessTokenExpiresAt(): number {
    return this.tokens.expiresAt;
  }

  async call<T>(operation: (accessToken: string) => Promise<T>): Promise<T> {
    const used = this.tokens.accessToken;
    try {
      return await operation(used);
    } catch (error) {
      if (!isProcoreError(error, 'unauthorized')) throw error;
      this.tokens = await this.refresher.replaceRejected(this.tokenSetId, used);
    }
    try {
      return await operation(this.tokens.accessToken);
    } catch (error) {
      if (isProcoreError(error, 'unauthorized')) throw new SignedOutError('access_denied', { cause: error });
      throw error;
    }
  }
}
