/** Exit codes of the `procore` command. */
export const EXIT_OK = 0;
/** Procore or the network failed, or the stored login cannot be used. */
export const EXIT_FAILURE = 1;
/** The command was called wrongly (unknown command, missing option, bad configuration). */
export const EXIT_USAGE = 2;

/** An error whose message is already the one sentence the user should read. */
export class CliError extends Error {
  override readonly name = 'CliError';

  constructor(
    message: string,
    readonly exitCode: number = EXIT_FAILURE,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function usageError(message: string): CliError {
  return new CliError(message, EXIT_USAGE);
}
