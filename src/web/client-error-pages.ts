import type { Express } from 'express';
import { MAX_SEARCH_LENGTH } from '../projects/query';
import { HttpError } from './http-error';
import { errorPage, layoutOf } from './view-models';

/** The statuses Node's parser refuses a request with (src/http's listen asks for their pages). */
type ClientErrorStatus = 400 | 408 | 431;

const ERRORS: Record<ClientErrorStatus, HttpError> = {
  431: new HttpError(
    431,
    'Request too large',
    `The address (or the cookies sent with it) is longer than this server reads, so the page could not be opened. A search of a pasted link or text can do this: search for a part of it instead (searches use the first ${MAX_SEARCH_LENGTH} characters).`,
    { retryHref: '/projects', retryLabel: 'Back to projects' },
  ),
  408: new HttpError(
    408,
    'The request took too long',
    'Your browser did not finish sending the request in time. Please try again.',
    { retryHref: '/', retryLabel: 'Home' },
  ),
  400: new HttpError(400, 'Bad request', 'The request could not be understood.', {
    retryHref: '/',
    retryLabel: 'Home',
  }),
};

function render(app: Express, error: HttpError): Promise<string> {
  return new Promise((resolve, reject) => {
    app.render(
      'error',
      errorPage(layoutOf(undefined, error.title), error),
      (renderError: Error | null, html?: string) => (renderError ? reject(renderError) : resolve(html ?? '')),
    );
  });
}

/**
 * The app's own error pages for requests Node's HTTP parser refuses before Express sees them
 * (`listen`'s clientErrorPage). Rendered once at start-up: no request, so no session and no header
 * links, the same for everyone.
 */
export async function clientErrorPages(app: Express): Promise<(status: number) => string> {
  const pages = new Map<ClientErrorStatus, string>();
  for (const [status, error] of Object.entries(ERRORS))
    pages.set(Number(status) as ClientErrorStatus, await render(app, error));
  return (status) => pages.get(status as ClientErrorStatus) ?? pages.get(400)!;
}
