/**
 * `npm run deps`: what a maintainer looks at before a release and once a month (README,
 * "Dependencies"): the packages that have a newer version (`npm outdated`), with the README's
 * reason next to each one that is held back on purpose, and every installed package whose
 * author has deprecated the installed version (the registry's `deprecated` field of each
 * name@version in package-lock.json; npm only prints those while installing).
 *
 * Offline, or with the registry unreachable, each part says so in one line and the report ends
 * normally: it is advice, never a gate.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface LockedPackage {
  name: string;
  version: string;
}

/** One row of `npm outdated --json --long`. */
interface OutdatedEntry {
  current?: string;
  wanted: string;
  latest: string;
  type?: string;
}

export interface Deprecation extends LockedPackage {
  message: string;
}

export type DeprecationCheck = { checked: number; deprecated: Deprecation[] } | { unreachable: string };

const DEFAULT_REGISTRY = 'https://registry.npmjs.org/';
const REQUEST_TIMEOUT_MS = 10_000;
const CONCURRENCY = 8;

/** Every registry package in package-lock.json (v2/v3), once per name@version. */
export function lockedPackages(lockText: string): LockedPackage[] {
  const lock = JSON.parse(lockText) as {
    packages?: Record<string, { name?: string; version?: string; resolved?: string; link?: boolean }>;
  };
  const seen = new Map<string, LockedPackage>();
  for (const [location, entry] of Object.entries(lock.packages ?? {})) {
    // Linked folders and git or file dependencies have no registry manifest (no `resolved` means the registry).
    if (
      location === '' ||
      entry.link ||
      !entry.version ||
      (entry.resolved !== undefined && !entry.resolved.startsWith('http'))
    )
      continue;
    const name = entry.name ?? location.slice(location.lastIndexOf('node_modules/') + 'node_modules/'.length);
    seen.set(`${name}@${entry.version}`, { name, version: entry.version });
  }
  return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
}

