/**
 * Stand-ins for the two pages of Procore's web app the dashboard links to (src/procore/web-links.ts),
 * so "Open in Procore" works in the demo and the browser tests: a company's home and a project's
 * Home tool. They only name what was opened; no sign-in. Each zone has its own web host at Procore
 * (us02.procore.com for US02); here a zone other than US01 lives under `/<zone>` of the emulator's
 * URL, and a company opened on another zone's host is not found there, as at Procore.
 */
import { Router, type Response } from 'express';
import type { EmulatorContext } from './context';
import { DEFAULT_ZONE } from './data';
import { escapeHtml, layout } from './pages';

/** Where a zone's web app lives under the emulator's URL: '' for US01, `/us02` for US02. */
function zonePath(zone: string): string {
  return zone === DEFAULT_ZONE ? '' : `/${zone.toLowerCase()}`;
}

/** The web host `company_base_url` answers for a zone, given the emulator's own origin. */
export function zoneWebUrl(origin: string, zone: string): string {
  return `${origin}${zonePath(zone)}`;
}

function notFound(res: Response, what: string): void {
  res
    .status(404)
    .type('html')
    .send(
      layout(
        'Not found',
        `<h1>Not found</h1>\n<p class="error" role="alert">This emulator has no ${escapeHtml(what)}.</p>`,
      ),
    );
}

function page(res: Response, title: string, body: string): void {
  res
    .set('Cache-Control', 'no-store')
    .type('html')
    .send(
      layout(title, `${body}\n<p class="hint">A stand-in for Procore's web app, served by the Procore emulator.</p>`),
    );
}

/** Every zone's pages, each under its own path. */
export function webAppPages(context: EmulatorContext): Router {
  const router = Router();
  for (const zone of new Set(context.data.zoneByCompany.values()))
    router.use(zonePath(zone) || '/', zonePages(context, zone));
  return router;
}

function zonePages(context: EmulatorContext, zone: string): Router {
  const router = Router();
  const company = (id: string) => {
    const found = /^\d{1,16}$/.test(id) ? context.data.companyById.get(Number(id)) : undefined;
    return found && context.data.zoneByCompany.get(found.id) === zone ? found : undefined;
  };

  router.get('/:companyId/company/home/list', (req, res) => {
    const found = company(req.params.companyId);
    if (!found) return notFound(res, 'such company');
    const count = context.data.projectsByCompany.get(found.id)?.length ?? 0;
    page(
      res,
      found.name,
      `<p class="hint">Company home</p>\n<h1 id="procore-company" data-company-id="${found.id}">${escapeHtml(found.name)}</h1>\n<p>${count} projects.</p>`,
    );
  });

  router.get('/webclients/host/companies/:companyId/projects/:projectId/tools/projecthome', (req, res) => {
    const found = company(req.params.companyId);
    const project =
      found &&
      context.data.projectsByCompany.get(found.id)?.find((candidate) => String(candidate.id) === req.params.projectId);
    if (!found || !project) return notFound(res, 'such project in that company');
    page(
      res,
      project.name,
      `<p class="hint">Project home · ${escapeHtml(found.name)}</p>\n<h1 id="procore-project" data-company-id="${found.id}" data-project-id="${project.id}">${escapeHtml(project.name)}</h1>`,
    );
  });
  return router;
}
