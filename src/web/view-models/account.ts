import type { ProcoreUser } from '../../procore/types';
import type { LayoutView } from './layout';
import { localsOf } from './locals';

export interface AccountView {
  layout: LayoutView;
  me: Pick<ProcoreUser, 'id' | 'login' | 'name'>;
  signedInAt: Date;
  accessTokenExpiresAt: Date;
}

export const ACCOUNT_LOCALS = localsOf<AccountView>({ layout: true, me: true, signedInAt: true, accessTokenExpiresAt: true });

export function accountPage(layout: LayoutView, view: { me: AccountView['me']; signedInAt: number; accessTokenExpiresAt: number }): AccountView {
  return { layout, me: view.me, signedInAt: new Date(view.signedInAt), accessTokenExpiresAt: new Date(view.accessTokenExpiresAt) };
}
