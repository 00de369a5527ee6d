/** An error that already knows the page a person should see. */
export class HttpError extends Error {
  override readonly name = 'HttpError';

  constructor(
    readonly status: number,
    /** Short page heading. */
    readonly title: string,
    /** One or two sentences: what happened and what the person can do. */
    readonly detail: string,
    readonly options: { cause?: unknown; retryHref?: string; retryLabel?: string; retryAfterSeconds?: number } = {},
  ) {
    super(title, options.cause === undefined ? undefined : { cause: options.cause });
  }
}
