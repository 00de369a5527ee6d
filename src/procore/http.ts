import { readCappedBody, SMALL_BODY_MAX_BYTES } from './body';
import type { ProcoreClientOptions } from './contracts';
import { ProcoreError, type ProcoreErrorCode } from './errors';
import { msUntilReset, parseRateLimit, parseRetryAfter } from './rate-limit';
import type { TokenBudget } from './rate-limit-pacer';
import {
  DEFAULT_MAX_RETRIES,
  DEFAULT_MAX_RETRY_DELAY_MS,
  DEFAULT_RETRY_BASE_DELAY_MS,
  decideRetry,
  type AttemptFailure,
  type RetryPolicy,
} from './retry';
import { redact, routeOf } from './route';
import type { ProcoreCallEvent, RateLimitState } from './types';

/** Everything `procoreRequest` needs from the client options, with defaults filled in. */
export interface HttpSettings {
  timeoutMs: number;
  policy: RetryPolicy;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  onCall: ((event: ProcoreCallEvent) => void) | undefined;
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function nonNegative(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value >= 0 ? value : fallback;
}

export function httpSettingsFrom(options: ProcoreClientOptions): HttpSettings {
  return {
    timeoutMs: options.timeoutMs,
    policy: {
      maxRetries: Math.floor(nonNegative(options.maxRetries, DEFAULT_MAX_RETRIES)),
      maxRetryDelayMs: nonNegative(options.maxRetryDelayMs, DEFAULT_MAX_RETRY_DELAY_MS),
      baseDelayMs: nonNegative(options.retryBaseDelayMs, DEFAULT_RETRY_BASE_DELAY_MS),
    },
    now: options.now ?? Date.now,
    sleep: options.sleep ?? realSleep,
    random: options.random ?? Math.random,
    onCall: options.onCall,
  };
}

/** A response that `procoreRequest` hands back (2xx) or gives to `errorFor` (everything else). */
export interface ProcoreHttpResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON body; undefined when empty (or, for errors, not JSON). */
  json: unknown;
  /** `METHOD /path`, for error details (no query string). */
  endpoint: string;
  /** From `Retry-After`, when present. */
  retryAfterMs: number | undefined;
}

export interface ProcoreRequest {
  kind: 'oauth' | 'rest';
  method: 'GET' | 'POST';
  /** Absolute URL, query string included. */
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Only idempotent requests are retried. */
  idempotent: boolean;
  /** Values that must never appear in an error (tokens, codes, the client secret). */
  secrets?: readonly string[];
  /** `json` (default): a 2xx body must be JSON or empty. `ignore`: the body is not read as JSON. */
  responseType?: 'json' | 'ignore';
  /** The longest 2xx body this endpoint may send (default SMALL_BODY_MAX_BYTES); error bodies get SMALL_BODY_MAX_BYTES. Past it: `bad_response`. */
  maxBodyBytes?: number;
  /** Maps a final non-2xx response; return undefined for the default REST mapping. */
  errorFor?: (response: ProcoreHttpResponse, secrets: readonly string[]) => ProcoreError | undefined;
  /** The calling token's rate-limit window: each attempt waits for room in it and reports what Procore said. */
  rateLimit?: TokenBudget;
}

const MAX_DESCRIPTION_LENGTH = 300;

/** A short, secret-free description from an error body, when it has one. */
export function describeErrorBody(
  json: unknown,
  secrets: readonly string[],
): { oauthError?: string; description?: string } {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return {};
  const body = json as Record<string, unknown>;
  const result: { oauthError?: string; description?: string } = {};
  if (typeof body.error === 'string') result.oauthError = redact(body.error, secrets).slice(0, 100);
  const text = [body.error_description, body.errors, body.message].find((v) => typeof v === 'string');
  if (typeof text === 'string') result.description = redact(text, secrets).slice(0, MAX_DESCRIPTION_LENGTH);
  return result;
}

function codeForStatus(status: number, retryAfterMs: number | undefined): ProcoreErrorCode {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  if (status === 503 && retryAfterMs !== undefined) return 'rate_limited';
  if (status >= 500) return 'unavailable';
  return 'bad_response';
}

/** The REST mapping: 401/403/404/429/5xx, anything else is a response we did not expect. */
export function defaultErrorFor(response: ProcoreHttpResponse, secrets: readonly string[]): ProcoreError {
  const code = codeForStatus(response.status, response.retryAfterMs);
  const details = describeErrorBody(response.json, secrets);
  return new ProcoreError(code, `Procore ${response.endpoint} answered ${response.status}`, {
    status: response.status,
    endpoint: response.endpoint,
    ...details,
    ...(response.retryAfterMs === undefined ? {} : { retryAfterMs: response.retryAfterMs }),
  });
}

function report(settings: HttpSettings, event: ProcoreCallEvent): void {
  if (!settings.onCall) return;
  try {
    settings.onCall(event);
  } catch {
    // onCall must not throw; if it does, the call still goes on.
  }
}

/**
 * The token's window as this answer describes it. A refusal whose `Retry-After` comes sooner than
 * the window's reset says when Procore takes calls again: that is when the window counts as reset.
 */
