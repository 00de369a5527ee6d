import { Router } from 'express';
import type { ProcoreApiClient } from '../../procore/contracts';
import type { ProcoreWebLinks } from '../../procore/web-links';
import { isProcoreError } from '../../procore/errors';
import type { ProjectCatalog } from '../../projects/project-catalog';
import { isWorthServingStale } from '../../projects/list-cache';
import { listSearch, parseId, parseListQuery, type ListQuery } from '../../projects/query';
import { HttpError, thisPageAgain } from '../http-error';
import { layoutOf } from '../view-models/layout';
import { projectsLoadingPage, projectsPage } from './list-page';
import { BACK_TO_PROJECTS, chooseCompany, listQueryOf, userIdOf, withTokenOf } from './list-request';
import { projectListing } from './listing';
import { ListingFragments } from './listing-fragments';
import { projectPage, staleProjectPage } from './project-page';
import { LISTING_SLOT, renderView, sendPage } from './send-page';

export interface ProjectsRoutesOptions {
  api: ProcoreApiClient;
  catalog: ProjectCatalog;
  /** Addresses in Procore's web app ("Open in Procore"). */
  links: ProcoreWebLinks;
  now?: () => number;
}

/**
 * A first load shows its first rows as soon as Procore's first page arrives; one that has not
 * brought a page after this long answers a "loading" page that reloads itself (the load goes on in
 * the background).
 */
const FIRST_LOAD_WAIT_MS = 1_500;
/** Where scripts do not run, a page of a list still loading reloads itself this often. */
const RELOAD_WITHOUT_SCRIPT_SECONDS = 3;

