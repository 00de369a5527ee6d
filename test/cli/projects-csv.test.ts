import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { ACME_COMPANY_ID } from '../../emulator';
import type { ProcoreProject } from '../../src/procore';
import { summarizeProject } from '../../src/projects/project-summary';
import { PROJECT_CSV_HEADER } from '../../src/projects/projects-csv';
import { expectOneLineError, run, setUp } from './helpers';

const company = String(ACME_COMPANY_ID);

describe('procore projects --csv', () => {
  it('when projects are listed as CSV, then every project is a row with the dashboard export columns and a link into Procore', async () => {
    const { env } = await setUp();
    const web = { ...env, PROCORE_WEB_URL: 'https://procore.example.test' };
    const csv = await run(['projects', '--client-credentials', '--company', company, '--csv'], web);
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stdout.startsWith('\uFEFF')).toBe(true);
    const records: string[][] = parse(csv.stdout, { bom: true });
    const [header, ...rows] = records;
    expect(header).toEqual([...PROJECT_CSV_HEADER]);

    const json = JSON.parse(
      (await run(['projects', '--client-credentials', '--company', company, '--json'], web)).stdout,
    ) as ProcoreProject[];
    expect(rows.map((row) => Number(row[0]))).toEqual(json.map((project) => project.id));
    const [first] = json;
    expect(rows[0]).toEqual([
      String(first!.id),
      first!.project_number ?? '',
      first!.name,
      summarizeProject(first!).stage ?? '',
      first!.active ? 'Active' : 'Inactive',
      first!.address ?? '',
      first!.city ?? '',
      first!.state_code ?? '',
      `https://procore.example.test/webclients/host/companies/${company}/projects/${first!.id}/tools/projecthome`,
    ]);
  });

  it("when the README's recipe runs against the emulator without PROCORE_WEB_URL, then the links go to the emulator's stand-in pages, not app.procore.com; by default every status in id order, and --status Active gives only the active rows", async () => {
    const { env } = await setUp();
    expect(env.PROCORE_WEB_URL).toBeUndefined();
    const rowsOf = async (args: string[]): Promise<string[][]> => {
      const csv = await run(['projects', '--client-credentials', '--company', company, '--csv', ...args], env);
      expect(csv.code, csv.stderr).toBe(0);
      const records: string[][] = parse(csv.stdout, { bom: true });
      return records.slice(1);
    };
    const all = await rowsOf([]);
    for (const row of all) expect(row[8]!.startsWith(`${env.PROCORE_API_URL}/`)).toBe(true);
    expect(new Set(all.map((row) => row[4]))).toEqual(new Set(['Active', 'Inactive']));
    const ids = all.map((row) => Number(row[0]));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const active = await rowsOf(['--status', 'Active']);
    expect(active.map((row) => row[0])).toEqual(all.filter((row) => row[4] === 'Active').map((row) => row[0]));
  });

  it('when both --csv and --json are given, then one line on stderr and exit code 2', async () => {
    const { env } = await setUp();
    const result = await run(['projects', '--client-credentials', '--company', company, '--csv', '--json'], env);
    expect(result.code).toBe(2);
    expectOneLineError(result);
    expect(result.stderr).toContain('--csv or --json');
  });
});
