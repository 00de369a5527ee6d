import { describe, expect, it } from 'vitest';
import { ACME_COMPANY_ID, DEFAULT_COMPANIES, NORTHWIND_COMPANY_ID } from '../../emulator';
import { buildData } from '../../emulator/data';
import { run, setUp } from './helpers';

const data = buildData(DEFAULT_COMPANIES);

describe('procore projects: the STAGE column', () => {
  it.each([
    ['a published-shape company (project_stage object)', ACME_COMPANY_ID],
    ['a v1-string-stage company (stage string)', NORTHWIND_COMPANY_ID],
  ])('when %s is listed, then each row shows its stage', async (_what, companyId) => {
    const { env } = await setUp();
    const result = await run(
      ['projects', '--client-credentials', '--company', String(companyId), '--status', 'All'],
      env,
    );
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    for (const project of data.projectsByCompany.get(companyId)!) {
      const row = lines.find((line) => line.trimStart().startsWith(`${project.id} `));
      expect(row, String(project.id)).toBeDefined();
      if (project.stage !== null) expect(row).toContain(project.stage.slice(0, 19));
      expect(row).toMatch(project.active ? /yes$/ : /no$/);
    }
  });
});
