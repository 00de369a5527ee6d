import path from 'node:path';
import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import { csrfSync } from 'csrf-sync';
import type { Logger } from 'pino';
import type { AppConfig } from '../config';
import { accessLog } from './access-log';
import { constantHeaders } from './constant-headers';
import type { ProcoreApiClient, ProcoreOAuthClient } from '../procore/contracts';
import { httpMetricsMiddleware } from '../observability/http-metrics';
import type { AppMetrics } from '../observability/metrics';
import { RefreshWatch, type CredentialsRefusal } from '../observability/refresh-watch';
import { Operators } from '../operators';
import { createProcoreAuth } from '../procore-auth';
import { ProjectCatalog } from '../projects/project-catalog';
import type { RedisClient } from '../redis';
import { createSessionMiddleware } from '../browser-session/session-middleware';
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
import { signInObservers } from './sign-in-observers';
import { createViewEngine, RUNNING_FROM_BUILD } from './view-engine';
import { trustProxySetting } from './trust-proxy';
import { VIEW_LOCALS } from './view-locals';
import { createAdminRoutes, heartbeat, observeOperatorErrors, reportRateLimits, trackActivity } from './admin';

/** What the app is built from: src/main.ts makes these (connections, clients, the clock). */
export interface AppDeps {
  config: AppConfig;
  redis: RedisClient;
  oauth: ProcoreOAuthClient;
  api: ProcoreApiClient;
  logger: Logger;
  /** The app's one clock: token expiries, sessions, caches, locks, sign-in state (tests move it). */
  now?: () => number;
  /** Prometheus metrics of this instance: HTTP requests by route, refreshes, sign-ins, rate limiting. */
  metrics?: AppMetrics;
}

export const VIEWS_DIR = path.resolve(__dirname, '..', '..', 'views');
export const PUBLIC_DIR = path.resolve(__dirname, '..', '..', 'public');

/**
 * The one place the web app's parts are built and every path is mounted. Opens no connection and
 * listens on nothing: src/main.ts does that.
 */
export function createApp(deps: AppDeps): Express {
  const { config, redis, logger, now, metrics } = deps;
  const { keyPrefix } = config.redis;
  const { cookieName, idleTimeoutMs, absoluteTimeoutMs } = config.session;
  const sessionCookie = { name: cookieName, secure: config.secureCookies };

  // The parts.
  const operators = new Operators({
    redis,
    keyPrefix,
    logger,
    adminUserIds: config.adminUserIds,
    idleTimeoutMs,
    absoluteTimeoutMs,
    now,
  });
  const refreshWatch = new RefreshWatch(logger, now);
  const procoreCredentials = (): CredentialsRefusal | undefined => refreshWatch.credentialsRefused();
  const { loginUrl, apiUrl, clientId, clientSecret, timeoutMs } = config.procore;
  const auth = createProcoreAuth({
    ...{ loginUrl, apiUrl, clientId, clientSecret, timeoutMs, redirectUri: config.redirectUri, redis, keyPrefix },
    tokenEncryptionKeys: config.tokenEncryptionKeys,
    sessionMaxMs: absoluteTimeoutMs,
    sessionCookie,
    paths: { home: '/', afterSignIn: '/projects' },
    now,
    events: signInObservers(metrics, operators, refreshWatch),
  });
  const catalog = new ProjectCatalog({
    ...{ redis, api: deps.api, keyPrefix, cacheSeconds: config.projectsCacheSeconds, now },
    // The same Redis lock as sign-in's: one first load of a list across instances.
    lock: auth.lock,
    onWriteError: (error) => logger.warn({ err: error }, 'could not cache a project list in Redis'),
  });
  const links = procoreWebLinks(config.procore);

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

  if (metrics) app.use(httpMetricsMiddleware(metrics));
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
  app.use(heartbeat(operators), createHealthRoutes({ redis, procoreCredentials }));
  app.use('/static', express.static(PUBLIC_DIR, { maxAge: '1h', index: false }));
  // Pages show a signed-in person's data: never let a browser or proxy keep a copy.
  app.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  // Before sessions: a flood of sign-in attempts must not create sessions.
  app.use(
    '/auth',
    createAuthRateLimiter({ limitPerMinute: config.authRateLimitPerMinute, redis, keyPrefix, logger, metrics }),
  );
  app.use(express.urlencoded({ extended: false, limit: '10kb', parameterLimit: 20 }));
  app.use(
    createSessionMiddleware({
      redis,
      keyPrefix,
      cookieName,
      secrets: config.session.secrets,
      idleTimeoutMs,
      secure: config.secureCookies,
    }),
  );
  if (config.secureCookies) app.use(warnOnFirstRefusedCookie(logger, cookieName));

  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    getTokenFromRequest: (req) => (req.body as Record<string, string> | undefined)?._csrf,
  });
  const exposeViewLocals: RequestHandler = (req, res, next) => {
    // Routes pass it to `layoutOf`; templates read only their view model.
    const auth = req.session.auth;
    res.locals.viewer = {
      user: auth?.user,
      csrfToken: auth ? generateToken(req) : undefined,
      isOperator: auth !== undefined && operators.isOperator(auth.user.id),
    };
    next();
  };
  // Before the CSRF check: a form sent after signing out is answered with "sign in again", not a refusal.
  app.use(
    signOutNotice({
      sessionCookie,
      idleTimeoutMs,
      absoluteTimeoutMs,
      wasEndedElsewhere: (handle) => operators.wasEndedElsewhere(handle),
      now,
    }),
  );
  app.use(csrfSynchronisedProtection, exposeViewLocals, trackActivity(operators));

  // Every path, with its prefix. Sign-in's own three (/auth/procore, /auth/callback, /logout) are
  // fixed by the redirect URI registered at Procore; each protected feature is mounted behind
  // `signedIn`: sign-in's check, then (once answered) the person's Procore rate-limit headroom for
  // /admin. /admin checks its own operators and is a plain 404 to everyone else.
  const signedIn = [
    auth.requireSignIn,
    reportRateLimits(operators, (accessToken) => deps.api.rateLimitOf(accessToken)),
  ];
  app.use('/', createHomeRoutes({ idleTimeoutMs, absoluteTimeoutMs }));
  app.use('/', auth.routes);
  app.use('/projects', signedIn, createProjectsRoutes({ api: deps.api, catalog, links, now }));
  app.use('/projects.csv', signedIn, createProjectsExportRoutes({ catalog, links, now }));
  app.use(
    '/account',
    signedIn,
    createAccountRoutes({ api: deps.api, oauth: deps.oauth, operators, now, signOut: auth.signOut }),
  );
  app.use('/admin', createAdminRoutes({ operators, absoluteTimeoutMs, now, procoreCredentials }));
  app.use(notFound);
  app.use(observeOperatorErrors(operators));
  app.use(auth.handleSignedOut);
  app.use(createErrorHandler({ logger }));
  return app;
}
