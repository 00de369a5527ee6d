import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { describe, expect, it, onTestFinished } from 'vitest';
import { controlApp } from '../../emulator/control';
import { outageFlagsFrom } from '../../emulator/flags';
import { listen } from '../../src/http/listen';
import { REPO_ROOT } from '../operations/child-app';
import { testRunEnv } from '../support/leftover-processes';
import { freePort } from '../support/redis-server';
import { api, refresh, serviceToken, signIn, start, tokenRequest, clientFields, type Started } from './helpers';

type Send = ((method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<Response>) & {
  url: string;
};

/** The control endpoint of `started`'s emulator on 127.0.0.1:0, closed after the test. */
async function control(started: Started): Promise<Send> {
  const server = await listen(controlApp(started.emulator), 0, '127.0.0.1');
  onTestFinished(() => server.close(0));
  const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  return Object.assign(send, { url: server.url });
}

/** A PUT with a Host header of our choosing (fetch always sends the URL's). */
function putWithHost(url: string, host: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const sent = request(url, { method: 'PUT', headers: { host, 'content-type': 'application/json' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    sent.once('error', reject);
    sent.end(body);
  });
}

describe("rehearsing outages: the emulator's flags", () => {
  it('when outage flags are given, then they are read; rate-limit flags pass; anything else is refused with its name', () => {
    expect(
      outageFlagsFrom([
        '--control-port',
        '4100',
        '--token-endpoint-down',
        '--token-latency-ms=1500',
        '--rate-limit',
        '10',
      ]),
    ).toEqual({
      ok: true,
      flags: {
        controlPort: 4100,
        tokenEndpointDown: true,
        tokenLatencyMs: 1500,
        apiLatencyMs: undefined,
        tokenLifetimeSeconds: undefined,
      },
    });
    expect(outageFlagsFrom([])).toMatchObject({
      ok: true,
      flags: { controlPort: undefined, tokenEndpointDown: false },
    });
    expect(outageFlagsFrom(['--api-latency-ms', 'soon', '--token-lifetime-seconds', '0'])).toEqual({
      ok: false,
      errors: [
        '--api-latency-ms must be a whole number of at least 0, got "soon"',
        '--token-lifetime-seconds must be a whole number of at least 1, got "0"',
      ],
    });
    const unknown = outageFlagsFrom(['--tokens-down']);
    expect(unknown.ok).toBe(false);
    expect(!unknown.ok && unknown.errors[0]).toContain("'--tokens-down'");
  });
});

describe("rehearsing outages: the emulator's control endpoint", () => {
  it('when the token endpoint is switched down, then sign-in, refresh and client credentials get 503 while the API and token info still work; switched up, they work again', async () => {
    const started = await start();
    const tokens = await signIn(started.url);
    const send = await control(started);

    const down = await send('PUT', '/outages', { tokenEndpointDown: true });
    expect(await down.json()).toMatchObject({ tokenEndpointDown: true });
    expect((await refresh(started.url, tokens.refresh_token!)).status).toBe(503);
    expect((await tokenRequest(started.url, { grant_type: 'client_credentials', ...clientFields })).status).toBe(503);
    expect((await api(started.url, '/rest/v1.0/me', tokens.access_token)).status).toBe(200);
    expect(
      (await fetch(`${started.url}/oauth/token/info`, { headers: { authorization: `Bearer ${tokens.access_token}` } }))
        .status,
    ).toBe(200);

    await send('PUT', '/outages', { tokenEndpointDown: false });
    expect((await refresh(started.url, tokens.refresh_token!)).status).toBe(200);
  });

  it('when every token is expired or revoked from the control endpoint, then the API refuses the tokens issued before', async () => {
    const started = await start();
    const send = await control(started);
    const person = await signIn(started.url);
    expect((await send('POST', '/tokens/expire', {})).status).toBe(204);
    expect((await api(started.url, '/rest/v1.0/me', person.access_token)).status).toBe(401);
    expect(started.emulator.isRefreshTokenValid(person.refresh_token!)).toBe(true);

    const service = await serviceToken(started.url);
    expect((await send('POST', '/tokens/revoke', {})).status).toBe(204);
    expect((await api(started.url, '/rest/v1.0/companies', service.access_token)).status).toBe(401);
    expect(started.emulator.isRefreshTokenValid(person.refresh_token!)).toBe(false);
  });

  it('when latency and token lifetime are set, then they are reported back and new tokens live that long', async () => {
    const started = await start();
    const send = await control(started);
    const answer = await send('PUT', '/outages', { tokenLatencyMs: 5, apiLatencyMs: 7, tokenLifetimeSeconds: 40 });
    expect(await answer.json()).toEqual({
      tokenEndpointDown: false,
      tokenLatencyMs: 5,
      apiLatencyMs: 7,
      tokenLifetimeSeconds: 40,
    });
    expect((await signIn(started.url)).expires_in).toBe(40);
    expect(await (await send('GET', '/outages')).json()).toMatchObject({ apiLatencyMs: 7 });
  });

  it('when the client secret is rotated, then the old secret gets invalid_client and the new one works', async () => {
    const started = await start();
    const send = await control(started);
    expect((await send('PUT', '/client-secret', { secret: 'rotated-secret' })).status).toBe(204);
    const old = await tokenRequest(started.url, { grant_type: 'client_credentials', ...clientFields });
    expect(old.status).toBe(401);
    expect(await old.json()).toMatchObject({ error: 'invalid_client' });
    const renewed = await tokenRequest(started.url, {
      grant_type: 'client_credentials',
      ...clientFields,
      client_secret: 'rotated-secret',
    });
    expect(renewed.status).toBe(200);
  });

  it('when a change comes without JSON, from another host name or with unknown fields, then it is refused and nothing changes', async () => {
    const started = await start();
    const send = await control(started);
    expect((await send('POST', '/tokens/revoke', undefined, { 'content-type': 'text/plain' })).status).toBe(415);
    expect(
      await putWithHost(
        `${send.url}/outages`,
        `rebound.example:${new URL(send.url).port}`,
        '{"tokenEndpointDown":true}',
      ),
    ).toBe(403);
    const wrong = await send('PUT', '/outages', { tokenEndpointDown: 'yes', sleep: 1 });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toEqual({ error: 'tokenEndpointDown must be true or false; unknown field sleep' });
    expect(started.emulator.outages().tokenEndpointDown).toBe(false);
  });
});

describe('rehearsing outages: npm run emulator', () => {
  it(
    'when started with --token-endpoint-down and --control-port, then the token endpoint answers 503 and the control endpoint (on 127.0.0.1) switches it back',
    { timeout: 60_000 },
    async () => {
      const [port, controlPort] = [await freePort(), await freePort()];
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'emulator/main.ts', '--token-endpoint-down', '--control-port', String(controlPort)],
        {
          cwd: REPO_ROOT,
          env: {
            PATH: process.env.PATH ?? '',
            HOME: process.env.HOME ?? '',
            EMULATOR_PORT: String(port),
            ...testRunEnv(),
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      onTestFinished(() => {
        child.kill('SIGTERM');
      });
      let out = '';
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('control:')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`the emulator exited (${code}): ${out}`)));
      });
      expect(out).toContain('token endpoint DOWN (503)');
      expect(out).toContain(`control:        http://127.0.0.1:${controlPort}`);

      const url = `http://127.0.0.1:${port}`;
      expect((await tokenRequest(url, { grant_type: 'client_credentials', ...clientFields })).status).toBe(503);
      await fetch(`http://127.0.0.1:${controlPort}/outages`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: '{"tokenEndpointDown":false}',
      });
      expect((await tokenRequest(url, { grant_type: 'client_credentials', ...clientFields })).status).toBe(200);
    },
  );
});
