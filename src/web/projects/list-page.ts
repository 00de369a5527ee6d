import type { CompanySummary } from '../../projects/project-summary';
import type { ProcoreWebLinks } from '../../procore/web-links';
import type { ListQuery } from '../../projects/query';
import type { LayoutView } from '../view-models/layout';
import { formatAge, timeView, type TimeView } from '../view-models/local-time';
import { localsOf } from '../view-models/locals';
import { projectListing, type ListingContent, type ProjectListingView } from './listing';

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
  };
}

export interface ProjectsLoadingView {
  layout: LayoutView;
  company: CompanySummary;
  reloadHref: string;
}

export const PROJECTS_LOADING_LOCALS = localsOf<ProjectsLoadingView>({ layout: true, company: true, reloadHref: true });

export function projectsLoadingPage(layout: LayoutView, view: Omit<ProjectsLoadingView, 'layout'>): ProjectsLoadingView {
  return { layout, company: view.company, reloadHref: view.reloadHref };
}

