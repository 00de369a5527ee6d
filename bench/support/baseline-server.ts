/**
 * The benchmark's yardstick: the smallest page built with the app's own stack — express,
 * express-session with connect-redis on ioredis (the plain setup: the cookie and the Redis TTL
 * roll forward on every request, as the app's sessions did before issue 10), one session read,
 * and the app's own 50-row project table partial rendered by EJS at its fastest (strict mode,
 * locals destructured, view cache on). No helmet, logging, CSRF, passport, token store or catalog.
 *
 * Run as a child process by bench/run.ts: env PORT, REDIS_URL, REDIS_KEY_PREFIX, SESSION_SECRET.
 */
import path from 'node:path';
import { RedisStore } from 'connect-redis';
import ejs from 'ejs';
import express from 'express';
import session from 'express-session';
import { loadConfig } from '../../src/config';
import { ACME_COMPANY_ID, DEFAULT_COMPANIES } from '../../emulator';
import { buildData } from '../../emulator/data';
import { summarizeProject } from '../../src/projects/project-summary';
import { ProjectIndex, DEFAULT_QUERY } from '../../src/projects/query';
import { connectRedis, createRedisClient } from '../../src/redis';
import { projectRows } from '../../src/web/projects/listing';
import { procoreWebLinks } from '../../src/procore/web-links';
import { VIEWS_DIR } from '../../src/web/app';

declare module 'express-session' {
  interface SessionData {
    benchUser: { id: number; name: string };
  }
}

async function main(): Promise<void> {
  const config = loadConfig(process.env, { requireCredentials: false });
  const redis = createRedisClient(config.redis, 'bench-baseline');
  await connectRedis(redis, 'bench redis');

  // The same first 50 rows the dashboard shows for Acme (active projects by name).
  const acme = buildData(DEFAULT_COMPANIES).projectsByCompany.get(ACME_COMPANY_ID)!;
  const index = new ProjectIndex(acme.filter((project) => project.active).map(summarizeProject));
  const query = { ...DEFAULT_QUERY, companyId: ACME_COMPANY_ID };
  const rows = projectRows(
    index.select(query).rows,
    { id: ACME_COMPANY_ID },
    query,
    procoreWebLinks({ webUrl: 'https://app.procore.com' }),
  );

  const app = express();
  app.set('trust proxy', config.trustProxy);
  const views = [path.join(__dirname, '..', 'views'), VIEWS_DIR];
  const destructuredLocals = ['title', 'user', 'rows', 'caption'];
  app.engine('ejs', (file, options, callback) => {
    ejs.renderFile(file, options as ejs.Data, { strict: true, destructuredLocals, cache: true, views }, callback);
  });
  app.set('view engine', 'ejs');
  app.set('views', views);
  app.enable('view cache');
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.send('ok');
  });
  app.use(
    session({
      name: config.session.cookieName,
      secret: [...config.session.secrets],
      store: new RedisStore({ client: redis, prefix: `${config.redis.keyPrefix}sess:` }),
      resave: false,
      saveUninitialized: false,
      rolling: true,
      cookie: {
        httpOnly: true,
        sameSite: 'lax',
        secure: config.secureCookies,
        path: '/',
        maxAge: config.session.idleTimeoutMs,
      },
    }),
  );
  app.get('/login', (req, res) => {
    req.session.benchUser = { id: 1, name: 'Dana Demo' };
    res.send('signed in');
  });
  app.get('/projects', (req, res) => {
    const user = req.session.benchUser;
    if (!user) {
      res.status(401).send('sign in first');
      return;
    }
    res.render('baseline', { title: 'Acme Builders projects', user, rows, caption: 'Projects' });
  });
  app.listen(config.port, '127.0.0.1');
}

void main().catch((error: unknown) => {
  process.stderr.write(`baseline server failed: ${String(error)}\n`);
  process.exit(1);
});
