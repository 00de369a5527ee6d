import type { Command } from 'commander';
import { projectStageName } from '../../procore/shape';
import type { CallAuth, ProcoreCompany, ProcoreProject, ProjectStatusFilter } from '../../procore/types';
import { procoreWebLinks } from '../../procore/web-links';
import { summarizeProject } from '../../projects/project-summary';
import { projectCsvChunks } from '../../projects/projects-csv';
import { CliError, EXIT_FAILURE, usageError } from '../cli-error';
import { isProcoreError } from '../../procore/errors';
import type { CliContext } from '../context';
import { renderFields, renderJson, renderTable, type Column } from '../output';
import { progressLine } from '../progress';
import {
  companyOption,
  DEFAULT_PROJECTS_PER_PAGE,
  parsePerPage,
  parseStatus,
  requireCompany,
  withApiOptions,
  type ApiCommandOptions,
} from './options';

interface CompanyScopedOptions extends ApiCommandOptions {
  company?: number;
}

/** Service-account tokens must name a company even on /me and /companies (Procore's rule). */
function requireCompanyForServiceAccount(options: CompanyScopedOptions): void {
  if (options.clientCredentials && options.company === undefined) {
    throw usageError('--client-credentials needs --company <id>: Procore requires a company for service-account calls');
  }
}

/** A login host without GET /oauth/token/info (404 or 405) is not a wrong id: say so plainly. */
function noTokenInfoEndpoint(error: unknown, loginUrl: string): CliError | undefined {
  if (!isProcoreError(error) || (error.code !== 'not_found' && error.status !== 405)) return undefined;
  return new CliError(
    `${loginUrl} has no token-info endpoint (GET /oauth/token/info answered ${error.status ?? 404}), so there is nothing to show; \`procore me\` checks that the token works`,
    EXIT_FAILURE,
    { cause: error },
  );
}

function auth(accessToken: string, companyId: number | undefined): CallAuth {
  return companyId === undefined ? { accessToken } : { accessToken, companyId };
}

const COMPANY_COLUMNS: Column<ProcoreCompany>[] = [
  { header: 'ID', value: (company) => company.id, align: 'right' },
  { header: 'NAME', value: (company) => company.name, maxWidth: 50 },
  { header: 'ACTIVE', value: (company) => (company.is_active ? 'yes' : 'no') },
];

const PROJECT_COLUMNS: Column<ProcoreProject>[] = [
  { header: 'ID', value: (project) => project.id, align: 'right' },
  { header: 'NUMBER', value: (project) => project.project_number, maxWidth: 16 },
  // The name itself: display_name repeats the number ("2024-001 - Riverside…") and gets cut.
  { header: 'NAME', value: (project) => project.name, maxWidth: 40 },
  // project_stage.name (Procore's published shape), else the older stage string.
  { header: 'STAGE', value: (project) => projectStageName(project), maxWidth: 20 },
  { header: 'CITY', value: (project) => project.city, maxWidth: 20 },
  { header: 'STATE', value: (project) => project.state_code, maxWidth: 6 },
  // A project without `active` is listed by Procore as active.
  { header: 'ACTIVE', value: (project) => (project.active === false ? 'no' : 'yes') },
];

function count(items: readonly unknown[], one: string, many: string): string {
  return `${items.length} ${items.length === 1 ? one : many}\n`;
}