/** The README's "Pinned dependencies" table: package name → why it stays on its major. */
export function pinReasons(readme: string): Map<string, string> {
  const start = readme.indexOf('\n### Pinned dependencies\n');
  if (start === -1) return new Map();
  const end = readme.slice(start + 1).search(/\n#{2,3} /);
  const part = end === -1 ? readme.slice(start) : readme.slice(start, start + 1 + end);
  const reasons = new Map<string, string>();
  for (const match of part.matchAll(/^\|\s*`([^`]+)`[^|]*\|\s*(.+?)\s*\|\s*$/gm)) reasons.set(match[1]!, match[2]!);
  return reasons;
}

const major = (version: string | undefined): number => Number(/^(\d+)/.exec(version ?? '')?.[1] ?? NaN);

/** The outdated packages as aligned text lines, a new major first, each pinned one with its reason. */
export function outdatedReport(outdated: Record<string, OutdatedEntry>, pins: Map<string, string>): string[] {
  const rows = Object.entries(outdated)
    .map(([name, entry]) => ({ name, ...entry, newMajor: major(entry.latest) > major(entry.current ?? entry.wanted) }))
    .sort((a, b) => Number(b.newMajor) - Number(a.newMajor) || a.name.localeCompare(b.name));
  if (rows.length === 0) return ['Every dependency is on its latest version.'];
  const table = [
    ['package', 'installed', 'in range', 'latest', ''],
    ...rows.map((row) => [
      row.type === 'devDependencies' ? `${row.name} (dev)` : row.name,
      row.current ?? 'missing',
      row.wanted,
      row.latest,
      pins.has(row.name)
        ? `pinned: ${pins.get(row.name)}`
        : row.newMajor
          ? 'new major: read its changelog, then npm install ' + `${row.name}@${major(row.latest)}`
          : 'npm update',
    ]),
  ];
  const widths = table[0]!.slice(0, -1).map((_, column) => Math.max(...table.map((cells) => cells[column]!.length)));
  return table.map((cells) =>
    cells
      .map((cell, column) => (column < widths.length ? cell.padEnd(widths[column]!) : cell))
      .join('  ')
      .trimEnd(),
  );
}

/** The registry URL for one version's manifest (scoped names keep their @, their slash is escaped). */
function manifestUrl(registry: string, pkg: LockedPackage): string {
  const base = registry.endsWith('/') ? registry : `${registry}/`;
  return `${base}${pkg.name.replace('/', '%2f')}/${encodeURIComponent(pkg.version)}`;
}

/**
 * Asks the registry for each package's manifest, a few at a time. The first request that cannot
 * reach the registry stops the others (one line instead of hundreds of timeouts).
 */
export async function findDeprecated(
  packages: readonly LockedPackage[],
  options: { registry: string; onProgress?: (done: number, total: number) => void },
): Promise<DeprecationCheck> {
  const stop = new AbortController();
  const deprecated: Deprecation[] = [];
  let unreachable: string | undefined;
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (!stop.signal.aborted && next < packages.length) {
      const pkg = packages[next++]!;
      try {
        const response = await fetch(manifestUrl(options.registry, pkg), {
          headers: { accept: 'application/json' },
          signal: AbortSignal.any([stop.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
        });
        // A package the registry does not know (a private one, say) is not deprecated there.
        if (response.ok) {
          const manifest = (await response.json()) as { deprecated?: unknown };
          if (typeof manifest.deprecated === 'string' && manifest.deprecated !== '')
            deprecated.push({ ...pkg, message: manifest.deprecated });
        } else await response.body?.cancel();
      } catch (error) {
        if (stop.signal.aborted) return;
        unreachable = `${options.registry} did not answer (${describe(error)})`;
        stop.abort();
        return;
      }
      options.onProgress?.(++done, packages.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, packages.length) }, worker));
  if (unreachable) return { unreachable };
  return { checked: packages.length, deprecated: deprecated.sort((a, b) => a.name.localeCompare(b.name)) };
}

function describe(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  if (cause instanceof Error) return 'code' in cause && typeof cause.code === 'string' ? cause.code : cause.message;
  return String(cause);
}

/** `npm outdated --json --long` (it exits 1 when something is outdated, so stdout decides). */
function npmOutdated(root: string): Promise<Record<string, OutdatedEntry> | { unreachable: string }> {
  return new Promise((resolve) => {
    execFile(
      'npm',
      ['outdated', '--json', '--long'],
      { cwd: root, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        try {
          const parsed = JSON.parse(stdout || '{}') as Record<string, OutdatedEntry> & {
            error?: { code?: string; summary?: string };
          };
          if (parsed.error)
            resolve({
              unreachable: `npm outdated failed: ${parsed.error.code ?? ''} ${parsed.error.summary ?? ''}`.trim(),
            });
          else resolve(parsed);
        } catch {
          resolve({ unreachable: `npm outdated failed: ${(stderr || describe(error)).trim().split('\n')[0]}` });
        }
      },
    );
  });
}

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..');
  const registry = process.env.npm_config_registry || DEFAULT_REGISTRY;
  const print = (line = ''): void => void process.stdout.write(`${line}\n`);

  print('Outdated (npm outdated):');
  const outdated = await npmOutdated(root);
  if ('unreachable' in outdated && typeof outdated.unreachable === 'string')
    print(`  skipped: ${outdated.unreachable}`);
  else {
    const pins = pinReasons(readFileSync(path.join(root, 'README.md'), 'utf8'));
    for (const line of outdatedReport(outdated as Record<string, OutdatedEntry>, pins)) print(`  ${line}`);
  }

  const packages = lockedPackages(readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
  print();
  print(`Deprecated (the registry's word on each of the ${packages.length} installed versions):`);
  const interactive = process.stderr.isTTY;
  const result = await findDeprecated(packages, {
    registry,
    onProgress: (done, total) => {
      if (interactive) process.stderr.write(`\r  checked ${done}/${total}`);
    },
  });
  if (interactive) process.stderr.write('\r\x1b[K');
  if ('unreachable' in result) print(`  skipped: ${result.unreachable}`);
  else if (result.deprecated.length === 0) print(`  none of the ${result.checked} is deprecated.`);
  else for (const entry of result.deprecated) print(`  ${entry.name}@${entry.version}: ${entry.message}`);
}

if (require.main === module) void main();
