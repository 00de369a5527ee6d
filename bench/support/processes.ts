import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');

export interface ChildServer {
  url: string;
  pid: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** `npm run build`: compiles src/ to dist/ (what `npm start` runs). Rejects when tsc reports errors. */
export async function buildDist(): Promise<void> {
  const tsc = spawn(
    process.execPath,
    [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  tsc.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  tsc.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => tsc.once('exit', resolve));
  if (code !== 0) throw new Error(`npm run build failed:\n${output.slice(-4_000)}`);
}

/**
 * Runs an entry point in its own Node process, so its memory is its own: a compiled `.js` file
 * with plain `node` (as `npm start` does), a `.ts` file through tsx. Waits until `readyPath`
 * answers 200. stdout is discarded (the app logs one line per request, as in production); stderr
 * is kept for the error message if it dies. Variables set to undefined in `env` are removed.
 */
export async function startChild(
  script: string,
  env: Record<string, string | undefined>,
  port: number,
  readyPath = '/healthz',
): Promise<ChildServer> {
  const nodeArgs = env.BENCH_NODE_ARGS ? env.BENCH_NODE_ARGS.split(' ') : [];
  const loader = script.endsWith('.js') ? [] : ['--import', 'tsx'];
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete childEnv[name];
    else childEnv[name] = value;
  }
  const child = spawn(process.execPath, [...nodeArgs, ...loader, path.join(ROOT, script)], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4_000);
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}: ${stderr}`);
    try {
      const response = await fetch(`${url}${readyPath}`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${script} did not answer ${readyPath} within 60 s: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    pid: child.pid!,
    child,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

function statusField(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Watches a process's resident memory: samples VmRSS every `intervalMs` and, at the end, reads
 * the kernel's own high-water mark (VmHWM), which catches peaks between samples.
 */
export function watchRss(pid: number, intervalMs = 200) {
  let peakSampled = 0;
  const samples: number[] = [];
  const sample = (): void => {
    const rss = statusField(pid, 'VmRSS');
    if (rss !== undefined) {
      samples.push(rss);
      peakSampled = Math.max(peakSampled, rss);
    }
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    stop() {
      sample();
      clearInterval(timer);
      const hwm = statusField(pid, 'VmHWM');
      return {
        peakRssBytes: Math.max(peakSampled, hwm ?? 0),
        peakRssSampledBytes: peakSampled,
        kernelHighWaterMarkBytes: hwm,
        finalRssBytes: samples.at(-1),
        samples: samples.length,
      };
    },
  };
}

/** CPU time (user + system) a process has used so far, in milliseconds (from /proc/<pid>/stat). */
export function cpuTimeMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of stat (utime, stime) are the 12th and 13th after the command name.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}
