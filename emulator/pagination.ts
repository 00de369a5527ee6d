/**
 * Procore-style pagination: `page` (1-based) and `per_page` (clamped), with `Total`, `Per-Page`
 * and an RFC 8288 `Link` header of absolute URLs (rel first/prev/next/last; no next on the last page).
 */
import type { Request, Response } from 'express';

export interface PaginationLimits {
  defaultPerPage: number;
  maxPerPage: number;
}

export const PROJECTS_PAGINATION: PaginationLimits = { defaultPerPage: 100, maxPerPage: 300 };

function positiveInt(value: unknown): number | undefined {
  const text: unknown = Array.isArray(value) ? value[0] : value;
  if (typeof text !== 'string' || !/^\s*\d+\s*$/.test(text)) return undefined;
  const parsed = Number(text);
  return Number.isSafeInteger(parsed) && parsed > 0 ? parsed : undefined;
}

/** Slices `items` for the request's page and sets the pagination headers. */
export function paginate<T>(req: Request, res: Response, items: readonly T[], limits: PaginationLimits): T[] {
  const page = positiveInt(req.query.page) ?? 1;
  const perPage = Math.min(limits.maxPerPage, positiveInt(req.query.per_page) ?? limits.defaultPerPage);
  const total = items.length;
  const lastPage = Math.max(1, Math.ceil(total / perPage));

  const base = new URL(req.originalUrl, `${req.protocol}://${req.get('host') ?? 'localhost'}`);
  const pageUrl = (n: number): string => {
    const url = new URL(base);
    url.searchParams.set('page', String(n));
    url.searchParams.set('per_page', String(perPage));
    return url.toString();
  };
  const links: string[] = [`<${pageUrl(1)}>; rel="first"`];
  if (page > 1) links.push(`<${pageUrl(Math.min(page - 1, lastPage))}>; rel="prev"`);
  if (page < lastPage) links.push(`<${pageUrl(page + 1)}>; rel="next"`);
  links.push(`<${pageUrl(lastPage)}>; rel="last"`);

  res.set('Total', String(total));
  res.set('Per-Page', String(perPage));
  res.set('Link', links.join(', '));
  return items.slice((page - 1) * perPage, page * perPage);
}
