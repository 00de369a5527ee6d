import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InternalOAuthError } from 'passport-oauth2';
import { afterEach, describe, expect, it } from 'vitest';
import { SignInError } from '../../src/procore-auth/errors';
import { ProcoreError } from '../../src/procore/errors';
import {
  ConnectionCapError,
  ConnectionDeadlineError,
  createDeadlineAgent,
} from '../../src/procore-auth/deadline-agent';
import { PendingSignIns } from '../../src/procore-auth/pending-sign-ins';
import { ProcoreStrategy, signInErrorFor } from '../../src/procore-auth/procore-strategy';

const SECRET = 'the-client-secret';

function strategy(): ProcoreStrategy {
  return new ProcoreStrategy({
    loginUrl: 'https://login.example',
    clientId: 'id',
    clientSecret: SECRET,
    callbackUrl: 'https://app.example/auth/callback',
    timeoutMs: 1_000,
    me: () => Promise.reject(new Error('not called here')),
    stateStore: new PendingSignIns(),
  });
}

describe('ProcoreStrategy.parseErrorResponse: the token endpoint’s errors as the app’s codes', () => {
  it.each([
    [
      400,
      { error: 'invalid_grant', error_description: 'The provided authorization grant is invalid' },
      'invalid_grant',
    ],
    [401, { error: 'invalid_client' }, 'invalid_client'],
    [401, 'not json', 'invalid_client'],
    [400, { error: 'invalid_request' }, 'oauth_error'],
    [400, '<html>bad</html>', 'bad_response'],
    [429, { error: 'rate_limited' }, 'rate_limited'],
    [500, { error: 'server_error' }, 'unavailable'],
    [503, { error: 'temporarily_unavailable' }, 'unavailable'],
  ] as const)('when Procore answers %i with %j, then the error code is %s', (status, body, code) => {
    const error = strategy().parseErrorResponse(typeof body === 'string' ? body : JSON.stringify(body), status);
    expect(error).toBeInstanceOf(ProcoreError);
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
  });

  it('when the error description echoes the client secret, then the error does not hold it', () => {
    const error = strategy().parseErrorResponse(
      JSON.stringify({ error: 'invalid_client', error_description: `bad secret ${SECRET}` }),
      401,
    );
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain(SECRET);
  });
});

describe('signInErrorFor: what a failed sign-in means', () => {
  it.each([
    [new ProcoreError('invalid_grant', 'x'), 'code_expired'],
    [new ProcoreError('invalid_client', 'x'), 'client_rejected'],
    [new ProcoreError('unavailable', 'x'), 'procore_unavailable'],
    [new ProcoreError('timeout', 'x'), 'procore_unavailable'],
    [new ProcoreError('bad_response', 'x'), 'failed'],
    [new InternalOAuthError('Failed to obtain access token', new Error('socket hang up')), 'procore_unavailable'],
    [new Error('Failed to obtain access token'), 'failed'],
  ] as const)('when passport reports %s, then the sign-in error is %s', (failure, code) => {
    const error = signInErrorFor(failure);
    expect(error).toBeInstanceOf(SignInError);
    expect(error.code).toBe(code);
    expect(error.cause).toBe(failure);
  });
});

describe('the deadline agent', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('when a server takes longer than the deadline, then the request fails with ConnectionDeadlineError', async () => {
    server = createServer(() => undefined); // never answers
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth/token`;
    const agent = createDeadlineAgent(url, 50, 65_536);
    const { request } = await import('node:http');
    const failure = await new Promise<unknown>((resolve) => {
      const req = request(url, { method: 'POST', agent }, () => resolve(new Error('answered')));
      req.on('error', resolve);
      req.end();
    });
    expect(failure).toBeInstanceOf(ConnectionDeadlineError);
  });

  it('when a server sends more than the byte cap, then the connection is cut and the request fails with ConnectionCapError', async () => {
    let written = 0;
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const more = (): void => {
        while (written < 50 * 1024 * 1024 && res.write(Buffer.alloc(65_536, 'x'))) written += 65_536;
        if (written < 50 * 1024 * 1024 && !res.destroyed) res.once('drain', more);
      };
      res.on('close', () => (written = Number.POSITIVE_INFINITY));
      more();
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth/token`;
    const { request } = await import('node:http');
    const failure = await new Promise<unknown>((resolve) => {
      const req = request(url, { method: 'POST', agent: createDeadlineAgent(url, 10_000, 65_536) }, (res) => {
        res.on('data', () => undefined);
        res.on('end', () => resolve(new Error('read to the end')));
        res.on('error', resolve);
      });
      req.on('error', resolve);
      req.end();
    });
    expect(failure).toBeInstanceOf(ConnectionCapError);
  });

  it('when the URL is https, then the agent is an https agent', async () => {
    const { Agent } = await import('node:https');
    expect(createDeadlineAgent('https://login.example/oauth/token', 50, 65_536)).toBeInstanceOf(Agent);
  });
});
