import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ACME_COMPANY_ID, DEMO_USER } from '../../emulator';
import { INVALID_CODE_MESSAGE } from '../../src/cli/commands/login';
import type { ProcoreProject } from '../../src/procore';
import {
  AUTHORIZE_URL_PATTERN,
  expectOneLineError,
  loginInProcess,
  run,
  runChild,
  setUp,
  signInOnProcorePage,
  spawnCli,
  waitFor,
} from './helpers';

/** The token file's fields these tests read (a login always stores a refresh token). */
type StoredLogin = { loginUrl: string; ownerId: number; refreshToken: string };

describe('procore login (installed-app flow) against the emulator', () => {
  it('when a person signs in on the printed URL and pipes the code in, then the tokens are stored and every project of the company is listed across several pages', async () => {
    const { emulator, env, tokenFile } = await setUp();

    const login = spawnCli(['login'], env);
    const [authorizeUrl] = await waitFor(login.stderr, AUTHORIZE_URL_PATTERN);
    const url = new URL(authorizeUrl);
    expect(url.searchParams.get('redirect_uri')).toBe('urn:ietf:wg:oauth:2.0:oob');
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.has('scope')).toBe(false);

    const code = await signInOnProcorePage(authorizeUrl);
    login.end(`${code}\n`);
    const loggedIn = await login.done;
    expect(loggedIn.code, loggedIn.stderr).toBe(0);
    expect(loggedIn.stdout).toContain(DEMO_USER.login);
    expect(emulator.stats.grants.authorization_code).toBe(1);

    const stored = JSON.parse(await readFile(tokenFile, 'utf8')) as StoredLogin;
    expect(stored).toMatchObject({ loginUrl: env.PROCORE_LOGIN_URL, ownerId: DEMO_USER.id });
    expect(emulator.isRefreshTokenValid(stored.refreshToken)).toBe(true);

    emulator.resetStats();
    const listed = await runChild(
      ['projects', '--company', String(ACME_COMPANY_ID), '--json', '--per-page', '100'],
      env,
    );
    expect(listed.code, listed.stderr).toBe(0);
    const projects = JSON.parse(listed.stdout) as ProcoreProject[];
    expect(projects).toHaveLength(250);
    expect(new Set(projects.map((project) => project.id)).size).toBe(250);
    expect(projects.every((project) => project.company?.id === ACME_COMPANY_ID)).toBe(true);
    expect(emulator.stats.restCalls['GET /rest/v1.0/projects']).toBeGreaterThanOrEqual(2);
    const pages = emulator.stats.requests
      .filter((request) => request.path === '/rest/v1.0/projects')
      .map((request) => request.query.page);
    expect(new Set(pages).size).toBe(pages.length);
  });

  it('when the code is typed after the login page URL was opened, then the table output of projects is aligned and counts every project', async () => {
    const { env } = await setUp();
    expect((await loginInProcess(env)).code).toBe(0);

    const listed = await run(['projects', '--company', String(ACME_COMPANY_ID), '--status', 'all'], env);
    expect(listed.code, listed.stderr).toBe(0);
    const lines = listed.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^\s*ID\s+NUMBER\s+NAME\s+STAGE\s+CITY\s+STATE\s+ACTIVE$/);
    expect(lines[1]).toMatch(/^-+( +-+)+$/);
    expect(lines.at(-1)).toMatch(/^\d+ projects$/);
    expect(lines.length - 3).toBe(Number(lines.at(-1)!.split(' ')[0]));
  });

  it('when the same code is pasted a second time, then login says Procore did not accept it and why that can be, and exits 1', async () => {
    const { env } = await setUp();
    const login = spawnCli(['login'], env);
    const [authorizeUrl] = await waitFor(login.stderr, AUTHORIZE_URL_PATTERN);
    const code = await signInOnProcorePage(authorizeUrl);
    login.end(`${code}\n`);
    expect((await login.done).code).toBe(0);

    const again = await run(['login'], env, `${code}\n`);
    expect(again.code).toBe(1);
    expect(again.stderr.trim().split('\n').at(-1)).toBe(`procore: ${INVALID_CODE_MESSAGE}`);
  });

  it('when the code is more than ten minutes old, then login says Procore did not accept it and exits 1', async () => {
    let offsetMs = 0;
    const { env } = await setUp({ now: () => Date.now() + offsetMs });
    const stdinCode = await (async () => {
      const probe = await run(['login'], env, '');
      const [authorizeUrl] = AUTHORIZE_URL_PATTERN.exec(probe.stderr)!;
      return signInOnProcorePage(authorizeUrl);
    })();
    offsetMs = 10 * 60_000 + 1_000;

    const late = await run(['login'], env, `${stdinCode}\n`);
    expect(late.code).toBe(1);
    expect(late.stderr).toContain(`procore: ${INVALID_CODE_MESSAGE}`);
  });

  it('when standard input ends without a code, then login is a usage error', async () => {
    const { env } = await setUp();
    const result = await run(['login'], env, '\n\n');
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n').at(-1)).toMatch(/^procore: No code was given/);
  });

  it('when the whole out-of-band page URL is pasted instead of the code, then login still works', async () => {
    const { env, url } = await setUp();
    const probe = await run(['login'], env, '');
    const code = await signInOnProcorePage(AUTHORIZE_URL_PATTERN.exec(probe.stderr)![0]);
    const result = await run(['login'], env, `${url}/oauth/authorize/${encodeURIComponent(code)}\n`);
    expect(result.code, result.stderr).toBe(0);
  });

  it('when the out-of-band redirect URL with ?code= is pasted, then login works', async () => {
    const { env } = await setUp();
    const probe = await run(['login'], env, '');
    const code = await signInOnProcorePage(AUTHORIZE_URL_PATTERN.exec(probe.stderr)![0]);
    const result = await run(['login'], env, `urn:ietf:wg:oauth:2.0:oob?code=${encodeURIComponent(code)}\n`);
    expect(result.code, result.stderr).toBe(0);
  });

  it('when the login host has no token-info endpoint, then token-info says so plainly instead of asking to check an id', async () => {
    const { emulator, env } = await setUp();
    await loginInProcess(env);
    emulator.inject({ match: 'GET /oauth/token/info', status: 404 });
    const result = await run(['token-info'], env);
    expect(result.code).toBe(1);
    expectOneLineError(result);
    expect(result.stderr).toBe(
      `procore: ${env.PROCORE_LOGIN_URL} has no token-info endpoint (GET /oauth/token/info answered 404), so there is nothing to show; \`procore me\` checks that the token works.\n`,
    );
  });

  it('when logged in, then me, companies and token-info show the signed-in person', async () => {
    const { env } = await setUp();
    await loginInProcess(env);

    const me = await run(['me', '--json'], env);
    expect(me.code, me.stderr).toBe(0);
    expect(JSON.parse(me.stdout)).toMatchObject({ id: DEMO_USER.id, login: DEMO_USER.login });

    const companies = await run(['companies', '--json'], env);
    expect((JSON.parse(companies.stdout) as Array<{ id: number }>).map((company) => company.id)).toContain(
      ACME_COMPANY_ID,
    );
    const table = await run(['companies'], env);
    expect(table.stdout).toContain('Acme Builders');

    const info = await run(['token-info', '--json'], env);
    expect(JSON.parse(info.stdout)).toMatchObject({ resource_owner_id: DEMO_USER.id });
  });

  it('when logging out, then the tokens are revoked at Procore and the token file is gone', async () => {
    const { emulator, env, tokenFile } = await setUp();
    await loginInProcess(env);
    const { refreshToken } = JSON.parse(await readFile(tokenFile, 'utf8')) as StoredLogin;

    const result = await run(['logout'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(emulator.isRefreshTokenValid(refreshToken)).toBe(false);
    await expect(readFile(tokenFile)).rejects.toMatchObject({ code: 'ENOENT' });

    const after = await run(['me'], env);
    expect(after.code).toBe(1);
    expectOneLineError(after);
  });
});
