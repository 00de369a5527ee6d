import type { CompanySummary } from '../../projects/project-summary';
import type { ProcoreWebLinks } from '../../procore/web-links';
import type { ListQuery } from '../../projects/query';
import type { LayoutView } from '../view-models/layout';
import { formatAge, timeView, type TimeView } from '../view-models/local-time';
import { localsOf } from '../view-models/locals';
import { loadedText, projectListing, type ListingContent, type ProjectListingView } from './listing';

/**
 * A project list as read from the catalog, for one company and query: its listing section either
 * to be rendered (`list`, `stageMix`) or already rendered (`html`, see projectListing).
 */
export type Listing = {
  fetchedAt: number;
  /** Served from the saved copy because Procore did not answer. */
  stale: boolean;
} & (ListingContent | { html: string });

export interface ProjectsView {
  layout: LayoutView;
  companies: readonly CompanySummary[];
  /** More than one company to choose from: the picker (select + Show button) is on the page. */
  showCompanyPicker: boolean;
  /** The company shown, if any. */
  company: CompanySummary | undefined;
  query: ListQuery;
  notice: string | undefined;
  /** The person's Procore account cannot see this company (403). */
  noAccess: boolean;
  /** A list was read: the freshness line, the Refresh button and the listing are on the page. */
  listed: boolean;
  /** The listing section already rendered (reused across requests), else rendered from `listing`. */
  listingHtml: string | undefined;
  listing: ProjectListingView | undefined;
  fetchedAtIso: string | undefined;
  age: string | undefined;
  /** When the list shown was read from Procore (said outright when it is a stale copy; else undefined). */
  savedAt: TimeView | undefined;
  stale: boolean;
  /** The company's home in Procore's web app. */
  procoreCompanyHref: string | undefined;
  /** The list is still loading: how far, and where the page's script asks for more. */
  loading: LoadingLine | undefined;
}

/** "2,300 of 10,000 loaded", updated in place by /static/list-progress.js (or by reloading without scripts). */
export interface LoadingLine {
  text: string;
  /** The asked order is only final once every project is in (Procore sent them by name). */
  orderNote: boolean;
  /** JSON: `{ state: 'loading', loaded, total }` or `{ state: 'done' }`. */
  progressHref: string;
}

export const PROJECTS_LOCALS = localsOf<ProjectsView>({
  layout: true,
  companies: true,
  showCompanyPicker: true,
  company: true,
  query: true,
  notice: true,
  noAccess: true,
  listed: true,
  listingHtml: true,
  listing: true,
  fetchedAtIso: true,
  age: true,
  savedAt: true,
  stale: true,
  procoreCompanyHref: true,
  loading: true,
});

export interface ProjectsPageInput {
  companies: readonly CompanySummary[];
  company: CompanySummary | undefined;
  /** With the shown company's id once one is picked. */
  query: ListQuery;
  notice: string | undefined;
  noAccess?: boolean;
  listing?: Listing;
  /** Epoch ms, for "updated 3 minutes ago". */
  now: number;
  links: ProcoreWebLinks;
  /** The listing holds only what has loaded so far. */
  loading?: { loaded: number; total: number | undefined; progressHref: string };
}

export function projectsPage(layout: LayoutView, input: ProjectsPageInput): ProjectsView {
  const { company, listing } = input;
  const stale = listing?.stale ?? false;
  const rendered = listing && 'html' in listing ? listing.html : undefined;
  const toRender = listing && !('html' in listing) ? listing : undefined;
  return {
    layout,
    companies: input.companies,
    showCompanyPicker: input.companies.length > 1,
    company,
    query: toRender ? { ...input.query, page: toRender.list.page } : input.query,
    notice: input.notice,
    noAccess: input.noAccess ?? false,
    listed: listing !== undefined,
    listingHtml: rendered,
    listing: company && toRender ? projectListing(company, input.query, toRender, input.links) : undefined,
    fetchedAtIso: listing ? new Date(listing.fetchedAt).toISOString() : undefined,
    age: listing ? formatAge(input.now - listing.fetchedAt) : undefined,
    savedAt: listing && stale ? timeView(listing.fetchedAt) : undefined,
    stale,
    procoreCompanyHref: company && listing ? input.links.company(company) : undefined,
    loading: input.loading && {
      text: loadedText(input.loading),
      // Procore is asked for name order: only that order is final for the rows already in.
      orderNote: input.query.sort !== 'name',
      progressHref: input.loading.progressHref,
    },
  };
}

export interface ProjectsLoadingView {
  layout: LayoutView;
  company: CompanySummary;
  reloadHref: string;
  /** "2,300 of 10,000 loaded" when the load (here or on another instance) has said how far it is. */
  progressText: string | undefined;
}

export const PROJECTS_LOADING_LOCALS = localsOf<ProjectsLoadingView>({
  layout: true,
  company: true,
  reloadHref: true,
  progressText: true,
});

export function projectsLoadingPage(
  layout: LayoutView,
  view: { company: CompanySummary; reloadHref: string; progress?: { loaded: number; total: number | undefined } },
): ProjectsLoadingView {
  return {
    layout,
    company: view.company,
    reloadHref: view.reloadHref,
    progressText: view.progress && loadedText(view.progress),
  };
}
