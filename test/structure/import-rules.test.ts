/**
 * The import rules (.dependency-cruiser.mjs) run over a small tree that breaks each rule once, next
 * to imports the rules allow: every rule must report exactly its own breach, so a rule that stops
 * biting (a typo in a path pattern, a renamed folder) fails here instead of passing silently.
 * `npm run depcruise` runs the same rules over the real tree.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..', '..');
const DEPCRUISE = path.join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

/** Each file of the tree and what it imports. */
const TREE: Record<string, string> = {
  // Allowed: config uses procore and a type of redis; sign-in uses Procore's errors; web uses projects;
  // a feature uses view-models; an example uses sign-in's index.
  'src/procore/client.ts': 'export const client = 1;\n',
  'src/procore/errors.ts': 'export class ProcoreError extends Error {}\n',
  'src/redis/client.ts': 'export type Connection = { url: string };\nexport const redis = 1;\n',
  'src/config/index.ts':
    "import { client } from '../procore/client';\nimport type { Connection } from '../redis/client';\nexport const config = client;\nexport const urlOf = (connection: Connection): string => connection.url;\n",
  'src/procore-auth/index.ts':
    "import { ProcoreError } from '../procore/errors';\nexport const signIn = ProcoreError;\n",
  'examples/app.ts': "import { signIn } from '../src/procore-auth/index';\nexport const app = signIn;\n",
  'src/projects/catalog.ts': 'export const catalog = 1;\n',
  'src/web/view-models/layout.ts': 'export const layout = 1;\n',
  'src/web/projects/routes.ts':
    "import { catalog } from '../../projects/catalog';\nimport { layout } from '../view-models/layout';\nexport const routes = catalog + layout;\n",
  'emulator/index.ts': "import { client } from '../src/procore/client';\nexport const emulator = client;\n",
  'emulator/demo.ts': "import { config } from '../src/config/index';\nexport const demo = config;\n",

  // Broken, one rule each.
  'src/csv/a.ts': "import { b } from './b';\nexport const a = (): number => b();\n",
  'src/csv/b.ts': "import { a } from './a';\nexport const b = (): number => a();\n",
  'src/http/listen.ts': "import { emulator } from '../../emulator/index';\nexport const listen = emulator;\n",
  'src/procore/test-helper.ts': "import { describe } from 'vitest';\nexport const helper = describe;\n",
  'src/procore/calls-web.ts': "import { routes } from '../web/projects/routes';\nexport const callsWeb = routes;\n",
  'src/projects/lock.ts': "import { signIn } from '../procore-auth/index';\nexport const lock = signIn;\n",
  'src/procore/token-set.ts': "import { client } from './client';\nexport const tokenSet = client;\n",
  'src/procore-auth/strategy.ts': "import { client } from '../procore/client';\nexport const strategy = client;\n",
  'examples/reaching-in.ts': "import { client } from '../src/procore/client';\nexport const reachingIn = client;\n",
  'src/newcomer/thing.ts': "import { client } from '../procore/client';\nexport const thing = client;\n",
  'src/web/admin/page.ts': "import { routes } from '../projects/routes';\nexport const page = routes;\n",
  'src/web/view-models/home.ts': "import { routes } from '../projects/routes';\nexport const home = routes;\n",
  'emulator/rest.ts': "import { catalog } from '../src/projects/catalog';\nexport const rest = catalog;\n",
};

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

let dir: string;
let violations: Violation[];

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'import-rules-'));
  for (const [file, text] of Object.entries(TREE)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'fixture', private: true, devDependencies: { vitest: '*' } }),
  );
  writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', strict: true },
      include: ['src', 'emulator', 'examples'],
    }),
  );
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const run = spawnSync(
    process.execPath,
    [
      DEPCRUISE,
      '--config',
      path.join(ROOT, '.dependency-cruiser.mjs'),
      '--output-type',
      'json',
      'src',
      'emulator',
      'examples',
    ],
    { cwd: dir, encoding: 'utf8' },
  );
  if (!run.stdout) throw new Error(`depcruise printed nothing: ${run.stderr}`);
  violations = (JSON.parse(run.stdout) as { summary: { violations: Violation[] } }).summary.violations;
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const breaches = (rule: string): string[] =>
  violations
    .filter((violation) => violation.rule.name === rule)
    .map((violation) => `${violation.from} -> ${violation.to}`);

