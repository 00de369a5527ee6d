import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACME_COMPANY_ID, DEFAULT_SERVICE_ACCOUNT } from '../../emulator';
import type { ProcoreProject } from '../../src/procore';
import { expectOneLineError, run, setUp } from './helpers';

const company = String(ACME_COMPANY_ID);

describe('--client-credentials (service account)', () => {
  it('when projects are listed with --client-credentials, then every project comes back without any stored login', async () => {
    const { emulator, env, tokenFile } = await setUp();
    const result = await run(['projects', '--client-credentials', '--company', company, '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    const projects = JSON.parse(result.stdout) as ProcoreProject[];
    expect(projects).toHaveLength(250);
    expect(emulator.stats.grants.client_credentials).toBe(1);
    expect(emulator.stats.grants.authorization_code).toBe(0);
    await expect(readFile(tokenFile)).rejects.toMatchObject({ code: 'ENOENT' }); // no user login was made or needed
  });

  it('when two commands run within the token lifetime, then Procore sees one token request and the cache file is private', async () => {
    const { emulator, env, tokenFile } = await setUp();
    expect((await run(['projects', '--client-credentials', '--company', company, '--json'], env)).code).toBe(0);
    expect((await run(['me', '--client-credentials', '--company', company, '--json'], env)).code).toBe(0);
    expect(emulator.stats.tokenRequests.client_credentials).toBe(1);

    const cache = path.join(path.dirname(tokenFile), 'tokens.client-credentials.json');
    expect((await stat(cache)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(cache, 'utf8'))).not.toHaveProperty('refreshToken');
  });

  it('when the cached token is close to expiry (a quarter of its 30-second life left), then a new one is requested; before that it is reused', async () => {
    const { clock, emulator, env } = await setUp({ tokenLifetimeSeconds: 30 });
    expect((await run(['me', '--client-credentials', '--company', company], env)).code).toBe(0);
    expect((await run(['me', '--client-credentials', '--company', company], env)).code).toBe(0);
    expect(emulator.stats.tokenRequests.client_credentials).toBe(1);
    await clock.advance(23_000);
    expect((await run(['me', '--client-credentials', '--company', company], env)).code).toBe(0);
    expect(emulator.stats.tokenRequests.client_credentials).toBe(2);
  });

  it('when /me and /companies are called with --company, then Procore-Company-Id is sent on both', async () => {
    const { emulator, env } = await setUp();
    const me = await run(['me', '--client-credentials', '--company', company, '--json'], env);
    expect(me.code, me.stderr).toBe(0);
    expect((JSON.parse(me.stdout) as { id: number }).id).toBe(DEFAULT_SERVICE_ACCOUNT.id);
    const companies = await run(['companies', '--client-credentials', '--company', company, '--json'], env);
    expect(companies.code, companies.stderr).toBe(0);
    expect((JSON.parse(companies.stdout) as Array<{ id: number }>).map((item) => item.id)).toContain(ACME_COMPANY_ID);

    for (const route of ['/rest/v1.0/me', '/rest/v1.0/companies']) {
      const requests = emulator.stats.requests.filter((request) => request.path === route);
      expect(requests.length).toBeGreaterThan(0);
      for (const request of requests) {
        expect(request.headers['procore-company-id']).toBe(company);
        expect(request.status).toBe(200);
      }
    }
  });

  it('when /companies is asked without the company header, then the emulator rejects it and the command refuses to try', async () => {
    const { url, emulator, env } = await setUp();
    const token = await fetch(`${url}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: emulator.clientId,
        client_secret: emulator.clientSecret,
      }),
    }).then((response) => response.json() as Promise<{ access_token: string }>);
    const bare = await fetch(`${url}/rest/v1.0/companies`, {
      headers: { Authorization: `Bearer ${token.access_token}` },
    });
    expect(bare.status).toBe(400);

    const result = await run(['companies', '--client-credentials'], env);
    expect(result.code).toBe(2);
    expectOneLineError(result);
    expect(result.stderr).toContain('--company');
  });

  it('when Procore rejects the cached token, then one new token is requested and the call retried', async () => {
    const { emulator, env } = await setUp();
    expect((await run(['me', '--client-credentials', '--company', company], env)).code).toBe(0);
    emulator.revokeAll();
    const result = await run(['me', '--client-credentials', '--company', company, '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(emulator.stats.tokenRequests.client_credentials).toBe(2);
  });

  it('when the client secret is wrong, then one line says so and the exit code is 1', async () => {
    const { env } = await setUp();
    const result = await run(['projects', '--client-credentials', '--company', company], {
      ...env,
      PROCORE_CLIENT_SECRET: 'wrong',
    });
    expect(result.code).toBe(1);
    expectOneLineError(result);
    expect(result.stderr).toBe(
      'procore: Procore did not accept the client credentials; check PROCORE_CLIENT_ID and PROCORE_CLIENT_SECRET.\n',
    );
  });

  it('when PROCORE_CLIENT_SECRET changes after a token was cached, then the cached token is not used and the new secret is tried', async () => {
    const { emulator, env, tokenFile } = await setUp();
    expect((await run(['me', '--client-credentials', '--company', company], env)).code).toBe(0);
    const cachePath = path.join(path.dirname(tokenFile), 'tokens.client-credentials.json');
    const cache = await readFile(cachePath, 'utf8');
    expect(cache).not.toContain(emulator.clientSecret);

    const changed = await run(['me', '--client-credentials', '--company', company], {
      ...env,
      PROCORE_CLIENT_SECRET: 'a-secret-procore-does-not-know',
    });
    expect(changed.code).toBe(1);
    expect(changed.stderr).toBe(
      'procore: Procore did not accept the client credentials; check PROCORE_CLIENT_ID and PROCORE_CLIENT_SECRET.\n',
    );
    expect(emulator.stats.tokenRequests.client_credentials).toBe(2);
  });

  it('when the same credentials are used again, then the cached token still serves (the credentials hash matches)', async () => {
    const { emulator, env } = await setUp();
    expect((await run(['me', '--client-credentials', '--company', company], env)).code).toBe(0);
    expect((await run(['me', '--client-credentials', '--company', company], { ...env })).code).toBe(0);
    expect(emulator.stats.tokenRequests.client_credentials).toBe(1);
  });

  it('when token-info is run with --client-credentials and no company, then it shows the service-account token (it calls nothing company-scoped)', async () => {
    const { env } = await setUp();
    const result = await run(['token-info', '--client-credentials', '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ resource_owner_id: DEFAULT_SERVICE_ACCOUNT.id });
  });
});
