import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Every process a test run starts (redis-server, app and CLI children, Chromium) carries this
 * variable with the run's id, so the global teardown can find the ones still alive – this run's
 * only, not those of another run on the same machine.
 */
export const TEST_RUN_VARIABLE = 'PROCORE_DASHBOARD_TEST_RUN';

export interface LeftoverProcess {
  pid: number;
  command: string;
}

/** Gives this run an id; processes spawned from now on (with the default environment) inherit it. */
export function markTestRun(): string {
  const id = randomBytes(8).toString('hex'); // fresh, even when started from inside another run
  process.env[TEST_RUN_VARIABLE] = id;
  return id;
}

/**
 * A temporary-folder prefix naming this run. redis-server overwrites its environment with its
 * process title, so the check also finds processes by a working folder made with this prefix.
 */
export function testRunTempPrefix(kind: string): string {
  return join(tmpdir(), `procore-dashboard-${kind}-${process.env[TEST_RUN_VARIABLE] ?? 'unmarked'}-`);
}

/** For spawns that pass an environment of their own instead of inheriting process.env. */
export function testRunEnv(): Record<string, string> {
  const id = process.env[TEST_RUN_VARIABLE];
  return id ? { [TEST_RUN_VARIABLE]: id } : {};
}

function readProc(pid: string, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined; // gone meanwhile, or not ours to read
  }
}

function workingFolder(pid: string): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return undefined;
  }
}

/** Live processes (not zombies) whose environment or working folder carries this run's id, except vitest's own. */
export function leftoverProcesses(runId: string): LeftoverProcess[] {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return []; // no /proc (not Linux): nothing to check
  }
  const marker = `${TEST_RUN_VARIABLE}=${runId}`;
  const found: LeftoverProcess[] = [];
  for (const pid of pids) {
    if (Number(pid) === process.pid) continue;
    if (!readProc(pid, 'environ')?.split('\0').includes(marker) && !workingFolder(pid)?.includes(`-${runId}-`))
      continue;
    const stat = readProc(pid, 'stat') ?? '';
    const [state, parent] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (state === 'Z' || state === 'X') continue;
    const command = (readProc(pid, 'cmdline') ?? '').split('\0').join(' ').trim();
    // vitest's own workers are forked by this process; what the tests start is not.
    if (Number(parent) === process.pid && command.includes('vitest')) continue;
    found.push({ pid: Number(pid), command });
  }
  return found;
}

/**
 * Waits briefly for processes that are exiting, then fails loudly naming every process the tests
 * left running (and stops them by pid, so one bad run does not leak into the next).
 */
export async function assertNoLeftoverProcesses(runId: string, graceMs = 5_000): Promise<void> {
  const deadline = Date.now() + graceMs;
  let left = leftoverProcesses(runId);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    left = leftoverProcesses(runId);
  }
  if (left.length === 0) return;
  for (const { pid } of left) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  throw new Error(
    `The tests left ${left.length} process${left.length === 1 ? '' : 'es'} running (now killed); every test must stop what it starts:\n` +
      left.map(({ pid, command }) => `  - pid ${pid}: ${command.slice(0, 200)}`).join('\n'),
  );
}
