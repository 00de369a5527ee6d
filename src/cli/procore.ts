#!/usr/bin/env node
/**
 * The `procore` command (package.json "bin"). All behaviour lives in runCli; this file only
 * connects it to the process. See docs/cli.md.
 */
import { runCli } from './run-cli';

runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // runCli reports its own errors; this is only a last resort.
    process.stderr.write(`procore: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
