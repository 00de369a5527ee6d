/** What sign-in keeps in a session. Tokens are NOT here: they live encrypted under their own key. */
export interface SignedInUser {
  id: number;
  login: string;
  name: string;
}

export interface SessionAuth {
  /** Names the encrypted token set in Redis (see token-store). */
  tokenSetId: string;
  user: SignedInUser;
  /** Epoch ms; the absolute session lifetime counts from here. */
  signedInAt: number;
}

/** One sign-in started in this browser and not finished yet (see pending-sign-ins). */
export interface PendingSignIn {
  /** The OAuth `state` sent to Procore. */
  state: string;
  /** Epoch ms. */
  startedAt: number;
  /** Local path to open once signed in. */
  returnTo: string;
}

declare module 'express-session' {
  interface SessionData {
    auth: SessionAuth;
    /** Sign-ins started in this browser and not finished yet, oldest first (at most five). */
    pendingSignIns: PendingSignIn[];
  }
}
