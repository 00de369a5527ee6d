/**
 * `procore` as src/cli/procore.ts runs it, on the clock of the test that spawned it: real time plus
 * the offset in TEST_CLOCK_OFFSET_MS (test/cli/helpers.ts uses this entry once a test moved its clock).
 */
import { runCli } from '../../src/cli/run-cli';
import { CLOCK_OFFSET_VARIABLE } from './test-clock';

const offsetMs = Number(process.env[CLOCK_OFFSET_VARIABLE] ?? 0);
runCli(
  process.argv.slice(2),
  { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env },
  { now: () => Date.now() + offsetMs },
).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`procore: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
