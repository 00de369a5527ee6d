/**
 * The clock of a test stack: real time plus an offset the test moves. The app, the emulator and
 * the app's child processes all read it, so "the access token has expired" takes one
 * `await clock.advance(2_100)` instead of two seconds of sleep. Time keeps flowing as well: timers,
 * lock waits and Redis TTLs behave as in production. (For unit tests without servers, where nothing
 * should run on real time, see FakeClock in ./fake-clock.)
 */
export interface TestClock {
  readonly now: () => number;
  /** How far this clock is ahead of real time. */
  readonly offsetMs: number;
  /** Moves the clock forward; resolves when every follower (child processes) has moved too. */
  advance(ms: number): Promise<void>;
  /**
   * A wait that lets the time pass at once: after one turn of the event loop the clock is at least
   * `ms` later than when the wait began (concurrent waits do not add up). For the app's retry waits.
   */
  sleep(ms: number): Promise<void>;
  /** `follow(offsetMs)` runs on every move; child processes use it to get the new offset. */
  follow(follower: (offsetMs: number) => Promise<void>): () => void;
}

export function createTestClock(): TestClock {
  let offsetMs = 0;
  const followers = new Set<(offsetMs: number) => Promise<void>>();
  const moved = (): Promise<void> =>
    Promise.all([...followers].map((follower) => follower(offsetMs))).then(() => undefined);
  return {
    now: () => Date.now() + offsetMs,
    get offsetMs() {
      return offsetMs;
    },
    async advance(ms) {
      if (ms < 0) throw new Error('A clock only moves forward');
      offsetMs += ms;
      await moved();
    },
    async sleep(ms) {
      const wakeAt = Date.now() + offsetMs + Math.max(0, ms);
      await new Promise((resolve) => setImmediate(resolve));
      const needed = wakeAt - Date.now();
      if (needed > offsetMs) {
        offsetMs = needed;
        await moved();
      }
    },
    follow(follower) {
      followers.add(follower);
      return () => followers.delete(follower);
    },
  };
}

/** The environment variable a child process reads its starting offset from (test/support/app-child.ts). */
export const CLOCK_OFFSET_VARIABLE = 'TEST_CLOCK_OFFSET_MS';
