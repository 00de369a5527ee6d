// The import rules of the code, checked by `npm run depcruise` (part of `npm test`) with
// dependency-cruiser. docs/architecture.md shows the same table; test/structure/import-rules.test.ts
// runs these rules over a small tree that breaks each of them, so a rule that stops biting fails a test.

/**
 * Each folder of src/ (src/main.ts counts as `main`) and the folders it may import from. `types`
 * are folders it may only `import type` from (erased by the compiler: no run-time dependency).
 * A folder not listed here may import nothing of src/ until it is added.
 */
export const FOLDERS = {
  procore: { uses: [] },
  'procore-auth': { uses: ['procore'] },
  csv: { uses: [] },
  http: { uses: [] },
  config: { uses: ['procore'], types: ['redis'] },
  redis: { uses: ['procore-auth'] },
  'browser-session': { uses: ['redis'] },
  operators: { uses: ['redis'], types: ['procore'] },
  observability: { uses: [], types: ['procore-auth', 'procore'] },
  projects: { uses: ['csv', 'procore', 'redis'], types: ['procore-auth'] },
  web: {
    uses: ['browser-session', 'csv', 'observability', 'operators', 'procore', 'procore-auth', 'projects', 'redis'],
    types: ['config'],
  },
  main: { uses: ['config', 'http', 'observability', 'procore', 'redis', 'web'] },
  cli: { uses: ['config', 'procore', 'procore-auth', 'projects'] },
};

/** The few files of src/procore that src/procore-auth may use; they import nothing else of ours. */
const SIGN_IN_PIECES_OF_PROCORE = '^src/procore/(body|errors|token-set)[.]ts$';

/** The feature folders of src/web: each imports the shared parts of src/web, never another feature. */
const WEB_FEATURES = ['projects', 'account', 'admin'];

const folderPath = (names) => `^src/(${names.join('|')})(/|[.]ts$)`;

const folderRules = Object.entries(FOLDERS).flatMap(([folder, { uses, types = [] }]) => {
  const rules = [
    {
      name: `${folder}-imports-only-its-table-row`,
      comment: `src/${folder} may import from: ${[...uses, ...types.map((name) => `${name} (types)`)].join(', ') || 'nothing of src/'} (the folder table in docs/architecture.md).`,
      severity: 'error',
      from: { path: folderPath([folder]) },
      to: { path: '^src/', pathNot: folderPath([folder, ...uses, ...types]) },
    },
  ];
  if (types.length > 0) {
    rules.push({
      name: `${folder}-imports-only-types-of-${types.join('-')}`,
      comment: `src/${folder} may only \`import type\` from ${types.join(', ')}.`,
      severity: 'error',
      from: { path: folderPath([folder]) },
      to: { path: folderPath(types), dependencyTypesNot: ['type-only'] },
    });
  }
  return rules;
});

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycles: between modules, and so between folders.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'src-is-not-a-dev-tool',
      comment: 'What ships (src/) never imports the emulator, tests, benchmarks, scripts or examples.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(emulator|test|bench|scripts|examples)/' },
    },
    {
      name: 'src-uses-no-dev-dependency',
      comment:
        'What ships runs without devDependencies (which the runtime image does not install); types from them are fine.',
      severity: 'error',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'emulator-stands-apart',
      comment:
        "The emulator plays Procore: it uses the app's HTTP server and Procore's published names, nothing else of src/ (the demo, which starts the app, aside).",
      severity: 'error',
      from: { path: '^emulator/', pathNot: '^emulator/demo[.]ts$' },
      to: { path: '^src/', pathNot: '^src/(http|procore)/' },
    },
    {
      name: 'every-src-folder-in-the-table',
      comment:
        'A new folder of src/ gets its row in FOLDERS (and in docs/architecture.md) before it imports anything of ours.',
      severity: 'error',
      from: { path: '^src/', pathNot: folderPath(Object.keys(FOLDERS)) },
      to: { path: '^src/' },
    },
    ...folderRules,
    {
      name: 'examples-use-only-procore-auth',
      comment:
        'An example shows what another app would write: of this repository it imports only src/procore-auth/index.ts.',
      severity: 'error',
      from: { path: '^examples/' },
      to: { path: '^(src|emulator|test|bench|scripts)/', pathNot: '^src/procore-auth/index[.]ts$' },
    },
    {
      name: 'procore-auth-lifts-out',
      comment:
        'src/procore-auth (sign-in, liftable into any Express app) imports of src/procore only its error and token-set types and its capped body reader, which import nothing.',
      severity: 'error',
      from: { path: '^src/procore-auth/' },
      to: { path: '^src/procore/', pathNot: SIGN_IN_PIECES_OF_PROCORE },
    },
    {
      name: 'procore-pieces-of-sign-in-import-nothing',
      comment:
        "The files of src/procore that src/procore-auth uses (body, errors, token-set) import nothing but each other and Node's own modules, so sign-in lifts out with them alone.",
      severity: 'error',
      from: { path: SIGN_IN_PIECES_OF_PROCORE },
      to: { pathNot: SIGN_IN_PIECES_OF_PROCORE, dependencyTypesNot: ['core'] },
    },
    {
      name: 'web-features-apart',
      comment: `The feature folders of src/web (${WEB_FEATURES.join(', ')}) do not import each other.`,
      severity: 'error',
      from: { path: `^src/web/(${WEB_FEATURES.join('|')})/` },
      to: { path: `^src/web/(${WEB_FEATURES.join('|')})/`, pathNot: '^src/web/$1/' },
    },
    {
      name: 'web-view-models-shared',
      comment: 'src/web/view-models is what every page shares: it imports no feature folder.',
      severity: 'error',
      from: { path: '^src/web/view-models/' },
      to: { path: `^src/web/(${WEB_FEATURES.join('|')})/` },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
