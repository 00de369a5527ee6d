/** What sign-in keeps in a session. Tokens are NOT here: they live encrypted under their own key. */
export interface SignedInUser {
  id: number;
  login: string;
  name: string;
}

export interface SessionAuth {
  tokenSetId: string; // Names the encrypted token set in Redis (see token-store).
  user: SignedInUser;
  signedInAt: number; // Epoch ms; the absolute session lifetime counts from here.
}

/** One sign-in started in this browser and not finished yet (see pending-sign-ins). */
export interface PendingSignIn {
  state: string; // The OAuth `state` sent to Procore.
  startedAt: number; // Epoch ms.
  returnTo: string; // Local path to open once signed in.
}

declare module 'express-session' {
  interface SessionData {
    auth: SessionAuth;
    /** Sign-ins started in this browser and not finished yet, oldest first (at most five). */
    pendingSignIns: PendingSignIn[];
  }
}
