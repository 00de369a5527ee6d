import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { RedisUnavailableError, SignInError } from '../procore-auth';
import { isProcoreError, type ProcoreError } from '../procore/errors';
import { HttpError, thisPageAgain } from './http-error';
import { errorPage, layoutOf } from './view-models';

/** Decided where Redis is called (token store, lock, session store): no guessing from messages. */
export function isRedisUnavailable(error: unknown): boolean {
  return error instanceof RedisUnavailableError;
}

function fromProcoreError(error: ProcoreError, req: Request): HttpError {
  const retry = { retryHref: thisPageAgain(req), retryLabel: 'Try again', cause: error };
  switch (error.code) {
    case 'forbidden':
      return new HttpError(
        403,
        'No access',
        'Your Procore account does not have access to this company or project. Pick another company, or ask a Procore admin for access.',
        {
          retryHref: '/projects',
          retryLabel: 'Back to projects',
          cause: error,
        },
      );
    case 'not_found':
      return new HttpError(404, 'Not found in Procore', 'Procore has no such project, or it was deleted.', {
        retryHref: '/projects',
        retryLabel: 'Back to projects',
        cause: error,
      });
    case 'timeout':
      return new HttpError(
        504,
        'Procore is not answering',
        'Procore did not answer in time. Your session is safe; please try again in a moment.',
        retry,
      );
    case 'rate_limited':
      return new HttpError(
        503,
        'Procore asked us to slow down',
        'Too many requests reached Procore in a short time. Your session is safe; please try again in a moment.',
        {
          ...retry,
          retryAfterSeconds: error.retryAfterMs === undefined ? undefined : Math.ceil(error.retryAfterMs / 1000),
        },
      );
    case 'invalid_client':
      return new HttpError(
        502,
        "Procore refused this app's credentials",
        "Procore did not accept this dashboard's client id or secret while renewing your access. You are still signed in: once whoever runs the dashboard fixes PROCORE_CLIENT_ID and PROCORE_CLIENT_SECRET, this page works again.",
        retry,
      );
    case 'unavailable':
    case 'network':
      return new HttpError(
        503,
        'Procore is not answering',
        'Procore is unavailable right now. Your session is safe; please try again in a moment.',
        retry,
      );
    default:
      return new HttpError(
        502,
        'Procore gave an unexpected answer',
        'Something went wrong talking to Procore. Please try again.',
        retry,
      );
  }
}

/**
 * What Procore's OAuth `error` (RFC 6749 §4.1.2.1) means, in fixed words: shown instead of the
 * `error_description` when the callback answered none of this browser's sign-ins, since anyone can
 * make a link that carries one.
 */
const REFUSALS = new Map<string | undefined, string>([
  ['access_denied', 'Procore did not allow this sign-in.'],
  ['server_error', 'Procore ran into a problem while signing you in.'],
  ['temporarily_unavailable', 'Procore is too busy to sign you in right now. Please try again in a moment.'],
  ...['invalid_request', 'unauthorized_client', 'unsupported_response_type', 'invalid_scope'].map(
    (code) =>
      [
        code,
        "Procore did not accept this dashboard's sign-in request. If it happens again, tell whoever runs the dashboard.",
      ] as const,
  ),
]);

function refusalText(oauthError: string | undefined): string {
  return REFUSALS.get(oauthError) ?? 'Procore sent you back without signing you in.';
}

const SIGN_IN_AGAIN = { retryHref: '/auth/procore', retryLabel: 'Try signing in again' };

