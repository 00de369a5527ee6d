import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { ProcoreApiClient } from '../procore/contracts';
import { isProcoreError } from '../procore/errors';
import type { CompanySummary } from '../projects/project-summary';
import type { ProjectCatalog, WithAccessToken } from '../projects/project-catalog';
import { isWorthServingStale } from '../projects/list-cache';
import { DEFAULT_QUERY, listSearch, parseId, parseListQuery, type ListQuery } from '../projects/query';
import { HttpError } from './http-error';
import { formatAge, paginationLinks, projectRows, sortOptions, statusOptions, summaryText } from './projects/view-model';

export { parseId } from '../projects/query';

export interface ProjectsRoutesOptions {
  requireSignIn: RequestHandler[];
  api: ProcoreApiClient;
  catalog: ProjectCatalog;
  /**
   * A first load still running after this long answers a "loading" page that reloads itself
   * (the load goes on in the background). Default 1500 ms.
   */
  firstLoadWaitMs?: number;
  now?: () => number;
}

const BACK_TO_PROJECTS = { retryHref: '/projects', retryLabel: 'Back to projects' };

function pickCompany(companies: readonly CompanySummary[], remembered: number | undefined): CompanySummary | undefined {
  return companies.find((company) => company.id === remembered) ?? companies.find((company) => company.active) ?? companies[0];
}

function withTokenOf(res: Response): WithAccessToken {
  const procore = res.locals.procore;
  return (operation) => procore.call(operation);
}

function userIdOf(req: Request): number {
  return req.session.auth!.user.id;
}

export function createProjectsRoutes(options: ProjectsRoutesOptions): Router {
  const router = Router();
  const { api, catalog } = options;
  const now = options.now ?? Date.now;
  const firstLoadWaitMs = options.firstLoadWaitMs ?? 1_500;

  router.get('/projects', ...options.requireSignIn, async (req, res) => {
    const parsed = parseListQuery(req.query);
    if (!parsed.ok) throw new HttpError(400, 'Unknown company', parsed.message, BACK_TO_PROJECTS);
    const query = parsed.query;
    const userId = userIdOf(req);
    const withToken = withTokenOf(res);
    const notice = req.session.notice;
    if (notice !== undefined) delete req.session.notice;

    const companiesRead = await catalog.companies(userId, withToken);
    const companies = companiesRead.value;
    const common = { companies, query, sortOptions, statusOptions, notice, DEFAULT_QUERY };

    if (query.companyId !== undefined && !companies.some((company) => company.id === query.companyId)) {
      res.status(403).render('projects', { ...common, title: 'No access', company: undefined, noAccess: true });
      return;
    }
    const company = query.companyId === undefined ? pickCompany(companies, req.session.lastCompanyId) : companies.find((c) => c.id === query.companyId);
    if (!company) {
      res.render('projects', { ...common, title: 'Projects', company: undefined });
      return;
    }
    if (req.session.lastCompanyId !== company.id) req.session.lastCompanyId = company.id;
    const listQuery: ListQuery = { ...query, companyId: company.id };

    let read;
    try {
      read = await catalog.projects(userId, company.id, query.status, withToken, { waitMs: firstLoadWaitMs });
    } catch (error) {
      if (isProcoreError(error, 'forbidden')) {
        res.status(403).render('projects', { ...common, query: listQuery, title: 'No access', company, noAccess: true });
        return;
      }
      throw error;
    }
    if (read.kind === 'pending') {
      // Browsers reload on `Refresh`; the link below does the same by hand. No script needed.
      res.set('Refresh', '2');
      res.status(202).render('projects-loading', { title: `Loading ${company.name}`, company, reloadHref: req.originalUrl });
      return;
    }
    const list = read.value.select(query);
    const fetchedAt = read.fetchedAt;
    const stale = read.stale || companiesRead.stale;
    res.render('projects', {
      ...common,
      title: `${company.name} projects`,
      company,
      query: { ...listQuery, page: list.page },
      list,
      rows: projectRows(list.rows, company.id, { ...listQuery, page: list.page }),
      summary: summaryText(list, query),
      pagination: paginationLinks(list, listQuery),
      fetchedAtIso: new Date(fetchedAt).toISOString(),
      age: formatAge(now() - fetchedAt),
      stale,
      isFiltered: query.q !== '' || query.status !== DEFAULT_QUERY.status || query.sort !== DEFAULT_QUERY.sort,
    });
  });

  /** The Refresh button: reads the lists from Procore again, then shows the same view. */
  router.post('/projects/refresh', ...options.requireSignIn, async (req, res) => {
    const parsed = parseListQuery((req.body ?? {}) as Record<string, unknown>);
    if (!parsed.ok) throw new HttpError(400, 'Unknown company', parsed.message, BACK_TO_PROJECTS);
    const query = parsed.query;
    const userId = userIdOf(req);
    const withToken = withTokenOf(res);
    const companies = await catalog.companies(userId, withToken, { refresh: true });
    const companyId = query.companyId ?? req.session.lastCompanyId;
    let stale = companies.stale;
    if (companyId !== undefined && companies.value.some((company) => company.id === companyId)) {
      const read = await catalog.projects(userId, companyId, query.status, withToken, { refresh: true });
      stale ||= read.kind === 'value' && read.stale;
    }
    if (stale) req.session.notice = 'Procore is not answering right now, so the list could not be refreshed. You are seeing the last copy we have.';
    res.redirect(303, `/projects${listSearch({ ...query, page: undefined, companyId })}`);
  });

  router.get('/projects/:id', ...options.requireSignIn, async (req, res) => {
    const projectId = parseId(req.params.id);
    const parsed = parseListQuery(req.query);
    const companyId = parsed.ok ? (parsed.query.companyId ?? req.session.lastCompanyId) : undefined;
    if (projectId === undefined || !parsed.ok || companyId === undefined) {
      throw new HttpError(400, 'Unknown project', 'This address does not name a valid project and company.', BACK_TO_PROJECTS);
    }
    const backHref = `/projects${listSearch({ ...parsed.query, companyId })}`;
    try {
      const project = await res.locals.procore.call((accessToken) => api.project({ accessToken, companyId }, projectId));
      res.render('project', { title: project.name, project, companyId, backHref, stale: false });
    } catch (error) {
      // Procore is struggling: the project list we saved still knows the basics.
      const cached = isWorthServingStale(error) ? await catalog.cachedProject(userIdOf(req), companyId, projectId) : undefined;
      if (!cached) throw error;
      res.render('project', {
        title: cached.project.name,
        project: {
          name: cached.project.name,
          display_name: null,
          project_number: cached.project.number,
          stage: cached.project.stage,
          active: cached.project.active,
          address: cached.project.address,
          city: cached.project.city,
          state_code: cached.project.stateCode,
        },
        companyId,
        backHref,
        stale: true,
        age: formatAge(now() - cached.fetchedAt),
      });
    }
  });

  return router;
}