export function registerApiCommands(program: Command, context: () => CliContext): void {
  withApiOptions(
    program
      .command('me')
      .description('show who the access token belongs to (GET /rest/v1.0/me)')
      .addOption(companyOption(false)),
    { pages: false },
  ).action(async (options: CompanyScopedOptions) => {
    requireCompanyForServiceAccount(options);
    const ctx = context();
    const caller = await ctx.caller(options);
    const user = await caller.call((accessToken) => ctx.api.me(auth(accessToken, options.company)));
    ctx.io.stdout.write(options.json ? renderJson(user) : renderFields(Object.entries(user)));
  });

  withApiOptions(
    program
      .command('companies')
      .description('list the companies you can see (every page of GET /rest/v1.0/companies)')
      .addOption(companyOption(false)),
    { pages: true },
  ).action(async (options: CompanyScopedOptions) => {
    requireCompanyForServiceAccount(options);
    const ctx = context();
    const caller = await ctx.caller(options);
    const companies = await caller.call((accessToken) => ctx.api.companies(auth(accessToken, options.company)));
    ctx.io.stdout.write(
      options.json
        ? renderJson(companies)
        : renderTable(companies, COMPANY_COLUMNS) + count(companies, 'company', 'companies'),
    );
  });

  requireCompany(
    withApiOptions(
      program
        .command('projects')
        .description("list a company's projects (every page of GET /rest/v1.0/projects)")
        .addOption(companyOption(true))
        .option(
          '--status <status>',
          'All, Active or Inactive (filters[by_status])',
          parseStatus,
          'All' as ProjectStatusFilter,
        )
        .option(
          '--per-page <n>',
          'projects per request (1-300); every page is fetched either way',
          parsePerPage,
          DEFAULT_PROJECTS_PER_PAGE,
        )
        .option(
          '--csv',
          "print CSV with the dashboard's export columns (UTF-8 with a byte-order mark) instead of a table",
        ),
      { pages: true },
    ),
  ).action(
    async (
      options: CompanyScopedOptions & { company: number; status: ProjectStatusFilter; perPage: number; csv?: boolean },
    ) => {
      if (options.csv && options.json) throw usageError('Choose either --csv or --json, not both');
      const ctx = context();
      const caller = await ctx.caller(options);
      // Every project by default ("the company's projects"); Procore alone would list only active ones.
      const query = { status: options.status };
      const progress = progressLine(ctx.io.stderr, 'projects');
      let projects: ProcoreProject[];
      try {
        projects = await caller.call((accessToken) =>
          ctx.api.allProjects({ accessToken, companyId: options.company }, query, {
            perPage: options.perPage,
            onProgress: progress && ((arrived) => progress.show(arrived.loaded, arrived.total)),
          }),
        );
      } finally {
        progress?.clear();
      }
      if (options.csv) {
        // Links go to the company's zone (company_base_url), else to the environment's host.
        const zone = ctx.settings.webUrlFixed
          ? undefined
          : await caller
              .call((accessToken) => ctx.api.companyBaseUrl({ accessToken, companyId: options.company }))
              .catch(() => undefined);
        const company = { id: options.company, webUrl: zone?.web_base_url };
        for (const chunk of projectCsvChunks(projects.map(summarizeProject), company, procoreWebLinks(ctx.settings)))
          ctx.io.stdout.write(chunk);
        return;
      }
      ctx.io.stdout.write(
        options.json
          ? renderJson(projects)
          : renderTable(projects, PROJECT_COLUMNS) + count(projects, 'project', 'projects'),
      );
    },
  );

  withApiOptions(
    program.command('token-info').description('show what Procore says about the access token (GET /oauth/token/info)'),
    { pages: false },
  ).action(
    // No company: the token endpoint is not company-scoped, for service accounts neither.
    async (options: ApiCommandOptions) => {
      const ctx = context();
      const caller = await ctx.caller(options);
      const info = await caller
        .call((accessToken) => ctx.oauth.tokenInfo(accessToken))
        .catch((error: unknown) => {
          throw noTokenInfoEndpoint(error, ctx.settings.loginUrl) ?? error;
        });
      ctx.io.stdout.write(
        options.json
          ? renderJson(info)
          : renderFields([
              ['resource_owner_id', info.resource_owner_id],
              ['application', info.application.uid],
              ['expires_in_seconds', info.expires_in_seconds],
              ['created_at', info.created_at ? new Date(info.created_at * 1000).toISOString() : ''],
              ['scopes', info.scopes.join(' ')],
            ]),
      );
    },
  );
}
