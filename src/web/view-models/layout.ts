import { localsOf } from './locals';

/** The header's navigation links; the current one is marked for screen readers. */
export type NavItem = 'projects' | 'account' | 'admin';

/** Who is looking at the page: set once per request (app.ts) as `res.locals.viewer`. */
export interface Viewer {
  user: { name: string } | undefined;
  /** Only for signed-in people: the header's sign-out form and the pages' POST forms carry it. */
  csrfToken: string | undefined;
  /** One of ADMIN_USER_IDS: the header links to /admin. */
  isOperator?: boolean;
}

declare global {
  namespace Express {
    interface Locals {
      /** Set for every page request (app.ts); routes pass it to `layoutOf`, templates never read it. */
      viewer?: Viewer;
    }
  }
}

/** The part every page shares: partials/head reads exactly these. */
export interface LayoutView extends Viewer {
  title: string;
  current: NavItem | undefined;
  /** Where scripts do not run, the page reloads itself after this many seconds (a list still loading). */
  reloadWithoutScriptSeconds: number | undefined;
}

export const LAYOUT_LOCALS = localsOf<LayoutView>({
  title: true,
  user: true,
  csrfToken: true,
  isOperator: true,
  current: true,
  reloadWithoutScriptSeconds: true,
});

export function layoutOf(viewer: Viewer | undefined, title: string, current?: NavItem): LayoutView {
  return {
    title,
    user: viewer?.user,
    csrfToken: viewer?.csrfToken,
    isOperator: viewer?.isOperator ?? false,
    current,
    reloadWithoutScriptSeconds: undefined,
  };
}
