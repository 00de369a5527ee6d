import { ACCOUNT_LOCALS } from './account/account-page';
import { ADMIN_LOCALS } from './admin/admin-page';
import { PROJECTS_LOADING_LOCALS, PROJECTS_LOCALS } from './projects/list-page';
import { PAGINATION_LOCALS, PROJECT_LISTING_LOCALS, PROJECT_TABLE_LOCALS } from './projects/listing';
import { PROJECT_LOCALS } from './projects/project-page';
import { ERROR_LOCALS } from './view-models/error';
import { HOME_LOCALS } from './view-models/home';
import { LAYOUT_LOCALS } from './view-models/layout';

/**
 * Every template under views/ (path without `.ejs`) and the locals it reads: the keys of its view
 * model. The view engine compiles each template with exactly this list; test/web/views.test.ts
 * fails when a template is missing here or reads more or less than its list.
 */
export const VIEW_LOCALS: Readonly<Record<string, readonly string[]>> = {
  home: HOME_LOCALS,
  error: ERROR_LOCALS,
  account: ACCOUNT_LOCALS,
  admin: ADMIN_LOCALS,
  projects: PROJECTS_LOCALS,
  'projects-loading': PROJECTS_LOADING_LOCALS,
  project: PROJECT_LOCALS,
  'partials/head': LAYOUT_LOCALS,
  'partials/foot': [],
  'partials/project-table': PROJECT_TABLE_LOCALS,
  'partials/project-listing': PROJECT_LISTING_LOCALS,
  'partials/pagination': PAGINATION_LOCALS,
};
