import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Router } from 'express';
import { CSV_CONTENT_TYPE } from '../../csv/csv';
import { isProcoreError } from '../../procore/errors';
import type { ProcoreWebLinks } from '../../procore/web-links';
import type { ProjectCatalog } from '../../projects/project-catalog';
import { projectCsvChunks, projectsCsvFilename } from '../../projects/projects-csv';
import { HttpError, thisPageAgain } from '../http-error';
import { BACK_TO_PROJECTS, chooseCompany, listQueryOf, userIdOf, withTokenOf } from './list-request';

export interface ProjectsExportRoutesOptions {
  catalog: ProjectCatalog;
  links: ProcoreWebLinks;
  /**
   * A list not loaded yet is loaded first; after this long still loading, the download answers 503
   * with Retry-After (the load goes on). Default 20 s.
   */
  loadWaitMs?: number;
  now?: () => number;
}

/**
 * `GET /projects.csv?company_id=…&q=…&status=…&stage=…&sort=…`: every project the list page would
 * show for the same address (all pages), as CSV, streamed from the cached list. Same sign-in and
 * company access rules as the page.
 */
export function createProjectsExportRoutes(options: ProjectsExportRoutesOptions): Router {
  const router = Router();
  const { catalog, links } = options;
  const now = options.now ?? Date.now;

  router.get('/', async (req, res) => {
    const query = listQueryOf(req.query);
    const userId = userIdOf(req);
    const withToken = withTokenOf(res);
    const companies = (await catalog.companies(userId, withToken)).value;
    const company = chooseCompany(companies, query.companyId, req.session.lastCompanyId);
    if (company === 'no_access') {
      throw new HttpError(
        403,
        'No access',
        'Your Procore account cannot see the projects of this company, so there is nothing to download.',
        BACK_TO_PROJECTS,
      );
    }
    if (!company)
      throw new HttpError(
        404,
        'No companies yet',
        'Your Procore account has no companies this dashboard can reach, so there is nothing to download.',
        BACK_TO_PROJECTS,
      );

    let read;
    try {
      read = await catalog.projects(userId, company.id, query.status, withToken, {
        waitMs: options.loadWaitMs ?? 20_000,
      });
    } catch (error) {
      if (isProcoreError(error, 'forbidden')) {
        throw new HttpError(
          403,
          'No access',
          `Your Procore account cannot see the projects of ${company.name}, so there is nothing to download.`,
          BACK_TO_PROJECTS,
        );
      }
      throw error;
    }
    if (read.kind === 'pending') {
      throw new HttpError(
        503,
        'The list is still loading',
        `Procore is still sending the projects of ${company.name}. Try the download again in a few seconds.`,
        {
          retryHref: thisPageAgain(req),
          retryLabel: 'Download again',
          retryAfterSeconds: 5,
        },
      );
    }
    const projects = read.value.selectAll(query);
    res.attachment(projectsCsvFilename(company.name, new Date(now())));
    res.type(CSV_CONTENT_TYPE);
    await pipeline(Readable.from(projectCsvChunks(projects, company, links)), res);
  });

  return router;
}
