export { createAdminRoutes } from './routes';

export { heartbeat, observeOperatorErrors, operatorSignInEvents, reportRateLimits, trackActivity } from './hooks';
