import type { ProcoreUser } from '../../procore/types';
import type { LayoutView } from './layout';
import { localsOf } from './locals';
import type { SessionRow } from './sessions';

export interface AccountView {
  layout: LayoutView;
  me: Pick<ProcoreUser, 'id' | 'login' | 'name'>;
  signedInAt: Date;
  accessTokenExpiresAt: Date;
  /** "Your sessions": every live session of this person, the current one first. */
  sessions: SessionRow[];
  /** After ending sessions: what happened. */
  sessionsNotice: string | undefined;
}

export const ACCOUNT_LOCALS = localsOf<AccountView>({ layout: true, me: true, signedInAt: true, accessTokenExpiresAt: true, sessions: true, sessionsNotice: true });

export function accountPage(
  layout: LayoutView,
  view: { me: AccountView['me']; signedInAt: number; accessTokenExpiresAt: number; sessions?: SessionRow[]; sessionsNotice?: string },
): AccountView {
  return {
    layout,
    me: view.me,
    signedInAt: new Date(view.signedInAt),
    accessTokenExpiresAt: new Date(view.accessTokenExpiresAt),
    sessions: view.sessions ?? [],
    sessionsNotice: view.sessionsNotice,
  };
}
