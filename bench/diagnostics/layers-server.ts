/**
 * Diagnostic (not part of npm run bench): the baseline page plus the app's app-wide layers, each
 * switched on by LAYERS (comma list: log (the app's access log), pinohttp (what it replaced), als,
 * metrics, helmet (as the app sets it: constant headers), csrf, body, passport, token), to see what
 * each costs in CPU per request. The session is the app's (coarse idle renewal).
 * Run: npx tsx bench/diagnostics/layers.ts
 */
import path from 'node:path';
import { AsyncLocalStorage } from 'node:async_hooks';
import express from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { csrfSync } from 'csrf-sync';
import { Passport } from 'passport';
import { loadConfig } from '../../src/config';
import { ACME_COMPANY_ID, DEFAULT_COMPANIES } from '../../emulator';
import { buildData } from '../../emulator/data';
import { summarizeProject } from '../../src/projects/project-summary';
import { ProjectIndex, DEFAULT_QUERY } from '../../src/projects/query';
import { connectRedis, createRedisClient } from '../../src/redis';
import { createSessionMiddleware } from '../../src/browser-session/session-middleware';
import { projectRows } from '../../src/web/projects/listing';
import { procoreWebLinks } from '../../src/procore/web-links';
import { VIEWS_DIR } from '../../src/web/app';
import { createLogger } from '../../src/observability/logger';
import { accessLog } from '../../src/web/access-log';
import { constantHeaders } from '../../src/web/constant-headers';
import { createMetrics } from '../../src/observability/metrics';
import { httpMetricsMiddleware } from '../../src/observability/http-metrics';
import { TokenCipher } from '../../src/procore-auth/token-cipher';
import { randomBytes } from 'node:crypto';

const layers = new Set((process.env.LAYERS ?? '').split(','));
async function main(): Promise<void> {
  const config = loadConfig(process.env, { requireCredentials: false });
  const redis = createRedisClient(config.redis, 'exp');
  await connectRedis(redis, 'r');
  const acme = buildData(DEFAULT_COMPANIES).projectsByCompany.get(ACME_COMPANY_ID)!;
  const index = new ProjectIndex(acme.filter((p) => p.active).map(summarizeProject));
  const query = { ...DEFAULT_QUERY, companyId: ACME_COMPANY_ID };
  const rows = projectRows(
    index.select(query).rows,
    { id: ACME_COMPANY_ID },
    query,
    procoreWebLinks({ webUrl: 'https://app.procore.com' }),
  );
  const cipher = new TokenCipher([randomBytes(32)]);
  const sealed = cipher.encrypt(
    JSON.stringify({ accessToken: 'x'.repeat(40), refreshToken: 'y'.repeat(40), expiresAt: Date.now() + 1e7 }),
    'id',
  );
  await redis.set('exp:tok', sealed);
  const app = express();
  app.set('trust proxy', config.trustProxy);
  app.set('view engine', 'ejs');
  app.set('views', [path.join(__dirname, '..', 'views'), VIEWS_DIR]);
  app.enable('view cache');
  app.get('/healthz', (_req, res) => {
    res.send('ok');
  });
  if (layers.has('metrics')) app.use(httpMetricsMiddleware(createMetrics()));
  if (layers.has('log')) app.use(accessLog(app, createLogger({ level: 'info' })));
  if (layers.has('pinohttp')) app.use(pinoHttp({ logger: createLogger({ level: 'info' }) }));
  if (layers.has('als')) {
    const s = new AsyncLocalStorage();
    app.use((req, _res, next) => s.run({ id: 1 }, next));
  }
  if (layers.has('helmet')) app.use(constantHeaders(helmet()));
  if (layers.has('body')) app.use(express.urlencoded({ extended: false }));
  app.use(
    createSessionMiddleware({
      redis,
      keyPrefix: config.redis.keyPrefix,
      cookieName: config.session.cookieName,
      secrets: config.session.secrets,
      idleTimeoutMs: config.session.idleTimeoutMs,
      secure: config.secureCookies,
    }),
  );
  if (layers.has('csrf')) {
    const { csrfSynchronisedProtection, generateToken } = csrfSync();
    app.use(csrfSynchronisedProtection, (req, res, next) => {
      res.locals.csrfToken = generateToken(req);
      next();
    });
  }
  if (layers.has('passport')) {
    const p = new Passport();
    app.use(p.initialize());
  }
  app.get('/login', (req, res) => {
    req.session.benchUser = { id: 1, name: 'Dana' };
    res.send('ok');
  });
  app.get('/projects', async (req, res) => {
    const user = req.session.benchUser;
    if (!user) {
      res.status(401).send('no');
      return;
    }
    if (layers.has('token')) {
      const s = await redis.getex('exp:tok', 'PX', 100000);
      JSON.parse(cipher.decrypt(s!, 'id')!);
    }
    res.render('baseline', { title: 'Acme', user, rows, caption: 'Projects' });
  });
  app.listen(config.port, '127.0.0.1');
}
void main();
