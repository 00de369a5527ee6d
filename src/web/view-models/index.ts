import { ACCOUNT_LOCALS } from './account';
import { ADMIN_LOCALS } from './admin';
import { ERROR_LOCALS } from './error';
import { HOME_LOCALS } from './home';
import { LAYOUT_LOCALS } from './layout';
import { PROJECT_LOCALS } from './project';
import { PROJECT_LISTING_LOCALS, PROJECT_TABLE_LOCALS, PROJECTS_LOADING_LOCALS, PROJECTS_LOCALS } from './projects';

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
};

export { accountPage } from './account';
export { adminPage } from './admin';
export { errorPage } from './error';
export { homePage } from './home';
export { layoutOf } from './layout';
export { projectPage, staleProjectPage } from './project';
export { projectsLoadingPage, projectsPage } from './projects';
