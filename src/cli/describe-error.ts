import { SignedOutError } from '../procore-auth/errors';
import { ConfigError } from '../config/config-error';
import { ProcoreError } from '../procore/errors';
import { CliError, EXIT_FAILURE, EXIT_USAGE } from './cli-error';

export interface DescribedError {
  /** One sentence, no stack trace, no token. */
  message: string;
  exitCode: number;
}

const LOGIN_AGAIN = 'run `procore login` again';

function sentence(text: string): string {
  const oneLine = text.replace(/\s*\n\s*/g, ' ').trim();
  return /[.!?]$/.test(oneLine) ? oneLine : `${oneLine}.`;
}

function hostOf(endpoint: string | undefined): string {
  return endpoint ? ` (${endpoint})` : '';
}

function describeProcoreError(error: ProcoreError): string {
  const detail = error.description ? `: ${error.description.replace(/[.\s]+$/, '')}` : '';
  switch (error.code) {
    case 'invalid_client':
      return 'Procore did not accept the client credentials; check PROCORE_CLIENT_ID and PROCORE_CLIENT_SECRET';
    case 'invalid_grant':
      return `Procore no longer accepts the stored login (it was revoked or used elsewhere); ${LOGIN_AGAIN}`;
    case 'oauth_error':
      return `Procore's token endpoint refused the request (${error.oauthError ?? error.status ?? 'error'})${detail}`;
    case 'unauthorized':
      return `Procore did not accept the access token${hostOf(error.endpoint)}, even a newly issued one`;
    case 'forbidden':
      return `Procore refused access${hostOf(error.endpoint)}${detail}; check the company id and that the app is installed in that company`;
    case 'not_found':
      return `Procore found nothing there${hostOf(error.endpoint)}${detail}; check the id`;
    case 'rate_limited': {
      const wait = error.retryAfterMs === undefined ? '' : ` in about ${Math.ceil(error.retryAfterMs / 1000)} s`;
      return `Procore's rate limit was reached; try again${wait}`;
    }
    case 'unavailable':
      return `Procore is unavailable right now (HTTP ${error.status ?? 'error'}); try again later`;
    case 'timeout':
      return `Procore did not answer in time${hostOf(error.endpoint)}; try again or raise PROCORE_TIMEOUT_MS`;
    case 'network': {
      const cause = error.cause instanceof Error ? networkCause(error.cause) : '';
      return `Could not reach Procore${hostOf(error.endpoint)}${cause}; check the network and PROCORE_LOGIN_URL / PROCORE_API_URL`;
    }
    case 'bad_response':
      return `Procore answered something unexpected${error.status ? ` (HTTP ${error.status})` : ''}${hostOf(error.endpoint)}${detail}`;
  }
}

/** fetch wraps the system error (ECONNREFUSED, ENOTFOUND...) in `cause`. */
function networkCause(error: Error): string {
  const inner = (error as Error & { cause?: { code?: unknown } }).cause;
  const code = inner && typeof inner === 'object' && typeof inner.code === 'string' ? inner.code : undefined;
  return code ? ` (${code})` : '';
}

const SIGNED_OUT: Record<SignedOutError['reason'], string> = {
  tokens_missing: 'Not logged in: run `procore login` first (or use --client-credentials)',
  grant_revoked: `Your stored Procore login is no longer valid (it was revoked or used elsewhere); ${LOGIN_AGAIN}`,
  refresh_refused: `Procore refused to renew your stored login several times in a row; ${LOGIN_AGAIN}`,
  access_denied: `Procore no longer accepts your stored login; ${LOGIN_AGAIN}`,
  session_expired: `Your stored Procore login has expired; ${LOGIN_AGAIN}`,
};

/** Turns anything thrown by a command into one sentence and an exit code. */
export function describeError(error: unknown): DescribedError {
  if (error instanceof CliError) return { message: sentence(error.message), exitCode: error.exitCode };
  if (error instanceof ConfigError) {
    return { message: sentence(`Configuration is not valid: ${error.problems.join('; ')}`), exitCode: EXIT_USAGE };
  }
  if (error instanceof SignedOutError) {
    return { message: sentence(SIGNED_OUT[error.reason]), exitCode: EXIT_FAILURE };
  }
  if (error instanceof ProcoreError) return { message: sentence(describeProcoreError(error)), exitCode: EXIT_FAILURE };
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && (error as NodeJS.ErrnoException).path) {
    const failure = error as NodeJS.ErrnoException;
    return { message: sentence(`Could not use ${failure.path} (${code})`), exitCode: EXIT_FAILURE };
  }
  const text = error instanceof Error ? error.message : String(error);
  return { message: sentence(`Unexpected error: ${text}`), exitCode: EXIT_FAILURE };
}
