import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACME_COMPANY_ID } from '../../emulator';
import { expectOneLineError, loginInProcess, run, runChild, setUp } from './helpers';

const COMMANDS = ['login', 'me', 'companies', 'projects', 'token-info', 'logout'];

describe('usage, help and errors', () => {
  it('when --help is given to the tool or to any command, then usage is printed and the exit code is 0', async () => {
    const { env } = await setUp();
    const top = await run(['--help'], env);
    expect(top.code).toBe(0);
    for (const command of COMMANDS) expect(top.stdout).toContain(command);
    for (const command of COMMANDS) {
      const help = await run([command, '--help'], env);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Usage: procore ${command}`);
    }
    const projects = await run(['projects', '--help'], env);
    for (const option of ['--company', '--status', '--json', '--client-credentials'])
      expect(projects.stdout).toContain(option);
  });

  it('when the command is unknown, then one line on stderr and exit code 2', async () => {
    const { env } = await setUp();
    const result = await runChild(['projcts'], env);
    expect(result.code).toBe(2);
    expectOneLineError(result);
    expect(result.stderr).toContain("unknown command 'projcts'");
    expect(result.stdout).toBe('');
  });

  it('when an option is misspelt (--compnay for --company), then the one line names the unknown option and suggests --company, not "required option"', async () => {
    const { env } = await setUp();
    const result = await run(['projects', '--compnay', String(ACME_COMPANY_ID)], env);
    expect(result.code).toBe(2);
    expectOneLineError(result);
    expect(result.stderr).toContain("unknown option '--compnay'");
    expect(result.stderr).toContain('--company');
    expect(result.stderr).not.toContain('required option');
  });

  it('when projects is run without --company, then one line on stderr and exit code 2', async () => {
    const { env } = await setUp();
    const result = await run(['projects', '--json'], env);
    expect(result.code).toBe(2);
    expectOneLineError(result);
    expect(result.stderr).toContain('--company');
  });

  it('when --company or --status has a bad value, then exit code 2', async () => {
    const { env } = await setUp();
    for (const argv of [
      ['projects', '--company', 'acme'],
      ['projects', '--company', '-5'],
      ['projects', '--company', String(ACME_COMPANY_ID), '--status', 'Archived'],
      ['me', '--unknown-option'],
    ]) {
      const result = await run(argv, env);
      expect(result.code, argv.join(' ')).toBe(2);
      expectOneLineError(result);
    }
  });

  it('when the client credentials are wrong, then login says so in one line and exits 1', async () => {
    const { env } = await setUp();
    const result = await run(['login'], { ...env, PROCORE_CLIENT_SECRET: 'not-the-secret' }, 'some-code\n');
    expect(result.code).toBe(1);
    const errors = result.stderr.split('\n').filter((line) => line.startsWith('procore:'));
    expect(errors).toEqual([
      'procore: Procore did not accept the client credentials; check PROCORE_CLIENT_ID and PROCORE_CLIENT_SECRET.',
    ]);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('when nobody has logged in, then API commands say so in one line and exit 1', async () => {
    const { env } = await setUp();
    for (const command of ['me', 'companies', 'token-info']) {
      const result = await run([command], env);
      expect(result.code).toBe(1);
      expectOneLineError(result);
      expect(result.stderr).toBe('procore: Not logged in: run `procore login` first (or use --client-credentials).\n');
    }
  });

  it('when the token file was issued by another login host, then it is refused in one line with exit 1 and left untouched', async () => {
    const { env, emulator } = await setUp();
    await loginInProcess(env);
    emulator.resetStats();
    const sandbox = { ...env, PROCORE_LOGIN_URL: undefined, PROCORE_API_URL: undefined, PROCORE_ENV: 'sandbox' };

    const result = await run(['projects', '--company', String(ACME_COMPANY_ID)], sandbox);
    expect(result.code).toBe(1);
    expectOneLineError(result);
    expect(result.stderr).toContain(`was issued by ${env.PROCORE_LOGIN_URL}, not https://login-sandbox.procore.com`);
    expect(emulator.stats.requests).toHaveLength(0);
    expect((await run(['logout'], sandbox)).code).toBe(1);
    expect((await run(['me'], env)).code).toBe(0); // still usable against its own host
  });

  it('when the token file is not one the tool wrote, then one line says to log in again', async () => {
    const { env, tokenFile } = await setUp();
    await mkdir(path.dirname(tokenFile), { recursive: true });
    await writeFile(tokenFile, '{ not json');
    const result = await run(['me'], env);
    expect(result.code).toBe(1);
    expectOneLineError(result);
    expect(result.stderr).toContain('run `procore login` again');
  });

  it('when the configuration is invalid, then every problem is in one line and the exit code is 2', async () => {
    const { env } = await setUp();
    const result = await run(['me'], { ...env, PROCORE_ENV: 'staging', PROCORE_CLIENT_ID: '' });
    expect(result.code).toBe(2);
    expectOneLineError(result);
    expect(result.stderr).toContain('PROCORE_ENV must be one of production, sandbox, monthly-sandbox');
    expect(result.stderr).toContain('PROCORE_CLIENT_ID is required');
  });

  it('when Procore cannot be reached, then one line says so and the exit code is 1', async () => {
    const { env } = await setUp();
    const closed = { ...env, PROCORE_LOGIN_URL: 'http://127.0.0.1:9', PROCORE_API_URL: 'http://127.0.0.1:9' };
    const result = await run(['me', '--client-credentials', '--company', String(ACME_COMPANY_ID)], closed);
    expect(result.code).toBe(1);
    expectOneLineError(result);
    expect(result.stderr).toMatch(/^procore: Could not reach Procore/);
  });
});
