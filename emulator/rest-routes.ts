/**
 * The API host: /rest/v1.0/me, /companies, /projects and /projects/:id (bearer tokens required),
 * and /rest/v1.0/company_base_url (no authorization, as Procore documents it).
 */
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { ProcoreCompany, ProjectStatusFilter } from '../src/procore/types';
import { principalFor, type EmulatorContext, type Principal } from './context';
import type { EmulatorProject } from './data';
import { paginate } from './pagination';
import { serializeProject, type ProjectView } from './project-shapes';
import { restError } from './responses';
import { zoneWebUrl } from './web-app-pages';

const COMPANY_HEADER = 'Procore-Company-Id';
const STATUS_FILTERS: readonly ProjectStatusFilter[] = ['Active', 'Inactive', 'All'];

/** Set by `authenticate` for the route handlers. */
const principals = new WeakMap<Request, Principal>();

function principalOf(req: Request): Principal {
  const principal = principals.get(req);
  if (!principal) throw new Error('route used without authenticate');
  return principal;
}

function parseId(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^\d{1,16}$/.test(value.trim())) return undefined;
  const id = Number(value.trim());
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

function unauthorized(res: Response, message: string, tokenGiven: boolean): void {
  res.set(
    'WWW-Authenticate',
    tokenGiven
      ? `Bearer realm="Procore", error="invalid_token", error_description="${message}"`
      : 'Bearer realm="Procore"',
  );
  restError(res, 401, message, tokenGiven ? 'invalid_token' : 'missing_token');
}

function authenticate(context: EmulatorContext): RequestHandler {
  return (req, res, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
    const token = match?.[1];
    if (!token) return unauthorized(res, 'Missing access token: send Authorization: Bearer <access_token>.', false);
    const check = context.issued.checkAccessToken(token);
    if (check.status === 'expired') return unauthorized(res, 'The access token expired', true);
    if (check.status === 'revoked') return unauthorized(res, 'The access token was revoked', true);
    if (check.status === 'unknown') return unauthorized(res, 'The access token is invalid', true);
    const principal = principalFor(context, check.record.kind, check.record.userId);
    if (!principal) return unauthorized(res, 'The access token is invalid', true);
    principals.set(req, principal);
    next();
  };
}

type CompanyResult = { company: ProcoreCompany } | { status: number; message: string };

/** Resolves a company id the caller asked for and checks they may see it. */
function accessibleCompany(context: EmulatorContext, principal: Principal, id: number): CompanyResult {
  const company = context.data.companyById.get(id);
  if (!company) return { status: 404, message: `Company ${id} not found.` };
  if (!principal.companyIds.includes(id)) return { status: 403, message: `You do not have access to company ${id}.` };
  return { company };
}

/**
 * The `Procore-Company-Id` header: required on company-scoped calls and, for service-account
 * tokens, on /me and /companies too. Returns undefined after answering with an error.
 */
function companyFromHeader(
  context: EmulatorContext,
  req: Request,
  res: Response,
  principal: Principal,
): ProcoreCompany | undefined {
  const raw = req.get(COMPANY_HEADER);
  if (raw === undefined || raw.trim() === '') {
    const who = principal.kind === 'service' ? ' for service account (client credentials) tokens' : '';
    restError(res, 400, `The ${COMPANY_HEADER} header is required${who}.`);
    return undefined;
  }
  const id = parseId(raw);
  if (id === undefined) {
    restError(res, 400, `The ${COMPANY_HEADER} header must be a company id.`);
    return undefined;
  }
  const result = accessibleCompany(context, principal, id);
  if ('status' in result) {
    restError(res, result.status, result.message);
    return undefined;
  }
  return result.company;
}

/** `company_id` (required) plus a matching `Procore-Company-Id` header. */
function projectCompany(context: EmulatorContext, req: Request, res: Response): ProcoreCompany | undefined {
  const principal = principalOf(req);
  if (req.query.company_id === undefined) {
    restError(res, 400, 'company_id is required.');
    return undefined;
  }
  const companyId = parseId(req.query.company_id);
  if (companyId === undefined) {
    restError(res, 400, 'company_id must be a company id.');
    return undefined;
  }
  const company = companyFromHeader(context, req, res, principal);
  if (!company) return undefined;
  if (company.id !== companyId) {
    restError(res, 403, `The ${COMPANY_HEADER} header (${company.id}) does not match company_id (${companyId}).`);
    return undefined;
  }
  return company;
}

function asList(value: unknown): unknown[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value;
  if (typeof value === 'object' && value !== null) return Object.values(value);
  return typeof value === 'string' ? value.split(',') : [value];
}

type Filtered = { projects: EmulatorProject[] } | { error: string };

