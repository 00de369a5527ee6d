// ESLint with typescript-eslint's type-aware rules over everything TypeScript in the repository.
// `npm test` runs it (and so CI does): an `eslint-disable` comment in the code is a decision someone
// has to defend, and unused directives are reported.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'public/**', 'bench/results*'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      // One program built from tsconfig.json (which includes every linted TypeScript folder) costs
      // about a fifth less CPU on a cold run than projectService's per-file lookup (CI lints cold).
      parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_name` marks a parameter kept for a signature (Express error handlers, callbacks).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // Express 5 handles rejected promises from handlers; passing async handlers is intended.
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { arguments: false, attributes: false } },
      ],
      // `declare global { namespace Express { ... } }` is how @types/express is extended (declaration
      // merging of req, res.locals); such declarations emit no code. Runtime namespaces stay forbidden.
      '@typescript-eslint/no-namespace': ['error', { allowDeclarations: true }],
      // passport-oauth2's OAuth2 client is configured through what it publishes (setAgent, the
      // strategy's options), never replaced or patched from outside.
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "AssignmentExpression[left.property.name='_oauth2'], AssignmentExpression[left.object.property.name='_oauth2']",
          message:
            "Do not assign to passport-oauth2's _oauth2 or its fields: configure it through the strategy's published options.",
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Tests use the test runner's loose typing of mocks and expectations.
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
      // A vitest fixture names what it depends on by destructuring its first parameter; one that
      // depends on nothing must still write `{}` (vitest reads the parameter list).
      'no-empty-pattern': ['error', { allowObjectPatternsAsParameters: true }],
    },
  },
);
