import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_USER } from '../../emulator';
import { loginInProcess, run, runChild, setUp } from './helpers';

const storedRefreshToken = async (tokenFile: string): Promise<string> =>
  (JSON.parse(await readFile(tokenFile, 'utf8')) as { refreshToken: string }).refreshToken;

/** Logs in with one-second tokens and moves the clock past the access token's expiry. */
async function loginWithExpiredAccessToken(setup: Awaited<ReturnType<typeof setUp>>): Promise<string> {
  setup.emulator.setTokenLifetime(1);
  expect((await loginInProcess(setup.env)).code).toBe(0);
  await setup.clock.advance(1_100);
  return storedRefreshToken(setup.tokenFile);
}

describe('refreshing the stored login', () => {
  it('when the access token has expired, then a later command refreshes once, saves the rotated refresh token and the old one is dead', async () => {
    const setup = await setUp();
    const { emulator, env, tokenFile } = setup;
    const oldRefreshToken = await loginWithExpiredAccessToken(setup);
    emulator.setTokenLifetime(5400); // the refreshed token must not expire mid-command on a slow machine
    emulator.resetStats();

    const result = await run(['me', '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as { login: string }).login).toBe(DEMO_USER.login);
    expect(emulator.stats.grants.refresh_token).toBe(1);

    const newRefreshToken = await storedRefreshToken(tokenFile);
    expect(newRefreshToken).not.toBe(oldRefreshToken);
    expect(emulator.isRefreshTokenValid(newRefreshToken)).toBe(true);
    expect(emulator.isRefreshTokenValid(oldRefreshToken)).toBe(false);
  });

  it('when two procore processes start at once with an expired token, then exactly one refresh happens and both succeed', async () => {
    const setup = await setUp();
    const { emulator, env, tokenFile } = setup;
    await loginWithExpiredAccessToken(setup);
    // New tokens live long again, and a slow token endpoint makes the two processes overlap.
    emulator.setTokenLifetime(5400);
    emulator.setLatency({ tokenMs: 400 });
    emulator.resetStats();

    const [first, second] = await Promise.all([
      runChild(['me', '--json'], env),
      runChild(['companies', '--json'], env),
    ]);
    expect(first.code, first.stderr).toBe(0);
    expect(second.code, second.stderr).toBe(0);
    expect(emulator.stats.tokenRequests.refresh_token).toBe(1);
    expect(emulator.stats.grants.refresh_token).toBe(1);
    expect(emulator.isRefreshTokenValid(await storedRefreshToken(tokenFile))).toBe(true);
    // Both used the one new access token: the waiting process read what the other saved.
    const bearers = emulator.stats.requests
      .filter((request) => request.path.startsWith('/rest/'))
      .map((request) => request.headers.authorization);
    expect(bearers.length).toBeGreaterThanOrEqual(2);
    expect(new Set(bearers).size).toBe(1);
  });

  it('when Procore rejects an access token that looked valid, then one refresh and one retry follow', async () => {
    const setup = await setUp();
    const { emulator, env } = setup;
    expect((await loginInProcess(env)).code).toBe(0);
    emulator.expireAccessTokens(); // Procore-side only: the token file still says it is valid
    emulator.resetStats();

    const result = await run(['companies', '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(emulator.stats.grants.refresh_token).toBe(1);
    expect(emulator.stats.restCalls['GET /rest/v1.0/companies']).toBe(2);
  });

  it('when the refresh token was revoked, then the command says to log in again and exits 1', async () => {
    const setup = await setUp();
    const { emulator, env } = setup;
    await loginWithExpiredAccessToken(setup);
    emulator.revokeAll();

    const result = await run(['me'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'procore: Your stored Procore login is no longer valid (it was revoked or used elsewhere); run `procore login` again.\n',
    );
  });

  it('when tokens are saved, then the token file is mode 0600 in a directory of mode 0700 and no temporary file is left behind', async () => {
    const setup = await setUp();
    const { env, tokenFile } = setup;
    await loginWithExpiredAccessToken(setup);
    expect((await run(['me'], env)).code).toBe(0); // a refresh rewrites the file

    expect((await stat(tokenFile)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(tokenFile))).mode & 0o777).toBe(0o700);
    expect(await readdir(path.dirname(tokenFile))).toEqual(['tokens.json']);
  });
});
