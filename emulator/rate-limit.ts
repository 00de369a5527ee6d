/**
 * Procore's rate limits, kept per access token as Procore documents them ("the number of API
 * requests a single authentication token can make"): an hourly window and a 10-second spike
 * window. Every request with a bearer token gets X-Rate-Limit-* for whichever window is closer to
 * running out, and 429 with Retry-After and Procore's published message once either is spent.
 * Requests without a token (the OAuth endpoints, the login pages) are counted per client address.
 */
import type { Request, RequestHandler } from 'express';
import { genericError } from './responses';

export interface RateLimitSettings {
  /** Requests per token per `windowSeconds` (Procore's default: 3600 an hour). */
  limit: number;
  windowSeconds: number;
  /** Requests per token per `spikeWindowSeconds`; unlimited when omitted. Procore's example: 25 per 10 s. */
  spikeLimit?: number;
  spikeWindowSeconds?: number;
}

/** The message Procore published for its 429. */
export const RATE_LIMIT_MESSAGE =
  'You have surpassed the max number of requests for an hour. Please wait until your limit resets.';

/** A fixed window, opened by the first request after the last one ended. */
class Window {
  private start = Number.NEGATIVE_INFINITY;
  used = 0;

  constructor(
    readonly limit: number,
    private readonly lengthMs: number,
  ) {}

  /** Counts one request at `at`. */
  count(at: number): void {
    if (at >= this.start + this.lengthMs) {
      this.start = at;
      this.used = 0;
    }
    this.used += 1;
  }

  get resetAt(): number {
    return this.start + this.lengthMs;
  }

  get remaining(): number {
    return Math.max(0, this.limit - this.used);
  }

  get spent(): boolean {
    return this.used > this.limit;
  }
}

/** Tokens whose windows are kept; beyond it the oldest are forgotten (a new window opens for them). */
const MAX_TOKENS = 100_000;

/** Whose windows a request counts against: its bearer token, else its client address. */
function callerOf(req: Request): string {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return match ? `token:${match[1]}` : `address:${req.socket.remoteAddress ?? ''}`;
}

export function rateLimit(settings: RateLimitSettings, now: () => number): RequestHandler {
  const tokens = new Map<string, Window[]>();
  const windowsOf = (token: string): Window[] => {
    let windows = tokens.get(token);
    if (!windows) {
      windows = [new Window(settings.limit, settings.windowSeconds * 1000)];
      if (settings.spikeLimit !== undefined)
        windows.push(new Window(settings.spikeLimit, (settings.spikeWindowSeconds ?? 10) * 1000));
      if (tokens.size >= MAX_TOKENS) tokens.delete(tokens.keys().next().value!);
      tokens.set(token, windows);
    }
    return windows;
  };
  return (req, res, next) => {
    const at = now();
    const windows = windowsOf(callerOf(req));
    for (const window of windows) window.count(at);
    // Whichever window is closer to running out is the one the headers describe.
    const shown = windows.reduce((closest, window) => (window.remaining < closest.remaining ? window : closest));
    res.set('X-Rate-Limit-Limit', String(shown.limit));
    res.set('X-Rate-Limit-Remaining', String(shown.remaining));
    res.set('X-Rate-Limit-Reset', String(Math.ceil(shown.resetAt / 1000)));
    const spent = windows.filter((window) => window.spent);
    if (spent.length > 0) {
      const resetAt = Math.max(...spent.map((window) => window.resetAt));
      res.set('Retry-After', String(Math.max(1, Math.ceil((resetAt - at) / 1000))));
      genericError(res, req.path, 429, RATE_LIMIT_MESSAGE);
      return;
    }
    next();
  };
}

/** `npm run emulator`'s rate-limit flags, each with its environment variable. */
const SETTING_SOURCES = [
  { field: 'limit', flag: 'rate-limit', env: 'EMULATOR_RATE_LIMIT' },
  { field: 'windowSeconds', flag: 'rate-limit-window', env: 'EMULATOR_RATE_LIMIT_WINDOW_SECONDS' },
  { field: 'spikeLimit', flag: 'spike-limit', env: 'EMULATOR_SPIKE_LIMIT' },
  { field: 'spikeWindowSeconds', flag: 'spike-window', env: 'EMULATOR_SPIKE_WINDOW_SECONDS' },
] as const;

/** The rate-limit flags' names, for the command line's other readers (emulator/flags.ts). */
export const RATE_LIMIT_FLAGS: readonly string[] = SETTING_SOURCES.map((source) => source.flag);

/**
 * The rate limits asked for with `--rate-limit N --rate-limit-window S --spike-limit N --spike-window S`
 * (or EMULATOR_RATE_LIMIT, EMULATOR_RATE_LIMIT_WINDOW_SECONDS, EMULATOR_SPIKE_LIMIT,
 * EMULATOR_SPIKE_WINDOW_SECONDS; a flag wins), over `defaults`. Every problem is reported at once.
 */
export function rateLimitSettingsFrom(
  args: readonly string[],
  env: Record<string, string | undefined>,
  defaults: RateLimitSettings,
): { ok: true; settings: RateLimitSettings } | { ok: false; errors: string[] } {
  const settings: RateLimitSettings = { ...defaults };
  const errors: string[] = [];
  for (const source of SETTING_SOURCES) {
    const at = args.findIndex((arg) => arg === `--${source.flag}` || arg.startsWith(`--${source.flag}=`));
    const fromFlag =
      at < 0 ? undefined : args[at]!.includes('=') ? args[at]!.slice(args[at]!.indexOf('=') + 1) : args[at + 1];
    const raw = (fromFlag ?? env[source.env])?.trim();
    if (raw === undefined || raw === '') continue;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1) {
      errors.push(`${at < 0 ? source.env : `--${source.flag}`} must be a whole number of at least 1, got "${raw}"`);
      continue;
    }
    settings[source.field] = value;
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, settings };
}
