import { describe, expect, it } from 'vitest';
import { INVALID_CODE_MESSAGE } from '../../src/cli/commands/login';
import { ACME_COMPANY_ID } from '../../emulator';
import type { ProcoreProject } from '../../src/procore';
import { loginInProcess, run, setUp } from './helpers';

/** The --json line of a command's help, as one line (commander wraps long descriptions). */
async function jsonHelp(command: string, env: NodeJS.ProcessEnv): Promise<string> {
  const help = (await run([command, '--help'], env)).stdout.replace(/\n\s{10,}/g, ' ');
  return help.split('\n').find((line) => line.trimStart().startsWith('--json')) ?? '';
}

describe('what the procore command says', () => {
  it('when --help is read, then "every page" is promised only by the commands that join pages', async () => {
    const { env } = await setUp();
    for (const command of ['companies', 'projects']) expect(await jsonHelp(command, env)).toContain('every page');
    for (const command of ['me', 'token-info']) {
      const line = await jsonHelp(command, env);
      expect(line).toContain('print JSON');
      expect(line).not.toContain('every page');
    }
  });

  it('when token-info --help is read, then it offers --client-credentials and no --company (the token endpoint is not company-scoped)', async () => {
    const { env } = await setUp();
    const help = (await run(['token-info', '--help'], env)).stdout;
    expect(help).toContain('--client-credentials');
    expect(help).not.toContain('--company');
  });

  it('when a made-up code is pasted, then login says Procore did not accept it without claiming it expired', async () => {
    const { env } = await setUp();
    const result = await run(['login'], env, 'not-a-real-code\n');
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n').at(-1)).toBe(`procore: ${INVALID_CODE_MESSAGE}`);
    expect(INVALID_CODE_MESSAGE).toMatch(/may be mistyped/);
    expect(INVALID_CODE_MESSAGE).not.toMatch(/has expired or was already used/);
  });

  it('when projects are listed as a table, then NAME shows the project name, not display_name with the number repeated', async () => {
    const { env } = await setUp();
    expect((await loginInProcess(env)).code).toBe(0);
    const json = JSON.parse(
      (await run(['projects', '--company', String(ACME_COMPANY_ID), '--json'], env)).stdout,
    ) as ProcoreProject[];
    const project = json.find(
      (item) => item.project_number && item.display_name && item.display_name !== item.name && item.name.length < 40,
    )!;
    expect(project).toBeDefined();
    const table = await run(['projects', '--company', String(ACME_COMPANY_ID)], env);
    expect(table.code, table.stderr).toBe(0);
    const row = table.stdout.split('\n').find((line) => new RegExp(`^\\s*${project.id}\\s`).test(line))!;
    expect(row).toContain(project.name);
    expect(row).not.toContain(project.display_name!);
  });
});
