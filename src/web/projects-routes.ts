import { Router, type RequestHandler } from 'express';
import type { ProcoreApiClient } from '../procore/contracts';
import type { ProcoreCompany } from '../procore/types';
import { HttpError } from './http-error';

export interface ProjectsRoutesOptions {
  requireSignIn: RequestHandler[];
  api: ProcoreApiClient;
}

/** A positive whole number from the query string, or undefined. Company ids can exceed 32 bits. */
export function parseId(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^[1-9]\d{0,15}$/.test(value)) return undefined;
  const id = Number(value);
  return Number.isSafeInteger(id) ? id : undefined;
}

function pickCompany(companies: ProcoreCompany[], requested: number | undefined, remembered: number | undefined): ProcoreCompany | undefined {
  return (
    companies.find((company) => company.id === requested) ??
    companies.find((company) => company.id === remembered) ??
    companies.find((company) => company.is_active) ??
    companies[0]
  );
}

export function createProjectsRoutes(options: ProjectsRoutesOptions): Router {
  const router = Router();
  const { api } = options;

  router.get('/projects', ...options.requireSignIn, async (req, res) => {
    const procore = res.locals.procore;
    const requested = req.query.company_id === undefined ? undefined : parseId(req.query.company_id);
    if (req.query.company_id !== undefined && requested === undefined) {
      throw new HttpError(400, 'Unknown company', 'The company in this address is not a valid Procore company id.', { retryHref: '/projects', retryLabel: 'Back to projects' });
    }
    const companies = await procore.call((accessToken) => api.companies({ accessToken }));
    const company = pickCompany(companies, requested, req.session.lastCompanyId);
    if (requested !== undefined && company?.id !== requested) {
      throw new HttpError(403, 'No access', 'Your Procore account does not have access to that company.', { retryHref: '/projects', retryLabel: 'Back to projects' });
    }
    const projects = company ? await procore.call((accessToken) => api.allProjects({ accessToken, companyId: company.id })) : [];
    if (company && req.session.lastCompanyId !== company.id) req.session.lastCompanyId = company.id;
    res.set('Cache-Control', 'no-store');
    res.render('projects', { title: company ? `${company.name} projects` : 'Projects', companies, company, projects });
  });

  router.get('/projects/:id', ...options.requireSignIn, async (req, res) => {
    const projectId = parseId(req.params.id);
    const companyId = parseId(req.query.company_id) ?? req.session.lastCompanyId;
    if (projectId === undefined || companyId === undefined) {
      throw new HttpError(400, 'Unknown project', 'This address does not name a valid project and company.', { retryHref: '/projects', retryLabel: 'Back to projects' });
    }
    const project = await res.locals.procore.call((accessToken) => api.project({ accessToken, companyId }, projectId));
    res.set('Cache-Control', 'no-store');
    res.render('project', { title: project.name, project, companyId });
  });

  return router;
}