function filterProjects(all: readonly EmulatorProject[], query: Request['query']): Filtered {
  const filters = (typeof query.filters === 'object' && query.filters !== null ? query.filters : {}) as Record<
    string,
    unknown
  >;
  const status = filters.by_status ?? 'Active';
  if (typeof status !== 'string' || !STATUS_FILTERS.includes(status as ProjectStatusFilter)) {
    return { error: 'filters[by_status] must be one of Active, Inactive, All.' };
  }
  const sort = query.sort;
  if (sort !== undefined && sort !== 'name' && sort !== 'display_name')
    return { error: 'sort must be one of name, display_name.' };
  // Sorted once per company and key: sorting 10,000 names on every page would make the emulator, not the app, the bottleneck.
  let projects = (sort === undefined ? all : sortedBy(all, sort)).filter(
    (project) => status === 'All' || project.active === (status === 'Active'),
  );

  if (filters.name !== undefined) {
    if (typeof filters.name !== 'string') return { error: 'filters[name] must be a string.' };
    const needle = filters.name.toLowerCase();
    projects = projects.filter((project) => project.name.toLowerCase().includes(needle));
  }
  if (filters.id !== undefined) {
    const ids = asList(filters.id).map((value) => (typeof value === 'string' ? parseId(value) : undefined));
    if (ids.some((id) => id === undefined)) return { error: 'filters[id] must be a list of project ids.' };
    const wanted = new Set(ids);
    projects = projects.filter((project) => wanted.has(project.id));
  }

  return { projects };
}

const sortedLists = new WeakMap<readonly EmulatorProject[], Map<string, EmulatorProject[]>>();

/** A company's projects by `name` or `display_name` (then id), as Procore's `sort` answers them. */
function sortedBy(all: readonly EmulatorProject[], sort: 'name' | 'display_name'): EmulatorProject[] {
  let byKey = sortedLists.get(all);
  if (!byKey) sortedLists.set(all, (byKey = new Map<string, EmulatorProject[]>()));
  let sorted = byKey.get(sort);
  if (!sorted) {
    const key = (project: EmulatorProject): string =>
      sort === 'name' ? project.name : (project.display_name ?? project.name);
    const collator = new Intl.Collator('en', { sensitivity: 'base' });
    sorted = [...all].sort((a, b) => collator.compare(key(a), key(b)) || a.id - b.id);
    byKey.set(sort, sorted);
  }
  return sorted;
}

function serialize(context: EmulatorContext, company: ProcoreCompany, view: ProjectView, req: Request) {
  const shape = context.data.shapeByCompany.get(company.id) ?? 'published';
  const chosen: ProjectView = req.query.serializer_view === 'compact' ? 'compact' : view;
  return (project: EmulatorProject): Record<string, unknown> => serializeProject(project, shape, chosen);
}

export function restRoutes(context: EmulatorContext): Router {
  const router = Router();

  // A company's zone and web host: only the Procore-Company-Id header, no token needed.
  router.get('/rest/v1.0/company_base_url', (req, res) => {
    const raw = req.get(COMPANY_HEADER);
    const id = raw === undefined ? undefined : parseId(raw);
    if (id === undefined) {
      restError(res, 400, `The ${COMPANY_HEADER} header must be a company id.`);
      return;
    }
    const zone = context.data.zoneByCompany.get(id);
    if (zone === undefined) {
      restError(res, 404, `Company ${id} not found.`);
      return;
    }
    res.json({ zone, web_base_url: zoneWebUrl(`${req.protocol}://${req.get('host') ?? 'localhost'}`, zone) });
  });

  router.use('/rest', authenticate(context));

  router.get('/rest/v1.0/me', (req, res) => {
    const principal = principalOf(req);
    if (principal.kind === 'service' && !companyFromHeader(context, req, res, principal)) return;
    res.json({ id: principal.id, login: principal.login, name: principal.name });
  });

  router.get('/rest/v1.0/companies', (req, res) => {
    const principal = principalOf(req);
    if (principal.kind === 'service' && !companyFromHeader(context, req, res, principal)) return;
    // `my_company`: "true for a single company in the response" (List Companies); here the first one.
    // Free companies only when asked for: Procore leaves them out by default.
    const withFree = req.query.include_free_companies === 'true';
    const visible = context.data.companies
      .filter(
        (company) =>
          principal.companyIds.includes(company.id) && (withFree || !context.data.freeCompanyIds.has(company.id)),
      )
      .map((company, index) => ({ ...company, my_company: index === 0 }));
    res.json(paginate(req, res, visible, context.projectsPagination));
  });

  router.get('/rest/v1.0/projects', (req, res) => {
    const company = projectCompany(context, req, res);
    if (!company) return;
    const result = filterProjects(context.data.projectsByCompany.get(company.id) ?? [], req.query);
    if ('error' in result) {
      restError(res, 400, result.error);
      return;
    }
    res.json(
      paginate(req, res, result.projects, context.projectsPagination).map(serialize(context, company, 'list', req)),
    );
  });

  router.get('/rest/v1.0/projects/:id', (req, res) => {
    const company = projectCompany(context, req, res);
    if (!company) return;
    const id = parseId(req.params.id);
    const project =
      id === undefined
        ? undefined
        : context.data.projectsByCompany.get(company.id)?.find((candidate) => candidate.id === id);
    if (!project) {
      restError(res, 404, `Project ${req.params.id} not found.`);
      return;
    }
    res.json(serialize(context, company, 'show', req)(project));
  });

  return router;
}
