import path from 'node:path';
import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import { csrfSync } from 'csrf-sync';
import type { Passport } from 'passport';
import type { Logger } from 'pino';
import type { AppConfig } from '../config';
import { accessLog } from './access-log';
import { constantHeaders } from './constant-headers';
import type { ProcoreApiClient, ProcoreOAuthClient } from '../procore/contracts';
import type { Lock, LockTiming } from '../auth/lock';
import type { TokenRefresher } from '../auth/token-refresher';
import type { TokenStore } from '../auth/token-store';
import { httpMetricsMiddleware } from '../observability/http-metrics';
import type { AppMetrics } from '../observability/metrics';
import type { RedisClient } from '../redis';
import { createSessionMiddleware } from '../session/session-middleware';
import { createAccountRoutes } from './account';
import { createAuthRateLimiter } from './auth-rate-limiter';
import { createErrorHandler, notFound } from './error-handler';
import { createHealthRoutes } from './health-routes';
import { createHomeRoutes } from './home-routes';
import { signOutNotice } from './sign-out-notice';
import { warnOnFirstRefusedCookie } from './refused-cookie-warning';
import { createProjectsExportRoutes } from './projects/export-routes';
import { createProjectsRoutes } from './projects/routes';
import { procoreWebLinks } from '../procore/web-links';
import type { PendingSignIns } from './sign-in/pending-sign-ins';
import { requireSignIn } from './sign-in/require-sign-in';
import { createSignInRoutes } from './sign-in/sign-in-routes';
import { createViewEngine, RUNNING_FROM_BUILD } from './view-engine';
import { trustProxySetting } from './trust-proxy';
import { VIEW_LOCALS } from './view-locals';
import type { ProjectCatalog } from '../projects/project-catalog';
import type { Operators } from '../operators';
import { bothSignInEvents, createAdminRoutes, heartbeat, observeOperatorErrors, operatorSignInEvents, recordProcoreErrors, reportRateLimits, trackActivity } from './admin';

/** What the web app uses directly from outside; main.ts builds these. */
export interface AppDeps {
  config: AppConfig;
  redis: RedisClient;
  oauth: ProcoreOAuthClient;
  api: ProcoreApiClient;
  logger: Logger;
  now?: () => number;
  /** Prometheus metrics of this instance: HTTP requests by route, refreshes, sign-ins, rate limiting. */
  metrics?: AppMetrics;
}

/** The app's parts, built in one place (src/wiring/components.ts) and mounted here. */
export interface AppComponents {
  tokenStore: TokenStore;
  /** The refresh lock and its timings, shared by the refresher and every sign-out. */
  refreshLock: Lock;
  lockTiming: LockTiming;
  refresher: TokenRefresher;
  catalog: ProjectCatalog;
  passport: InstanceType<typeof Passport>;
  /** Passport's state store: the sign-ins started in this browser. */
  pendingSignIns: PendingSignIns;
  /** Audit trail, token health, session index and who may see /admin. */
  operators: Operators;
}

export const VIEWS_DIR = path.resolve(__dirname, '..', '..', 'views');
export const PUBLIC_DIR = path.resolve(__dirname, '..', '..', 'public');