function fromSignInError(error: SignInError): HttpError {
  const options = { ...SIGN_IN_AGAIN, cause: error };
  switch (error.code) {
    case 'unverified':
      return new HttpError(
        403,
        "We couldn't verify this sign-in",
        'The sign-in was started in another browser, was already finished, or took longer than 10 minutes. Please start again from here.',
        options,
      );
    case 'incomplete':
      return new HttpError(
        400,
        'Sign-in link incomplete',
        'This address is missing the code Procore adds when you sign in. Please start again.',
        options,
      );
    case 'refused_by_procore':
      return new HttpError(
        400,
        'Procore could not sign you in',
        error.procoreSaid === undefined ? refusalText(error.oauthError) : `Procore said: ${error.procoreSaid}`,
        options,
      );
    case 'code_expired':
      return new HttpError(
        400,
        'That sign-in link has expired',
        'Procore sign-in codes work once and only for 10 minutes. Please sign in again.',
        options,
      );
    case 'client_rejected':
      return new HttpError(
        502,
        'Procore did not accept this app',
        "Procore rejected this dashboard's client id or secret. Ask whoever runs it to check PROCORE_CLIENT_ID and PROCORE_CLIENT_SECRET.",
        {
          cause: error,
        },
      );
    case 'procore_unavailable':
      return new HttpError(
        503,
        'Procore is not answering',
        'Procore did not answer in time. Please try signing in again in a moment.',
        options,
      );
    default:
      return new HttpError(
        502,
        'Sign-in failed',
        'Procore gave an answer we could not use. Please try again.',
        options,
      );
  }
}

function toHttpError(error: unknown, req: Request): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof SignInError) return fromSignInError(error);
  if (isProcoreError(error)) return fromProcoreError(error, req);
  if (isRedisUnavailable(error)) {
    return new HttpError(
      503,
      'Temporarily unavailable',
      'The dashboard cannot reach its session store right now. Please try again in a moment.',
      {
        retryHref: thisPageAgain(req),
        retryLabel: 'Try again',
        retryAfterSeconds: 5,
        cause: error,
      },
    );
  }
  const status =
    (error as { status?: unknown; statusCode?: unknown }).status ?? (error as { statusCode?: unknown }).statusCode;
  if ((error as { code?: unknown }).code === 'EBADCSRFTOKEN') {
    return new HttpError(
      403,
      'This form has expired',
      'For your safety the form could not be sent. Please reload the page and try again.',
      { retryHref: '/', retryLabel: 'Home' },
    );
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new HttpError(
      status,
      status === 413 ? 'Request too large' : 'Bad request',
      'The request could not be understood.',
      { retryHref: '/', retryLabel: 'Home' },
    );
  }
  return new HttpError(
    500,
    'Something went wrong',
    'An unexpected error happened on our side. It has been logged; please try again.',
    {
      retryHref: '/',
      retryLabel: 'Home',
      cause: error,
    },
  );
}

export interface ErrorHandlerOptions {
  logger: Logger;
}

/**
 * Every error ends on a clear page with the right status; stack traces go to the log only. (A
 * SignedOutError never gets here: sign-in's `handleSignedOut` ends the session and redirects.)
 */
export function createErrorHandler(options: ErrorHandlerOptions): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    if (res.headersSent) {
      // Typically express-session failing to save or touch the session after the page was sent
      // (Redis went away mid-request). The page is fine: finish it rather than let Express's
      // default handler destroy the connection under it.
      ((req as { log?: Logger }).log ?? options.logger).warn({ err: error }, 'error after the response was sent');
      if (!res.writableEnded) res.end();
      return;
    }
    const httpError = toHttpError(error, req);
    const log = (req as { log?: Logger }).log ?? options.logger;
    if (httpError.status >= 500)
      log.error({ err: httpError.options.cause ?? error, status: httpError.status }, httpError.title);
    else log.info({ status: httpError.status, reason: httpError.title }, 'request refused');
    if (httpError.options.retryAfterSeconds !== undefined)
      res.set('Retry-After', String(httpError.options.retryAfterSeconds));
    res.set('Cache-Control', 'no-store');
    res.status(httpError.status).render('error', errorPage(layoutOf(res.locals.viewer, httpError.title), httpError));
  };
}

export const notFound: RequestHandler = (_req, _res, next) => {
  next(
    new HttpError(404, 'Page not found', 'There is nothing at this address.', { retryHref: '/', retryLabel: 'Home' }),
  );
};
