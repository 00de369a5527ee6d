import { Router, type NextFunction, type Request, type Response } from 'express';
import { CSV_BOM, CSV_CONTENT_TYPE, csvFilename, csvRow } from '../../csv/csv';
import type { CredentialsRefusal } from '../../observability/refresh-watch';
import { isAuditCursor, type Operators } from '../../operators';
import { layoutOf } from '../view-models/layout';
import { adminPage } from './admin-page';
import { AUDIT_COLUMNS, auditCells } from './audit-rows';

export interface AdminRoutesOptions {
  operators: Operators;
  absoluteTimeoutMs: number;
  now?: () => number;
  /** Whether Procore refuses this app's credentials on refreshes right now. */
  procoreCredentials?: () => CredentialsRefusal | undefined;
}

/** Audit events per page of /admin. */
const AUDIT_PAGE_SIZE = 50;

/**
 * `/admin` and `/admin/audit.csv`, for the Procore user ids in ADMIN_USER_IDS only. Everyone else,
 * signed out included, falls through to the ordinary 404 page: the page is not advertised.
 */
export function createAdminRoutes(options: AdminRoutesOptions): Router {
  const router = Router();
  const { operators } = options;
  const now = options.now ?? Date.now;

  const operatorsOnly = (req: Request, _res: Response, next: NextFunction): void => {
    const auth = req.session.auth;
    const allowed =
      auth !== undefined && operators.isOperator(auth.user.id) && now() - auth.signedInAt <= options.absoluteTimeoutMs;
    next(allowed ? undefined : 'router');
  };

  router.get('/', operatorsOnly, async (req, res) => {
    const before = isAuditCursor(req.query.before) ? req.query.before : undefined;
    // This instance counts itself before reading.
    await operators.health.heartbeat();
    const [people, instances, audit] = await Promise.all([
      operators.health.people(),
      operators.health.instancesSeen(),
      operators.audit.page({ before, count: AUDIT_PAGE_SIZE }),
    ]);
    res.render(
      'admin',
      adminPage(layoutOf(res.locals.viewer, 'Operators', 'admin'), {
        people,
        instances,
        audit,
        paged: before !== undefined,
        credentialsRefused: options.procoreCredentials?.(),
      }),
    );
  });

  router.get('/audit.csv', operatorsOnly, async (_req, res) => {
    res.set('Content-Type', CSV_CONTENT_TYPE);
    res.set(
      'Content-Disposition',
      `attachment; filename="${csvFilename('audit-trail', new Date(now()).toISOString().slice(0, 10))}"`,
    );
    res.write(CSV_BOM + csvRow(AUDIT_COLUMNS));
    let chunk = '';
    for await (const event of operators.audit.all()) {
      chunk += csvRow(auditCells(event));
      if (chunk.length > 64_000) {
        res.write(chunk);
        chunk = '';
      }
    }
    res.end(chunk);
  });

  return router;
}
