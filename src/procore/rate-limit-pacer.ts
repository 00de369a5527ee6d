import { createHash } from 'node:crypto';
import { ProcoreError } from './errors';
import { msUntilReset, pastReset } from './rate-limit';
import type { RateLimitState } from './types';

/**
 * Procore limits "the number of API requests a single authentication token can make" (an hourly
 * window and a 10-second spike window; X-Rate-Limit-* report whichever is closer to running out).
 * So the record is kept per access token, which is per grant: a person's token set, a service
 * account's token in the CLI. One person's spent budget never holds another's calls.
 */

/** Paces the calls made with one access token. */
export interface TokenBudget {
  /**
   * Waits for room in the token's window: never more calls in flight than the window has left;
   * when it is spent, until just past its reset. Throws `rate_limited` (without calling Procore)
   * when that reset is further away than `maxWaitMs`.
   */
  acquire(endpoint: string): Promise<BudgetSlot>;
  /** What Procore last said about this token's window. */
  current(): RateLimitState | undefined;
}

/** One call's place in the window: given back with what its response said. */
export interface BudgetSlot {
  done(state: RateLimitState | undefined): void;
}

export interface PacerClock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** The jitter source, in [0, 1). */
  random: () => number;
}

/** Tokens whose record is kept; beyond it the longest idle ones are forgotten. */
const MAX_TOKENS = 10_000;

class TokenWindow implements TokenBudget {
  state: RateLimitState | undefined;
  inFlight = 0;
  private readonly released: Array<() => void> = [];
  private pause: Promise<void> | undefined;

  constructor(
    private readonly clock: PacerClock,
    private readonly maxWaitMs: number,
  ) {}

  get idle(): boolean {
    return this.inFlight === 0 && this.released.length === 0 && this.pause === undefined;
  }

  current(): RateLimitState | undefined {
    return this.state === undefined ? undefined : { ...this.state };
  }

  /** Calls the window still has room for; Infinity before Procore said anything. */
  private room(now: number): number {
    const state = this.state;
    if (state === undefined) return Infinity;
    // Past the reset a new window has begun: as large as the last one (the next answer says exactly).
    const left = now >= state.resetAt ? state.limit : state.remaining;
    return left - this.inFlight;
  }

  async acquire(endpoint: string): Promise<BudgetSlot> {
    for (;;) {
      const now = this.clock.now();
      if (this.room(now) > 0) break;
      if (this.inFlight > 0) {
        // The calls in flight will say more (or free their place): wait for one of them.
        await new Promise<void>((resolve) => this.released.push(resolve));
        continue;
      }
      const resetInMs = msUntilReset(this.state!, now);
      if (resetInMs > this.maxWaitMs) {
        throw new ProcoreError(
          'rate_limited',
          `Procore's rate limit for this token is spent until ${new Date(this.state!.resetAt).toISOString()}`,
          {
            endpoint,
            retryAfterMs: resetInMs,
          },
        );
      }
      // Everyone waiting on this token shares one pause; past the reset, room() counts the new window.
      this.pause ??= this.clock.sleep(pastReset(resetInMs, this.clock.random)).finally(() => {
        this.pause = undefined;
      });
      await this.pause;
    }
    this.inFlight += 1;
    let given = false;
    return {
      done: (state) => {
        if (given) return;
        given = true;
        this.inFlight -= 1;
        if (state) this.update(state);
        this.released.splice(0).forEach((resolve) => resolve());
      },
    };
  }

  /**
   * Answers arrive out of order: a later window wins; within one window the lowest `remaining`
   * (the answer counted last by Procore).
   */
  private update(state: RateLimitState): void {
    const known = this.state;
    if (!known || state.resetAt > known.resetAt || state.limit !== known.limit) this.state = state;
    else if (state.resetAt === known.resetAt && state.remaining < known.remaining) this.state = state;
  }
}

/** The rate-limit records of every token one client calls with, each paced on its own. */
export class RateLimitPacer {
  private readonly windows = new Map<string, TokenWindow>();

  constructor(
    private readonly clock: PacerClock,
    /** Longest pause before a call; a window spent for longer fails the call as `rate_limited`. */
    private readonly maxWaitMs: number,
  ) {}

  /** The token is never kept: the record is named by a digest of it. */
  private static keyOf(accessToken: string): string {
    return createHash('sha256').update(accessToken).digest('base64url');
  }

  forToken(accessToken: string): TokenBudget {
    const key = RateLimitPacer.keyOf(accessToken);
    let window = this.windows.get(key);
    if (window) {
      // Most recently used goes last; forgetting takes idle ones from the front.
      this.windows.delete(key);
    } else {
      window = new TokenWindow(this.clock, this.maxWaitMs);
      if (this.windows.size >= MAX_TOKENS) this.forgetIdle();
    }
    this.windows.set(key, window);
    return window;
  }

  /** What Procore last said about this token's window, without starting a record for it. */
  stateOf(accessToken: string): RateLimitState | undefined {
    return this.windows.get(RateLimitPacer.keyOf(accessToken))?.current();
  }

  private forgetIdle(): void {
    for (const [key, window] of this.windows) {
      if (this.windows.size < MAX_TOKENS) return;
      if (window.idle) this.windows.delete(key);
    }
  }
}