export function createApp(deps: AppDeps, components: AppComponents): Express {
  const { config, logger } = deps;
  const { tokenStore, refresher, catalog, operators, passport, pendingSignIns } = components;
  const sessionCookie = { name: config.session.cookieName, secure: config.secureCookies };
  const app = express();
  app.set('trust proxy', trustProxySetting(config.trustProxy));
  app.engine('ejs', createViewEngine({ viewsDir: VIEWS_DIR, locals: VIEW_LOCALS }));
  app.set('view engine', 'ejs');
  app.set('views', VIEWS_DIR);
  app.disable('x-powered-by');
  // Pages are no-store and differ per person: an ETag would cost a hash of every page for nothing.
  app.set('etag', false);
  // The build's templates never change: look each up once (they are compiled at start-up).
  app.set('view cache', RUNNING_FROM_BUILD);

  if (deps.metrics) app.use(httpMetricsMiddleware(deps.metrics));
  app.use(
    // `req.log` carries the id (as `requestId`), so every line app code writes through it names its
    // request; one access line per request (not for health probes).
    accessLog(app, logger, { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' }),
  );
  app.use(
    // helmet's headers do not change from request to request: computed once, set in one step.
    constantHeaders(
      helmet({
        contentSecurityPolicy: {
          directives: {
            defaultSrc: ["'self'"],
            scriptSrc: ["'self'"],
            styleSrc: ["'self'"],
            // https: for project logos (Procore's logo_url points at its file hosts, which vary);
            // images only: scripts, styles and frames stay 'self'.
            imgSrc: ["'self'", 'data:', 'https:'],
            formAction: ["'self'"],
            frameAncestors: ["'none'"],
            upgradeInsecureRequests: config.secureCookies ? [] : null,
          },
        },
        referrerPolicy: { policy: 'same-origin' },
        strictTransportSecurity: config.secureCookies,
      }),
    ),
  );
  app.use(heartbeat(operators), createHealthRoutes({ redis: deps.redis }));
  app.use('/static', express.static(PUBLIC_DIR, { maxAge: '1h', index: false }));
  // Pages show a signed-in person's data: never let a browser or proxy keep a copy.
  app.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  // Before sessions: a flood of sign-in attempts must not create sessions.
  app.use('/auth', createAuthRateLimiter({ limitPerMinute: config.authRateLimitPerMinute, redis: deps.redis, keyPrefix: config.redis.keyPrefix, logger, metrics: deps.metrics }));
  app.use(express.urlencoded({ extended: false, limit: '10kb', parameterLimit: 20 }));
  app.use(createSessionMiddleware(config, deps.redis));
  if (config.secureCookies) app.use(warnOnFirstRefusedCookie(logger, config.session.cookieName));

  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    getTokenFromRequest: (req) => (req.body as Record<string, string> | undefined)?._csrf,
  });
  const exposeViewLocals: RequestHandler = (req, res, next) => {
    // Routes pass it to `layoutOf`; templates read only their view model.
    const auth = req.session.auth;
    res.locals.viewer = { user: auth?.user, csrfToken: auth ? generateToken(req) : undefined, isOperator: auth !== undefined && operators.isOperator(auth.user.id) };
    next();
  };
  // Before the CSRF check: a form sent after signing out is answered with "sign in again", not a refusal.
  app.use(
    signOutNotice({
      sessionCookie,
      idleTimeoutMs: config.session.idleTimeoutMs,
      absoluteTimeoutMs: config.session.absoluteTimeoutMs,
      wasEndedElsewhere: (handle) => operators.wasEndedElsewhere(handle),
      now: deps.now,
    }),
  );
  app.use(csrfSynchronisedProtection, exposeViewLocals, trackActivity(operators));

  const protectedChain = [
    ...requireSignIn({ refresher, absoluteTimeoutMs: config.session.absoluteTimeoutMs, now: deps.now, onProcoreError: recordProcoreErrors(operators) }),
    reportRateLimits(operators, (accessToken) => deps.api.rateLimitOf(accessToken)),
  ];
  app.use(createHomeRoutes(config.session));
  const onSignIn = (): void => deps.metrics?.onSignIn();
  app.use(createSignInRoutes({ passport, pendingSignIns, oauth: deps.oauth, tokenStore, lock: components.refreshLock, lockTiming: components.lockTiming, sessionCookie, now: deps.now, events: bothSignInEvents({ signedIn: onSignIn }, operatorSignInEvents(operators, tokenStore)) }));
  const links = procoreWebLinks(config.procore);
  app.use(createProjectsRoutes({ requireSignIn: protectedChain, api: deps.api, catalog, links, now: deps.now }));
  app.use(createProjectsExportRoutes({ requireSignIn: protectedChain, catalog, links, now: deps.now }));
  app.use(createAccountRoutes({ requireSignIn: protectedChain, api: deps.api, oauth: deps.oauth, operators, now: deps.now, tokenStore, lock: components.refreshLock, lockTiming: components.lockTiming }));
  app.use(createAdminRoutes({ operators, absoluteTimeoutMs: config.session.absoluteTimeoutMs, now: deps.now }));
  app.use(notFound);
  app.use(observeOperatorErrors(operators));
  app.use(createErrorHandler({ logger, tokenStore, sessionCookie }));
  return app;
}
