import { Router } from 'express';
import { createAccountPageRoutes, type AccountPageRoutesOptions } from './page-routes';
import { createSessionRoutes, type SessionRoutesOptions } from './session-routes';

export type AccountRoutesOptions = AccountPageRoutesOptions & SessionRoutesOptions;

/** `/account` (who is signed in, "Your sessions") and the forms that end the person's other sessions. */
export function createAccountRoutes(options: AccountRoutesOptions): Router {
  const router = Router();
  router.use(createAccountPageRoutes(options));
  router.use(createSessionRoutes(options));
  return router;
}
