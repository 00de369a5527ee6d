import type { LayoutView } from './layout';
import { localsOf } from './locals';

export interface HomeView {
  layout: LayoutView;
  /** Why the person is on the sign-in page again (signed out, session expired, ...). */
  notice: string | undefined;
  signInHref: string;
}

export const HOME_LOCALS = localsOf<HomeView>({ layout: true, notice: true, signInHref: true });

export function homePage(layout: LayoutView, view: Omit<HomeView, 'layout'>): HomeView {
  return { layout, notice: view.notice, signInHref: view.signInHref };
}
