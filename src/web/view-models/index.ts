/** What every page shares: the layout, and the pages that belong to no one feature (home, errors). */
export { errorPage } from './error';
export { homePage } from './home';
export { layoutOf } from './layout';