describe('the import rules', () => {
  it('when two modules import each other, then no-circular reports the cycle', () => {
    // One report per cycle, from where the cruise met it first.
    expect(breaches('no-circular')).toEqual(['src/csv/a.ts -> src/csv/b.ts']);
  });

  it('when src/ imports the emulator or a devDependency, then the shipped code is refused both', () => {
    expect(breaches('src-is-not-a-dev-tool')).toEqual(['src/http/listen.ts -> emulator/index.ts']);
    expect(breaches('src-uses-no-dev-dependency')).toEqual([
      expect.stringMatching(/^src\/procore\/test-helper\.ts -> .*node_modules\/vitest\//),
    ]);
  });

  it('when a folder imports one its table row does not name, or a value where only types are allowed, then its row rule reports it', () => {
    expect(breaches('procore-imports-only-its-table-row')).toEqual([
      'src/procore/calls-web.ts -> src/web/projects/routes.ts',
    ]);
    expect(breaches('projects-imports-only-types-of-procore-auth')).toEqual([
      'src/projects/lock.ts -> src/procore-auth/index.ts',
    ]);
    expect(breaches('every-src-folder-in-the-table')).toEqual(['src/newcomer/thing.ts -> src/procore/client.ts']);
  });

  it('when a web feature imports another, or the shared view models import a feature, then the web rules report it', () => {
    expect(breaches('web-features-apart')).toEqual(['src/web/admin/page.ts -> src/web/projects/routes.ts']);
    expect(breaches('web-view-models-shared')).toEqual(['src/web/view-models/home.ts -> src/web/projects/routes.ts']);
  });

  it("when sign-in imports more of the Procore client than its error and token-set types, those two import more, or an example more than sign-in's index, then their rules report it", () => {
    expect(breaches('procore-auth-lifts-out')).toEqual(['src/procore-auth/strategy.ts -> src/procore/client.ts']);
    expect(breaches('procore-pieces-of-sign-in-import-nothing')).toEqual([
      'src/procore/token-set.ts -> src/procore/client.ts',
    ]);
    expect(breaches('examples-use-only-procore-auth')).toEqual(['examples/reaching-in.ts -> src/procore/client.ts']);
  });

  it('when the emulator reaches into the app, then emulator-stands-apart reports it (its demo may start the app)', () => {
    expect(breaches('emulator-stands-apart')).toEqual(['emulator/rest.ts -> src/projects/catalog.ts']);
  });

  it('when imports follow the table, then nothing else is reported', () => {
    const expected = new Set([
      'src/csv/a.ts',
      'src/csv/b.ts',
      'src/http/listen.ts',
      'src/procore/test-helper.ts',
      'src/procore/calls-web.ts',
      'src/projects/lock.ts',
      'src/procore-auth/strategy.ts',
      'src/procore/token-set.ts',
      'examples/reaching-in.ts',
      'src/newcomer/thing.ts',
      'src/web/admin/page.ts',
      'src/web/view-models/home.ts',
      'emulator/rest.ts',
    ]);
    expect(violations.filter((violation) => !expected.has(violation.from))).toEqual([]);
  });

  it('when docs/architecture.md shows the folder table, then every row allows exactly what the rules allow', async () => {
    type Row = { uses: string[]; types?: string[] };
    const { FOLDERS } = (await import(pathToFileURL(path.join(ROOT, '.dependency-cruiser.mjs')).href)) as {
      FOLDERS: Record<string, Row>;
    };
    const doc = readFileSync(path.join(ROOT, 'docs', 'architecture.md'), 'utf8');
    const documented: Record<string, Row> = {};
    for (const [, folder, cell] of doc.matchAll(/^\| `src\/([a-z-]+)(?:\.ts)?` \| .* \| ([^|]*) \|$/gm)) {
      const names = cell!.trim() === '—' ? [] : cell!.split(',').map((name) => name.trim());
      documented[folder!] = {
        uses: names.filter((name) => !name.endsWith(' (types)')).sort(),
        types: names
          .filter((name) => name.endsWith(' (types)'))
          .map((name) => name.replace(' (types)', ''))
          .sort(),
      };
    }
    const ruled = Object.fromEntries(
      Object.entries(FOLDERS).map(([folder, row]) => [
        folder,
        { uses: [...row.uses].sort(), types: [...(row.types ?? [])].sort() },
      ]),
    );
    expect(documented).toEqual(ruled);
  });
});
