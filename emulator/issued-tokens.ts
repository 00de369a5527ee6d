/**
 * The authorization server's memory: codes, access tokens and refresh tokens.
 * Every token is random (32 bytes, base64url). A "family" ties together every token descended
 * from one grant, so a replayed code can revoke what it produced (RFC 6749 §4.1.2).
 */
import { randomBytes } from 'node:crypto';

export type TokenKind = 'user' | 'service';

export interface CodeRecord {
  code: string;
  clientId: string;
  redirectUri: string;
  userId: number;
  createdAt: number;
  expiresAt: number;
  used: boolean;
  family: string;
}

export interface AccessTokenRecord {
  token: string;
  clientId: string;
  /** The user, or the service account for client-credentials tokens. */
  userId: number;
  kind: TokenKind;
  createdAt: number;
  expiresAt: number;
  revoked: boolean;
  refreshToken: string | undefined;
  family: string;
}

export interface RefreshTokenRecord {
  token: string;
  accessToken: string;
  clientId: string;
  userId: number;
  kind: TokenKind;
  /** Used (rotated) or revoked: either way dead. */
  dead: boolean;
  family: string;
}

export type AccessTokenCheck =
  | { status: 'valid'; record: AccessTokenRecord }
  | { status: 'expired' | 'revoked'; record: AccessTokenRecord }
  | { status: 'unknown' };

export type GrantFailure = 'invalid_grant';

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Every token issued and not yet forgotten, as JSON can hold it (the demo keeps it across restarts). */
export interface IssuedTokensSnapshot {
  accessTokens: AccessTokenRecord[];
  refreshTokens: RefreshTokenRecord[];
}

export class IssuedTokens {
  private readonly codes = new Map<string, CodeRecord>();
  private readonly accessTokens = new Map<string, AccessTokenRecord>();
  private readonly refreshTokens = new Map<string, RefreshTokenRecord>();

  constructor(
    private readonly now: () => number,
    public tokenLifetimeSeconds: number,
    public readonly codeLifetimeSeconds: number,
  ) {}

  createCode(clientId: string, redirectUri: string, userId: number): CodeRecord {
    const createdAt = this.now();
    const record: CodeRecord = {
      code: randomToken(),
      clientId,
      redirectUri,
      userId,
      createdAt,
      expiresAt: createdAt + this.codeLifetimeSeconds * 1000,
      used: false,
      family: randomToken(12),
    };
    this.codes.set(record.code, record);
    return record;
  }

  findCode(code: string): CodeRecord | undefined {
    return this.codes.get(code);
  }

  /**
   * Redeems a code. A code that was already used is refused and, as Doorkeeper does, everything
   * issued from it is revoked. A failed attempt (wrong redirect URI or client) leaves the code usable.
   */
  redeemCode(code: string, clientId: string, redirectUri: string): CodeRecord | GrantFailure {
    const record = this.codes.get(code);
    if (!record || record.clientId !== clientId) return 'invalid_grant';
    if (record.used) {
      this.revokeFamily(record.family);
      return 'invalid_grant';
    }
    if (this.now() >= record.expiresAt) return 'invalid_grant';
    if (record.redirectUri !== redirectUri) return 'invalid_grant';
    record.used = true;
    return record;
  }

  issue(
    clientId: string,
    userId: number,
    kind: TokenKind,
    family: string,
    withRefreshToken: boolean,
  ): AccessTokenRecord {
    const createdAt = this.now();
    const access: AccessTokenRecord = {
      token: randomToken(),
      clientId,
      userId,
      kind,
      createdAt,
      expiresAt: createdAt + this.tokenLifetimeSeconds * 1000,
      revoked: false,
      refreshToken: undefined,
      family,
    };
    if (withRefreshToken) {
      const refresh: RefreshTokenRecord = {
        token: randomToken(),
        accessToken: access.token,
        clientId,
        userId,
        kind,
        dead: false,
        family,
      };
      access.refreshToken = refresh.token;
      this.refreshTokens.set(refresh.token, refresh);
    }
    this.accessTokens.set(access.token, access);
    return access;
  }

  /**
   * Uses a refresh token: it dies at once (with the access token it was paired with), and a new
   * pair is issued. The caller may still lose the answer; the old token stays dead.
   */
  rotate(refreshToken: string, clientId: string): AccessTokenRecord | GrantFailure {
    const record = this.refreshTokens.get(refreshToken);
    if (!record || record.dead || record.clientId !== clientId) return 'invalid_grant';
    record.dead = true;
    const previous = this.accessTokens.get(record.accessToken);
    if (previous) previous.revoked = true;
    return this.issue(clientId, record.userId, record.kind, record.family, true);
  }

  checkAccessToken(token: string): AccessTokenCheck {
    const record = this.accessTokens.get(token);
    if (!record) return { status: 'unknown' };
    if (record.revoked) return { status: 'revoked', record };
    if (this.now() >= record.expiresAt) return { status: 'expired', record };
    return { status: 'valid', record };
  }

  /**
   * Revokes an access token together with its refresh token, as Procore documents `token` ("the
   * value of the access token you want to revoke"). Anything else changes nothing and is not told
   * apart (the answer is 200 either way): an unknown token, a refresh token, an access token that
   * has expired (whoever revokes refreshes first) or one of another client.
   */
  revoke(token: string, clientId: string): void {
    const access = this.accessTokens.get(token);
    if (!access || access.clientId !== clientId || this.now() >= access.expiresAt) return;
    access.revoked = true;
    const refresh = access.refreshToken ? this.refreshTokens.get(access.refreshToken) : undefined;
    if (refresh) refresh.dead = true;
  }

  revokeFamily(family: string): void {
    for (const access of this.accessTokens.values()) if (access.family === family) access.revoked = true;
    for (const refresh of this.refreshTokens.values()) if (refresh.family === family) refresh.dead = true;
  }

  expireAccessTokens(): void {
    const now = this.now();
    for (const access of this.accessTokens.values()) access.expiresAt = Math.min(access.expiresAt, now);
  }

  revokeAll(): void {
    for (const access of this.accessTokens.values()) access.revoked = true;
    for (const refresh of this.refreshTokens.values()) refresh.dead = true;
  }

  /** Live tokens only: codes live 10 minutes and are left out; dead refresh tokens and expired access tokens too. */
  snapshot(): IssuedTokensSnapshot {
    const now = this.now();
    return {
      accessTokens: [...this.accessTokens.values()].filter((record) => !record.revoked && record.expiresAt > now),
      refreshTokens: [...this.refreshTokens.values()].filter((record) => !record.dead),
    };
  }

  restore(snapshot: IssuedTokensSnapshot): void {
    for (const record of snapshot.accessTokens) this.accessTokens.set(record.token, { ...record });
    for (const record of snapshot.refreshTokens) this.refreshTokens.set(record.token, { ...record });
  }

  isRefreshTokenValid(token: string): boolean {
    const record = this.refreshTokens.get(token);
    return record !== undefined && !record.dead;
  }
}
