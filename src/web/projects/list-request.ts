import type { Request, Response } from 'express';
import type { WithAccessToken } from '../../projects/project-catalog';
import type { CompanySummary } from '../../projects/project-summary';
import { parseListQuery, type ListQuery } from '../../projects/query';
import { HttpError } from '../http-error';

/**
 * What the list page and its CSV download both read from a request: the list query, the person,
 * their Procore calls and the company they are about.
 */

/** Where an error page about the list sends the person. */
export const BACK_TO_PROJECTS = { retryHref: '/projects', retryLabel: 'Back to projects' };

/** The list query of an address or form; one naming no valid company is a 400 page. */
export function listQueryOf(fields: Record<string, unknown>): ListQuery {
  const parsed = parseListQuery(fields);
  if (!parsed.ok) throw new HttpError(400, 'Unknown company', parsed.message, BACK_TO_PROJECTS);
  return parsed.query;
}

/**
 * The company a list page or download is about: the one asked for in the address (or `no_access`
 * when this person cannot see it), else the one looked at last, the first active one, the first one
 * (`undefined` only for a person with no companies).
 */
export function chooseCompany(
  companies: readonly CompanySummary[],
  asked: number | undefined,
  remembered: number | undefined,
): CompanySummary | 'no_access' | undefined {
  if (asked !== undefined) return companies.find((company) => company.id === asked) ?? 'no_access';
  return (
    companies.find((company) => company.id === remembered) ??
    companies.find((company) => company.active) ??
    companies[0]
  );
}

/** The catalog's way to call Procore: through this request's Procore session (fresh token, one retry on 401). */
export function withTokenOf(res: Response): WithAccessToken {
  const procore = res.locals.procore;
  return (operation) => procore.call(operation);
}

/** The signed-in person's Procore user id (behind `requireSignIn`). */
export function userIdOf(req: Request): number {
  return req.session.auth!.user.id;
}
