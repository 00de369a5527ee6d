/** What this app keeps in a session. Tokens are NOT here: they live encrypted under their own key. */
export interface SignedInUser {
  id: number;
  login: string;
  name: string;
}

export interface SessionAuth {
  /** Names the encrypted token set in Redis (see auth/token-store). */
  tokenSetId: string;
  user: SignedInUser;
  /** Epoch ms; the absolute session lifetime counts from here. */
  signedInAt: number;
}

/** One sign-in started in this browser and not finished yet (see web/sign-in/pending-sign-ins). */
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
    /** A one-time message for the next page (why the user was signed out, ...). */
    notice: string;
    /** The company the user looked at last. */
    lastCompanyId: number;
  }
}