function windowAsAnswered(headers: Headers, now: number): RateLimitState | undefined {
  const state = parseRateLimit(headers, now);
  if (!state || state.remaining > 0) return state;
  const retryAfterMs = parseRetryAfter(headers.get('retry-after'), now);
  return retryAfterMs === undefined ? state : { ...state, resetAt: Math.min(state.resetAt, now + retryAfterMs) };
}

type AttemptResult =
  /** `text` is undefined when the body was longer than the endpoint allows. */
  | { ok: true; response: Response; text: string | undefined }
  | { ok: false; kind: 'timeout' | 'network'; error: unknown };

async function attemptOnce(settings: HttpSettings, request: ProcoreRequest): Promise<AttemptResult> {
  const signal = AbortSignal.timeout(settings.timeoutMs);
  try {
    const init: RequestInit = { method: request.method, headers: request.headers, signal, redirect: 'manual' };
    if (request.body !== undefined) init.body = request.body;
    const response = await fetch(request.url, init);
    // The same signal bounds reading the body: a server that stalls mid-body is a timeout too.
    const ok = response.status >= 200 && response.status < 300;
    const text = await readCappedBody(
      response,
      ok ? (request.maxBodyBytes ?? SMALL_BODY_MAX_BYTES) : SMALL_BODY_MAX_BYTES,
    );
    return { ok: true, response, text };
  } catch (error) {
    return { ok: false, kind: signal.aborted ? 'timeout' : 'network', error };
  }
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/**
 * One call to Procore over `fetch`, with the per-attempt timeout, the retry policy (idempotent
 * requests only), rate-limit bookkeeping and `onCall` reporting. Resolves with 2xx responses;
 * everything else becomes a `ProcoreError` whose message never holds a token, code or secret.
 */
export async function procoreRequest(settings: HttpSettings, request: ProcoreRequest): Promise<ProcoreHttpResponse> {
  const pathname = new URL(request.url).pathname;
  const route = routeOf(pathname);
  const endpoint = `${request.method} ${pathname}`;
  const secrets = request.secrets ?? [];

  for (let attempt = 1; ; attempt++) {
    const slot = await request.rateLimit?.acquire(endpoint);
    const started = performance.now();
    const result = await attemptOnce(settings, request);
    const durationMs = performance.now() - started;
    const now = settings.now();
    const rateLimit = result.ok ? windowAsAnswered(result.response.headers, now) : undefined;
    slot?.done(rateLimit);
    report(settings, {
      kind: request.kind,
      method: request.method,
      route,
      status: result.ok ? result.response.status : 0,
      durationMs,
      attempt,
    });

    if (!result.ok) {
      const failure: AttemptFailure = { kind: result.kind };
      const decision = decideRetry(failure, attempt, settings.policy, request.idempotent, settings.random);
      if (decision.retry) {
        await settings.sleep(decision.delayMs);
        continue;
      }
      if (result.kind === 'timeout') {
        throw new ProcoreError('timeout', `Procore ${endpoint} did not answer within ${settings.timeoutMs} ms`, {
          endpoint,
          cause: result.error,
        });
      }
      throw new ProcoreError('network', `Could not reach Procore for ${endpoint}`, { endpoint, cause: result.error });
    }

    const { response, text } = result;
    if (text === undefined) {
      throw new ProcoreError(
        'bad_response',
        `Procore ${endpoint} answered ${response.status} with a body longer than this app reads from it`,
        {
          status: response.status,
          endpoint,
        },
      );
    }
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), now);

    if (response.status >= 200 && response.status < 300) {
      if (request.responseType === 'ignore') {
        return { status: response.status, headers: response.headers, json: undefined, endpoint, retryAfterMs };
      }
      const parsed = parseJson(text);
      if (!parsed.ok) {
        throw new ProcoreError(
          'bad_response',
          `Procore ${endpoint} answered ${response.status} with a body that is not JSON`,
          {
            status: response.status,
            endpoint,
          },
        );
      }
      return { status: response.status, headers: response.headers, json: parsed.value, endpoint, retryAfterMs };
    }

    // On 429, the window's reset tells us how long to wait; on 503 only when the window is spent.
    const resetInMs =
      rateLimit && (response.status === 429 || rateLimit.remaining === 0) ? msUntilReset(rateLimit, now) : undefined;
    const failure: AttemptFailure = {
      kind: 'status',
      status: response.status,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      ...(resetInMs === undefined ? {} : { resetInMs }),
    };
    const decision = decideRetry(failure, attempt, settings.policy, request.idempotent, settings.random);
    if (decision.retry) {
      await settings.sleep(decision.delayMs);
      continue;
    }

    const parsed = parseJson(text);
    const final: ProcoreHttpResponse = {
      status: response.status,
      headers: response.headers,
      json: parsed.ok ? parsed.value : undefined,
      endpoint,
      retryAfterMs: decision.retryAfterMs ?? retryAfterMs,
    };
    if (response.status >= 300 && response.status < 400) {
      throw new ProcoreError(
        'bad_response',
        `Procore ${endpoint} answered an unexpected redirect (${response.status})`,
        {
          status: response.status,
          endpoint,
        },
      );
    }
    throw request.errorFor?.(final, secrets) ?? defaultErrorFor(final, secrets);
  }
}
