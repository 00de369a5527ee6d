import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface WrkSummary {
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  /** Responses outside 2xx/3xx. */
  non2xx: number;
  /** Socket errors: connect, read, write, timeout. */
  errors: number;
  latencyMs: { p50: number; p75: number; p90: number; p99: number };
}

/** "1.23ms", "850.00us", "1.02s" → milliseconds. */
export function durationMs(text: string): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (!match) return NaN;
  const value = Number(match[1]);
  return match[2] === 'us'
    ? value / 1000
    : match[2] === 'ms'
      ? value
      : match[2] === 's'
        ? value * 1000
        : value * 60_000;
}

/** Reads wrk's text report (run with --latency). */
export function parseWrk(output: string, seconds: number): WrkSummary {
  const requests = Number(/(\d+) requests in/.exec(output)?.[1] ?? NaN);
  const percentile = (p: string): number => durationMs(new RegExp(`^\\s*${p}%\\s+(\\S+)`, 'm').exec(output)?.[1] ?? '');
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const elapsed = durationMs(/requests in ([\d.]+\w+)/.exec(output)?.[1] ?? '') / 1000;
  return {
    requests,
    seconds: Number.isFinite(elapsed) ? elapsed : seconds,
    requestsPerSecond: Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1] ?? NaN),
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0),
    errors: socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0,
    latencyMs: { p50: percentile('50'), p75: percentile('75'), p90: percentile('90'), p99: percentile('99') },
  };
}

export interface WrkOptions {
  url: string;
  headers: Record<string, string>;
  connections: number;
  seconds: number;
  /** wrk threads (default 2: one per core of the reference machine). */
  threads?: number;
}

/**
 * One wrk run in its own process (so the load generator is not in the measuring process), with
 * the latency distribution. Throws when wrk is missing (apt-get install -y wrk).
 */
export async function wrk(options: WrkOptions): Promise<WrkSummary> {
  const args = [
    '--latency',
    '-t',
    String(options.threads ?? 2),
    '-c',
    String(options.connections),
    '-d',
    `${options.seconds}s`,
    '--timeout',
    '10s',
  ];
  for (const [name, value] of Object.entries(options.headers)) args.push('-H', `${name}: ${value}`);
  args.push(options.url);
  const { stdout } = await run(process.env.BENCH_WRK ?? 'wrk', args, { maxBuffer: 1 << 20 });
  const summary = parseWrk(stdout, options.seconds);
  if (!Number.isFinite(summary.requests)) throw new Error(`could not read wrk's report:\n${stdout}`);
  return summary;
}
