import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USER } from '../../emulator';
import { scrubText, serializeError } from '../../src/observability/logger';
import { csrfTokenIn, HttpClient } from '../support/http-client';
import { collectSecrets } from '../support/secrets';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.close();
});

interface LogLine {
  msg?: string;
  level: number;
  requestId?: string;
  req?: { id?: string; url?: string };
  res?: { statusCode?: number };
  [key: string]: unknown;
}

function logLines(): LogLine[] {
  return stack.app.logs.lines.map((line) => JSON.parse(line) as LogLine);
}

describe('no token, code, secret or cookie reaches the logs', () => {
  it('when a person signs in, has their token refreshed, hits errors, loads pages and logs out, then the captured logs hold none of them', async () => {
    stack.emulator.resetStats();
    const client = new HttpClient();
    const signedIn = await client.signIn(stack.app.url, DEMO_USER);
    expect(signedIn.status).toBe(200);
    const callback = signedIn.hops.find((hop) => hop.url.includes('/auth/callback'))!;
    const callbackUrl = new URL(callback.url);
    const code = callbackUrl.searchParams.get('code')!;
    const state = callbackUrl.searchParams.get('state')!;
    const cookie = client.cookies(stack.app.url).get('procore-dashboard.sid')!;
    expect(code.length).toBeGreaterThan(8);

    // Procore forgets the access token: the next page refreshes it (401 → refresh → retry).
    stack.emulator.expireAccessTokens();
    const account = await client.get(`${stack.app.url}/account`);
    expect(account.status).toBe(200);
    expect(stack.emulator.stats.grants.refresh_token).toBeGreaterThanOrEqual(1);

    // A failing Procore call is logged as an error with its cause chain.
    stack.emulator.inject({ match: 'GET /rest/v1.0/me', status: 500, times: 10 });
    const failing = await client.get(`${stack.app.url}/account`);
    expect(failing.status).toBeGreaterThanOrEqual(500);
    stack.emulator.clearFaults();

    // Someone replays the callback URL (with code and state) and sends credentials in headers.
    await fetch(`${stack.app.url}/auth/callback?code=${encodeURIComponent(code)}&state=${encodeURIComponent(state)}`, {
      headers: { authorization: `Bearer ${code}`, cookie: `procore-dashboard.sid=${cookie}`, 'x-csrf-token': state },
    }).then((response) => response.text());

    const page = await client.get(`${stack.app.url}/account`);
    expect(page.status).toBe(200);
    const csrf = csrfTokenIn(page.body);
    const loggedOut = await client.post(`${stack.app.url}/logout`, { _csrf: csrf });
    expect(new URL(loggedOut.url).pathname).toBe('/');
    expect(stack.emulator.stats.revocations).toBe(1);

    const secrets = collectSecrets(stack, [code, state, cookie, decodeURIComponent(cookie), csrf]);
    expect(secrets.size).toBeGreaterThanOrEqual(8);
    const text = stack.app.logs.text;
    expect(text).toContain('signed in');
    expect(text).toContain('signed out');
    for (const secret of secrets) {
      expect(text.includes(secret), `a secret of ${secret.length} characters appears in the logs`).toBe(false);
    }
    // The error line was written, with a cause, but without the library's extra fields.
    const errorLine = logLines().find((line) => line.level >= 50 && line.err);
    expect(errorLine).toBeDefined();
    expect(JSON.stringify(errorLine)).not.toMatch(/authorization|set-cookie/i);
  });

  it('when requests are answered, then every request log line carries the request id that the X-Request-Id response header shows', async () => {
    const ids: string[] = [];
    const client = new HttpClient();
    for (const path of ['/', '/no-such-page', '/auth/callback?state=x', '/projects', '/healthz']) {
      const response = await client.get(`${stack.app.url}${path}`, { follow: false });
      const id = response.headers.get('x-request-id');
      expect(id).toMatch(/^[A-Za-z0-9._-]{1,64}$/);
      ids.push(id!);
    }
    const given = await fetch(`${stack.app.url}/`, { headers: { 'x-request-id': 'lb-abc.123' } });
    expect(given.headers.get('x-request-id')).toBe('lb-abc.123');
    const forged = await fetch(`${stack.app.url}/`, { headers: { 'x-request-id': 'x"}, "level": 60, "msg": "pwned' } });
    expect(forged.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    ids.push('lb-abc.123', forged.headers.get('x-request-id')!);

    const lines = logLines();
    const requestLines = lines.filter((line) => line.req !== undefined);
    expect(requestLines.length).toBeGreaterThan(0);
    for (const line of requestLines) {
      expect(line.req!.id, JSON.stringify(line)).toBeTruthy();
      expect(line.requestId, JSON.stringify(line)).toBe(line.req!.id);
    }
    // /healthz is not access-logged (probes would drown the log); every other request is, with its id.
    for (const id of ids.filter((_id, index) => index !== 4)) {
      const completed = requestLines.find((line) => line.req!.id === id && line.res?.statusCode !== undefined);
      expect(completed, `no access log line for request ${id}`).toBeDefined();
    }
    // Lines written by app code during a request (not by the access logger) carry the id too.
    const refused = lines.filter((line) => line.msg === 'request refused');
    expect(refused.length).toBeGreaterThan(0);
    for (const line of refused) expect(line.requestId).toBeTruthy();
    const signedIn = lines.filter((line) => line.msg === 'signed in');
    for (const line of signedIn) expect(line.requestId).toBeTruthy();
  });
});

describe('the log serializers', () => {
  it('when an error carries library extras (a Redis command, request headers, a URL with a code), then only safe fields are kept', () => {
    const cause = Object.assign(
      new Error('connect ECONNREFUSED https://id:s3cret@login.example/oauth/token?code=abc123&state=xyz'),
      {
        code: 'ECONNREFUSED',
        command: { name: 'set', args: ['pd:tokens:{x}', 'sealed-token-blob'] },
        headers: { authorization: 'Bearer very-secret' },
      },
    );
    const error = new Error('request failed: Authorization: Bearer abc.def.ghi', { cause });
    const serialized = JSON.stringify(serializeError(error));
    expect(serialized).toContain('ECONNREFUSED');
    for (const secret of ['s3cret', 'abc123', 'xyz', 'sealed-token-blob', 'very-secret', 'abc.def.ghi'])
      expect(serialized).not.toContain(secret);
  });

  it('when free text holds tokens, then they are replaced', () => {
    expect(scrubText('{"access_token":"AAA","refresh_token":"BBB"}')).toBe(
      '{"access_token":"[redacted]","refresh_token":"[redacted]"}',
    );
    expect(scrubText('/auth/callback?code=C0DE&state=ST4TE')).toBe('/auth/callback?code=[redacted]&state=[redacted]');
    expect(scrubText('redis://:hunter2@redis:6379')).toBe('redis://[redacted]@redis:6379');
  });
});
