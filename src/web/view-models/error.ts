import type { HttpError } from '../http-error';
import type { LayoutView } from './layout';
import { localsOf } from './locals';

export interface ErrorView {
  layout: LayoutView;
  status: number;
  heading: string;
  detail: string;
  /** The way on: try again, back to the projects, home. */
  retry: { href: string; label: string } | undefined;
}

export const ERROR_LOCALS = localsOf<ErrorView>({
  layout: true,
  status: true,
  heading: true,
  detail: true,
  retry: true,
});

export function errorPage(layout: LayoutView, error: HttpError): ErrorView {
  const { retryHref, retryLabel } = error.options;
  return {
    layout,
    status: error.status,
    heading: error.title,
    detail: error.detail,
    retry: retryHref ? { href: retryHref, label: retryLabel ?? 'Try again' } : undefined,
  };
}
