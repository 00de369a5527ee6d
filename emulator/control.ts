/**
 * The emulator's control endpoint, for rehearsing outages against a running app: switch the token
 * endpoint off, slow Procore down, expire or revoke every token, rotate the client secret. Off by
 * default; `npm run emulator -- --control-port N` serves it on 127.0.0.1 only, apart from the
 * emulator's own port (which may listen on every interface).
 *
 *   GET  /outages                       what is switched on
 *   PUT  /outages   {"tokenEndpointDown":true,"tokenLatencyMs":2000,"apiLatencyMs":0,"tokenLifetimeSeconds":60}
 *   POST /tokens/expire                 every access token issued so far expires now
 *   POST /tokens/revoke                 every token issued so far is revoked
 *   PUT  /client-secret {"secret":"…"}  the secret Procore accepts from now on
 *
 * Changes need `Content-Type: application/json` (a web page cannot send that to another origin
 * without a preflight this endpoint never answers) and a Host of localhost or 127.0.0.1 (so a DNS
 * name rebound to 127.0.0.1 cannot reach it).
 */
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import type { Emulator, EmulatorOutages } from './contracts';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

const localOnly: RequestHandler = (req, res, next) => {
  const host = (req.get('host') ?? '').replace(/:\d+$/, '');
  if (!LOCAL_HOSTS.has(host)) {
    res.status(403).json({ error: 'The control endpoint answers only to localhost.' });
    return;
  }
  if (req.method !== 'GET' && !req.is('application/json')) {
    res.status(415).json({ error: 'Send Content-Type: application/json.' });
    return;
  }
  next();
};

type OutageChange = Partial<EmulatorOutages>;

/** The fields of a PUT /outages body, checked; a list of problems when any is wrong. */
function outageChange(body: unknown): OutageChange | string[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return ['the body must be a JSON object'];
  const fields = body as Record<string, unknown>;
  const problems: string[] = [];
  const change: OutageChange = {};
  for (const [key, value] of Object.entries(fields)) {
    if (key === 'tokenEndpointDown') {
      if (typeof value === 'boolean') change.tokenEndpointDown = value;
      else problems.push('tokenEndpointDown must be true or false');
    } else if (key === 'tokenLatencyMs' || key === 'apiLatencyMs' || key === 'tokenLifetimeSeconds') {
      const least = key === 'tokenLifetimeSeconds' ? 1 : 0;
      if (Number.isInteger(value) && (value as number) >= least) change[key] = value as number;
      else problems.push(`${key} must be a whole number of at least ${least}`);
    } else {
      problems.push(`unknown field ${key}`);
    }
  }
  return problems.length > 0 ? problems : change;
}

export function controlApp(emulator: Emulator, log: (line: string) => void = () => undefined): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(localOnly, express.json({ limit: '2kb' }));

  app.get('/outages', (_req, res) => {
    res.json(emulator.outages());
  });

  app.put('/outages', (req, res) => {
    const change = outageChange(req.body);
    if (Array.isArray(change)) {
      res.status(400).json({ error: change.join('; ') });
      return;
    }
    if (change.tokenEndpointDown !== undefined) emulator.setTokenEndpointDown(change.tokenEndpointDown);
    emulator.setLatency({ tokenMs: change.tokenLatencyMs, apiMs: change.apiLatencyMs });
    if (change.tokenLifetimeSeconds !== undefined) emulator.setTokenLifetime(change.tokenLifetimeSeconds);
    log(`control: outages now ${JSON.stringify(emulator.outages())}`);
    res.json(emulator.outages());
  });

  app.post('/tokens/expire', (_req, res) => {
    emulator.expireAccessTokens();
    log('control: every access token issued so far has expired');
    res.status(204).end();
  });

  app.post('/tokens/revoke', (_req, res) => {
    emulator.revokeAll();
    log('control: every token issued so far is revoked');
    res.status(204).end();
  });

  app.put('/client-secret', (req, res) => {
    const secret = (req.body as { secret?: unknown } | undefined)?.secret;
    if (typeof secret !== 'string' || secret === '') {
      res.status(400).json({ error: 'secret must be a non-empty string' });
      return;
    }
    emulator.setClientSecret(secret);
    log('control: the client secret was changed');
    res.status(204).end();
  });

  app.use((_req, res) => {
    res.status(404).json({
      error:
        'Unknown control path: see GET /outages, PUT /outages, POST /tokens/expire, POST /tokens/revoke, PUT /client-secret.',
    });
  });
  const badBody: ErrorRequestHandler = (_error, _req, res, _next) => {
    res.status(400).json({ error: 'The body is not valid JSON.' });
  };
  app.use(badBody);
  return app;
}
