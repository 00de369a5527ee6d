import type { AddressInfo } from 'node:net';
import express from 'express';
import helmet from 'helmet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessLog } from '../../src/web/access-log';
import { constantHeaders } from '../../src/web/constant-headers';
import { createLogger } from '../../src/observability/logger';
import { LogCapture } from '../support/stack';

const logs = new LogCapture();
let server: ReturnType<express.Express['listen']>;
let baseUrl: string;

beforeAll(async () => {
  const app = express();
  app.use(
    accessLog(app, createLogger({ level: 'info', destination: logs }), { ignore: (req) => req.url === '/healthz' }),
  );
  app.get('/healthz', (_req, res) => void res.send('ok'));
  app.get('/quiet', (_req, res) => void res.send('quiet'));
  app.get('/talks', (req, res) => {
    req.log.info({ step: 1 }, 'working on it');
    res.send('talked');
  });
  app.get('/fails', (_req, res) => void res.status(503).send('down'));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

const parsed = (): Array<Record<string, unknown>> =>
  logs.lines.map((line) => JSON.parse(line) as Record<string, unknown>);

/** The access line is written when the response has finished, which may be just after fetch() resolved. */
async function accessLineOf(id: string): Promise<Record<string, unknown> | undefined> {
  for (let turn = 0; turn < 1_000; turn += 1) {
    const line = parsed().find((entry) => entry.requestId === id && entry.res !== undefined);
    if (line) return line;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return undefined;
}

describe('the access log', () => {
  it('when requests are answered, then each gets one line with its id, method, path and known parameters, status and time, and the same id in X-Request-Id', async () => {
    const response = await fetch(`${baseUrl}/quiet?code=SECRET1&state=SECRET2&page=2`);
    const id = response.headers.get('x-request-id')!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await accessLineOf(id);
    const lines = parsed().filter((line) => line.requestId === id);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      msg: 'request completed',
      req: { id, method: 'GET', url: '/quiet?page=2' },
      res: { statusCode: 200 },
    });
    // Exactly these fields (and the logger's own): the line skips the redaction pass because it can hold nothing else.
    expect(Object.keys(lines[0]!).sort()).toEqual([
      'level',
      'msg',
      'req',
      'requestId',
      'res',
      'responseTime',
      'service',
      'time',
    ]);
    expect(typeof lines[0]!.responseTime).toBe('number');
    expect(logs.text).not.toContain('SECRET');
  });

  it('when app code logs through req.log, then its lines carry the request id, and a well-formed incoming X-Request-Id is kept', async () => {
    const response = await fetch(`${baseUrl}/talks`, { headers: { 'x-request-id': 'lb-42.x' } });
    expect(response.headers.get('x-request-id')).toBe('lb-42.x');
    const forged = await fetch(`${baseUrl}/talks`, { headers: { 'x-request-id': 'x"}, "level": 60' } });
    expect(forged.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    await accessLineOf('lb-42.x');
    expect(parsed().find((line) => line.msg === 'working on it' && line.requestId === 'lb-42.x')).toMatchObject({
      step: 1,
    });
    expect(
      parsed()
        .filter((line) => line.requestId === 'lb-42.x')
        .map((line) => line.msg),
    ).toEqual(['working on it', 'request completed']);
  });

  it('when a response is a 5xx, then its line says "request errored" with the status only; health probes get no line but still an id', async () => {
    const failed = await fetch(`${baseUrl}/fails`);
    const probe = await fetch(`${baseUrl}/healthz`);
    expect(probe.headers.get('x-request-id')).toBeTruthy();
    const line = await accessLineOf(failed.headers.get('x-request-id')!);
    expect(line).toMatchObject({ msg: 'request errored', res: { statusCode: 503 } });
    expect(line).not.toHaveProperty('err');
    expect(JSON.stringify(line)).not.toMatch(/stack|Error:|\s+at\s/);
    expect(parsed().some((entry) => entry.requestId === probe.headers.get('x-request-id'))).toBe(false);
  });

  it('when a query string carries a CSRF token, an access token, a password or unknown parameters, then the line keeps only the path and the known parameters', async () => {
    const query =
      'company_id=5&_csrf=CSRFSECRET&access_token=TOKENSECRET&password=PWSECRET&token=TSECRET&next=%2Fnx&status=All&stage=Bidding&sort=-name&page=3&q=tower';
    const response = await fetch(`${baseUrl}/quiet?${query}`);
    const line = await accessLineOf(response.headers.get('x-request-id')!);
    expect(line).toMatchObject({
      req: { url: '/quiet?company_id=5&status=All&stage=Bidding&sort=-name&page=3&q=tower' },
    });
    expect(logs.text).not.toMatch(/CSRFSECRET|TOKENSECRET|PWSECRET|TSECRET|_csrf|password/);
  });

  it('when a known parameter or the path holds something secret-looking, then its value is scrubbed', async () => {
    const response = await fetch(
      `${baseUrl}/quiet/access_token=PATHSECRET?q=${encodeURIComponent('password=QSECRET')}`,
    );
    const line = await accessLineOf(response.headers.get('x-request-id')!);
    expect(line).toMatchObject({ req: { url: '/quiet/access_token=[redacted]?q=password%3D%5Bredacted%5D' } });
    expect(logs.text).not.toMatch(/PATHSECRET|QSECRET/);
  });

  it('when the search is 15,000 characters long, the path 5,000 and the parameters repeated, then every line stays under 1 KB and the search is cut to 40 characters', async () => {
    const before = logs.lines.length;
    const search = `${'x'.repeat(40)}${'y'.repeat(14_960)}`;
    const ids: string[] = [];
    for (const url of [
      `${baseUrl}/quiet?q=${search}&page=1`,
      `${baseUrl}/quiet?q=${'\u{1F600}'.repeat(5_000)}&stage=${'é'.repeat(5_000)}&company_id=${'9'.repeat(5_000)}`,
      `${baseUrl}/${'a%22b%5C'.repeat(700)}`,
    ]) {
      const response = await fetch(url);
      ids.push(response.headers.get('x-request-id')!);
    }
    const lines = await Promise.all(ids.map(accessLineOf));
    expect((lines[0]!.req as { url: string }).url).toBe(`/quiet?page=1&q=${'x'.repeat(40)}`);
    for (const line of logs.lines.slice(before)) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(1024);
  });
});

describe('constant security headers', () => {
  it('when helmet is run once at start-up, then every response gets exactly the headers helmet itself sets', async () => {
    const options = {
      contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], frameAncestors: ["'none'"] } },
      referrerPolicy: { policy: 'same-origin' as const },
    };
    const serve = async (middleware: express.RequestHandler): Promise<Record<string, string>> => {
      const app = express();
      app.disable('x-powered-by');
      app.use(middleware);
      app.get('/', (_req, res) => void res.send('ok'));
      const running = app.listen(0, '127.0.0.1');
      await new Promise((resolve) => running.once('listening', resolve));
      try {
        const response = await fetch(`http://127.0.0.1:${(running.address() as AddressInfo).port}/`);
        const headers: Record<string, string> = {};
        response.headers.forEach((value, name) => (headers[name] = value));
        for (const name of ['date', 'etag', 'content-length', 'connection', 'keep-alive']) delete headers[name];
        return headers;
      } finally {
        await new Promise((resolve) => running.close(resolve));
      }
    };
    const direct = await serve(helmet(options));
    expect(direct['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(await serve(constantHeaders(helmet(options)))).toEqual(direct);
  });
});
