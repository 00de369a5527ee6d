import { describe, expect, it } from 'vitest';
import { createTestClock } from './test-clock';

describe('the test clock', () => {
  it('when it is advanced, then it is that much ahead of real time and every follower hears the new offset first', async () => {
    const clock = createTestClock();
    const heard: number[] = [];
    clock.follow((offsetMs) => {
      heard.push(offsetMs);
      return Promise.resolve();
    });
    const before = clock.now();
    await clock.advance(2_100);
    expect(clock.now() - before).toBeGreaterThanOrEqual(2_100);
    expect(clock.now() - before).toBeLessThan(2_100 + 1_000);
    expect(clock.offsetMs).toBe(2_100);
    expect(heard).toEqual([2_100]);
    await expect(clock.advance(-1)).rejects.toThrow('only moves forward');
  });

  it('when three waits of 1, 5 and 60 seconds run at once, then they end at once and the clock is 60 seconds later, not 66', async () => {
    const clock = createTestClock();
    const started = Date.now();
    await Promise.all([clock.sleep(1_000), clock.sleep(5_000), clock.sleep(60_000)]);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(clock.offsetMs).toBeGreaterThan(59_000);
    expect(clock.offsetMs).toBeLessThanOrEqual(60_000);
  });

  it('when followers stop following, then they hear nothing more', async () => {
    const clock = createTestClock();
    const heard: number[] = [];
    const unfollow = clock.follow((offsetMs) => {
      heard.push(offsetMs);
      return Promise.resolve();
    });
    await clock.advance(10);
    unfollow();
    await clock.advance(10);
    expect(heard).toEqual([10]);
  });
});
