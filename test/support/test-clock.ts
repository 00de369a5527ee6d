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
  /** `follow(offsetMs)` runs on every move; child processes use it to get the new offset. */
  follow(follower: (offsetMs: number) => Promise<void>): () => void;
}

export function createTestClock(): TestClock {
  let offsetMs = 0;
  const followers = new Set<(offsetMs: number) => Promise<void>>();
  return {
    now: () => Date.now() + offsetMs,
    get offsetMs() {
      return offsetMs;
    },
    async advance(ms) {
      if (ms < 0) throw new Error('A clock only moves forward');
      offsetMs += ms;
      await Promise.all([...followers].map((follower) => follower(offsetMs)));
    },
    follow(follower) {
      followers.add(follower);
      return () => followers.delete(follower);
    },
  };
}

/** The environment variable a child process reads its starting offset from (test/support/app-child.ts). */
export const CLOCK_OFFSET_VARIABLE = 'TEST_CLOCK_OFFSET_MS';
