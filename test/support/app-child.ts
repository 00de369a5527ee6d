/**
 * The app's real entry point (`main` of src/main.ts) in a child process, on the clock of the test
 * that spawned it: real time plus an offset, first from the environment, then from every
 * `{ clockOffsetMs }` message the parent sends (answered with `{ clockOffsetMs }` once applied).
 */
import { main } from '../../src/main';
import { CLOCK_OFFSET_VARIABLE } from './test-clock';

let offsetMs = Number(process.env[CLOCK_OFFSET_VARIABLE] ?? 0);
process.on('message', (message: { clockOffsetMs?: unknown }) => {
  if (typeof message.clockOffsetMs !== 'number') return;
  offsetMs = message.clockOffsetMs;
  process.send?.({ clockOffsetMs: offsetMs });
});
void main({ now: () => Date.now() + offsetMs });
