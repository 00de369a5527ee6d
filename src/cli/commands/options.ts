import { InvalidArgumentError, Option, type Command } from 'commander';
import { PROJECTS_MAX_PER_PAGE } from '../../procore/contracts';
import type { ProjectStatusFilter } from '../../procore/types';

/** Options every API command takes. */
export interface ApiCommandOptions {
  json?: boolean;
  clientCredentials?: boolean;
}

/** A Procore company id: a positive whole number (they can exceed 32 bits). */
export function parseCompanyId(value: string): number {
  const trimmed = value.trim();
  const id = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || !Number.isSafeInteger(id) || id <= 0) {
    throw new InvalidArgumentError('A company id is a positive whole number, e.g. 8089');
  }
  return id;
}

/** As the web app asks: 300 a page (the most Procore documents for projects; it answers fewer when it caps lower). */
export const DEFAULT_PROJECTS_PER_PAGE = PROJECTS_MAX_PER_PAGE;

export function parsePerPage(value: string): number {
  const trimmed = value.trim();
  const size = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || size < 1 || size > PROJECTS_MAX_PER_PAGE) {
    throw new InvalidArgumentError(`Choose a whole number from 1 to ${PROJECTS_MAX_PER_PAGE}`);
  }
  return size;
}

const STATUSES: readonly ProjectStatusFilter[] = ['Active', 'Inactive', 'All'];

/** Active, Inactive or All, in any letter case. */
export function parseStatus(value: string): ProjectStatusFilter {
  const status = STATUSES.find((candidate) => candidate.toLowerCase() === value.trim().toLowerCase());
  if (!status) throw new InvalidArgumentError(`Choose one of ${STATUSES.join(', ')}`);
  return status;
}

/** `pages`: the command joins every page of a Procore list; the others print one object. */
export function withApiOptions(command: Command, { pages }: { pages: boolean }): Command {
  return command
    .option(
      '--json',
      pages
        ? 'print JSON exactly as Procore returned it (every page, joined into one array) instead of a table'
        : 'print JSON exactly as Procore returned it instead of a table',
    )
    .addOption(
      new Option(
        '--client-credentials',
        "act as the app's service account (DMSA) with PROCORE_CLIENT_ID/PROCORE_CLIENT_SECRET instead of the stored login",
      ),
    );
}

export function companyOption(required: boolean): Option {
  // A required --company is checked by requireCompany, not commander's mandatory options: those are
  // checked before unknown options, so `--compnay 5` would be told "--company not specified".
  return new Option(
    '--company <id>',
    required
      ? 'the Procore company id (sent as Procore-Company-Id; required)'
      : 'send Procore-Company-Id: <id> (required with --client-credentials)',
  ).argParser(parseCompanyId);
}

/** Refuses to run `command` without --company, once commander has refused unknown options (a preAction hook). */
export function requireCompany(command: Command): Command {
  return command.hook('preAction', (_program, action) => {
    if (action.opts<{ company?: number }>().company === undefined) {
      action.error("required option '--company <id>' not specified", {
        exitCode: 2,
        code: 'commander.missingMandatoryOptionValue',
      });
    }
  });
}
