/** A token set as the app keeps it (epoch ms). Access tokens last `expires_in` seconds (5,400 today): always read it. */
export interface TokenSet {
  accessToken: string;
  /** Absent for the client-credentials grant (service accounts). Single-use: it rotates on every refresh. */
  refreshToken?: string;
  expiresAt: number; // When the access token stops working, in epoch ms.
  issuedAt: number; // When Procore issued it (its `created_at`, never after we received it), in epoch ms.
}

/** The raw JSON of a successful `POST /oauth/token`. */
export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token?: string;
  created_at?: number;
}

/** Refresh this long before expiry at most (a quarter of a shorter lifetime), so a call started now does not land on a dead token. */
export const DEFAULT_REFRESH_MARGIN_MS = 60_000;

/** Expiry counts from `receivedAt` (our clock), not Procore's `created_at`: skew cannot make a token last longer. */
export function tokenSetFromResponse(response: TokenResponse, receivedAt: number): TokenSet {
  const issuedAt =
    typeof response.created_at === 'number' ? Math.min(response.created_at * 1000, receivedAt) : receivedAt;
  const tokenSet: TokenSet = {
    accessToken: response.access_token,
    expiresAt: receivedAt + response.expires_in * 1000,
    issuedAt,
  };
  if (response.refresh_token) tokenSet.refreshToken = response.refresh_token;
  return tokenSet;
}

/** True when the access token has expired or will within the margin: `marginMs`, or a quarter of its lifetime when that is shorter. */
export function needsRefresh(
  tokenSet: Pick<TokenSet, 'expiresAt' | 'issuedAt'>,
  now: number,
  marginMs = DEFAULT_REFRESH_MARGIN_MS,
): boolean {
  return tokenSet.expiresAt - Math.min(marginMs, (tokenSet.expiresAt - tokenSet.issuedAt) / 4 || marginMs) <= now;
}