export function createProjectsRoutes(options: ProjectsRoutesOptions): Router {
  const router = Router();
  const { api, catalog } = options;
  const now = options.now ?? Date.now;
  // Rendered listing sections kept for reuse (4 MiB of them).
  const fragments = new ListingFragments();

  router.get('/', async (req, res) => {
    const query = listQueryOf(req.query);
    const userId = userIdOf(req);
    const withToken = withTokenOf(res);
    const notice = req.session.notice;
    if (notice !== undefined) delete req.session.notice;

    const companiesRead = await catalog.companies(userId, withToken);
    const companies = companiesRead.value;
    const layout = (title: string) => layoutOf(res.locals.viewer, title, 'projects');
    const common = { companies, query, notice, now: now(), links: options.links };

    const company = chooseCompany(companies, query.companyId, req.session.lastCompanyId);
    if (company === 'no_access') {
      res
        .status(403)
        .render('projects', projectsPage(layout('No access'), { ...common, company: undefined, noAccess: true }));
      return;
    }
    if (!company) {
      res.render('projects', projectsPage(layout('Projects'), { ...common, company: undefined }));
      return;
    }
    if (req.session.lastCompanyId !== company.id) req.session.lastCompanyId = company.id;
    const listQuery: ListQuery = { ...query, companyId: company.id };

    let read;
    try {
      read = await catalog.projects(userId, company.id, query.status, withToken, {
        waitMs: FIRST_LOAD_WAIT_MS,
        partial: true,
      });
    } catch (error) {
      if (isProcoreError(error, 'forbidden')) {
        res
          .status(403)
          .render(
            'projects',
            projectsPage(layout('No access'), { ...common, query: listQuery, company, noAccess: true }),
          );
        return;
      }
      throw error;
    }
    if (read.kind === 'pending') {
      // Browsers reload on `Refresh`; the link below does the same by hand. No script needed.
      res.set('Refresh', '2');
      res.status(202).render(
        'projects-loading',
        projectsLoadingPage(layout(`Loading ${company.name}`), {
          company,
          reloadHref: thisPageAgain(req),
          progress: read.progress,
        }),
      );
      return;
    }
    if (read.kind === 'partial') {
      // The first rows while the rest arrives: rendered for this request (the list changes as pages arrive).
      const index = read.value;
      const progress = { loaded: read.loaded, total: read.total };
      const listing = {
        fetchedAt: now(),
        stale: false,
        list: index.select(query),
        stageMix: index.stageMix(query),
        partial: progress,
      };
      const loading = {
        ...progress,
        progressHref: `/projects/progress${listSearch({ companyId: company.id, status: query.status })}`,
      };
      const partialLayout = {
        ...layout(`${company.name} projects`),
        reloadWithoutScriptSeconds: RELOAD_WITHOUT_SCRIPT_SECONDS,
      };
      res.render('projects', projectsPage(partialLayout, { ...common, query: listQuery, company, listing, loading }));
      return;
    }
    // Filters, stage chart, summary, rows and pagination are the same for everyone viewing this copy
    // of this list with this query: rendered once. Only the page around them is per request.
    const index = read.value;
    const key = ListingFragments.key(
      catalog.projectsKey(userId, company.id, query.status),
      read.fetchedAt,
      company.name,
      listSearch(listQuery),
    );
    const section = await fragments.get(key, () => {
      const content = { list: index.select(query), stageMix: index.stageMix(query) };
      return renderView(res, 'partials/project-listing', projectListing(company, listQuery, content, options.links));
    });
    const listing = { html: LISTING_SLOT, fetchedAt: read.fetchedAt, stale: read.stale || companiesRead.stale };
    await sendPage(
      res,
      'projects',
      projectsPage(layout(`${company.name} projects`), { ...common, query: listQuery, company, listing }),
      section,
    );
  });

  /** How far a list's first load is: the list page's script polls it to update "2,300 of 10,000 loaded" in place. */
  router.get('/progress', async (req, res) => {
    const query = listQueryOf(req.query);
    if (query.companyId === undefined)
      throw new HttpError(400, 'Unknown company', 'This address names no company.', BACK_TO_PROJECTS);
    res.json(await catalog.projectsLoad(userIdOf(req), query.companyId, query.status));
  });

  /** The Refresh button: reads the lists from Procore again, then shows the same view. */
  router.post('/refresh', async (req, res) => {
    const query = listQueryOf((req.body ?? {}) as Record<string, unknown>);
    const userId = userIdOf(req);
    const withToken = withTokenOf(res);
    const companies = await catalog.companies(userId, withToken, { refresh: true });
    const companyId = query.companyId ?? req.session.lastCompanyId;
    let stale = companies.stale;
    if (companyId !== undefined && companies.value.some((company) => company.id === companyId)) {
      const read = await catalog.projects(userId, companyId, query.status, withToken, { refresh: true });
      stale ||= read.kind === 'value' && read.stale;
    }
    if (stale)
      req.session.notice =
        'Procore is not answering right now, so the list could not be refreshed. You are seeing the last copy we have.';
    res.redirect(303, `/projects${listSearch({ ...query, page: undefined, companyId })}`);
  });

  router.get('/:id', async (req, res) => {
    const projectId = parseId(req.params.id);
    const parsed = parseListQuery(req.query);
    const companyId = parsed.ok ? (parsed.query.companyId ?? req.session.lastCompanyId) : undefined;
    if (projectId === undefined || !parsed.ok || companyId === undefined) {
      throw new HttpError(
        400,
        'Unknown project',
        'This address does not name a valid project and company.',
        BACK_TO_PROJECTS,
      );
    }
    const backHref = `/projects${listSearch({ ...parsed.query, companyId })}`;
    // The company's zone comes with the (cached) company list; without it the link uses the environment's host.
    const linked = await catalog.companies(userIdOf(req), withTokenOf(res)).then(
      (read) => read.value.find((company) => company.id === companyId) ?? { id: companyId },
      () => ({ id: companyId }),
    );
    const procoreHref = options.links.project(linked, projectId);
    try {
      const project = await res.locals.procore.call((accessToken) =>
        api.project({ accessToken, companyId }, projectId),
      );
      res.render(
        'project',
        projectPage(layoutOf(res.locals.viewer, project.name, 'projects'), { project, backHref, procoreHref }),
      );
    } catch (error) {
      // Procore is struggling: the project list we saved still knows the basics.
      const cached = isWorthServingStale(error)
        ? await catalog.cachedProject(userIdOf(req), companyId, projectId)
        : undefined;
      if (!cached) throw error;
      const layout = layoutOf(res.locals.viewer, cached.project.name, 'projects');
      res.render('project', staleProjectPage(layout, { ...cached, now: now(), backHref, procoreHref }));
    }
  });

  return router;
}
