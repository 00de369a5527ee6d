import type { Request } from 'express';
import { safeReturnTo } from '../procore-auth';

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

/**
 * Where a "Try again" link may send the person: this page again when it was a GET to a local path,
 * else home. Through `safeReturnTo`, because the address is the visitor's: a request for
 * `//evil.example` must not become a link to another site.
 */
export function thisPageAgain(req: Request): string {
  return req.method === 'GET' ? safeReturnTo(req.originalUrl) : '/';
}
