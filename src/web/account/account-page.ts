import type { ProcoreUser } from '../../procore/types';
import type { LayoutView } from '../view-models/layout';
import { timeView, type TimeView } from '../view-models/local-time';
import { localsOf } from '../view-models/locals';
import type { SessionRow } from './session-rows';

export interface AccountView {
  layout: LayoutView;
  me: Pick<ProcoreUser, 'id' | 'login' | 'name'>;
  /** Written in UTC with the zone named; public/app.js shows them in the reader's time zone. */
  signedInAt: TimeView;
  accessTokenExpiresAt: TimeView;
  /** "Your sessions": every live session of this person, the current one first. */
  sessions: SessionRow[];
  /** After ending sessions: what happened. */
  sessionsNotice: string | undefined;
}

export const ACCOUNT_LOCALS = localsOf<AccountView>({
  layout: true,
  me: true,
  signedInAt: true,
  accessTokenExpiresAt: true,
  sessions: true,
  sessionsNotice: true,
});

export function accountPage(
  layout: LayoutView,
  view: {
    me: AccountView['me'];
    signedInAt: number;
    accessTokenExpiresAt: number;
    sessions?: SessionRow[];
    sessionsNotice?: string;
  },
): AccountView {
  return {
    layout,
    me: view.me,
    signedInAt: timeView(view.signedInAt),
    accessTokenExpiresAt: timeView(view.accessTokenExpiresAt),
    sessions: view.sessions ?? [],
    sessionsNotice: view.sessionsNotice,
  };
}
