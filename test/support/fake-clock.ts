/**
 * A clock tests move by hand. Whoever sleeps on it lets that much time pass at once (after one turn
 * of the event loop, so other work runs meanwhile); concurrent sleepers do not add up.
 */
export class FakeClock {
  private time: number;

  constructor(start = Date.UTC(2026, 0, 1, 9)) {
    this.time = start;
  }

  readonly now = (): number => this.time;

  readonly sleep = async (ms: number): Promise<void> => {
    const wakeAt = this.time + ms;
    await new Promise((resolve) => setImmediate(resolve));
    this.time = Math.max(this.time, wakeAt);
  };

  advance(ms: number): void {
    this.time += ms;
  }
}
