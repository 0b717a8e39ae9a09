import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import tseslint from 'typescript-eslint';

/**
 * The layering of src/ (ARCHITECTURE.md draws it): each folder and the folders it may import. Anything not listed is
 * a back-edge or a sideways import and fails lint; imports inside one folder are free. test/, bench/ and scripts/
 * may import any of it.
 */
const LAYERS = {
  action: ['pipeline', 'changes', 'versioning', 'report', 'resolve', 'package', 'sign', 'policy', 'helm-oci', 'oci', 'charts', 'config', 'model', 'archive'],
  cli: ['pipeline', 'changes', 'versioning', 'report', 'resolve', 'package', 'sign', 'policy', 'helm-oci', 'oci', 'charts', 'config', 'model', 'archive'],
  pipeline: ['changes', 'versioning', 'report', 'resolve', 'package', 'sign', 'policy', 'helm-oci', 'oci', 'charts', 'config', 'model', 'archive'],
  changes: ['charts', 'model'],
  versioning: ['model'],
  report: ['model'],
  resolve: ['helm-oci', 'oci', 'charts', 'model', 'archive'],
  package: ['charts', 'model', 'archive'],
  sign: ['charts', 'model', 'archive'],
  policy: ['charts', 'config', 'model'],
  'helm-oci': ['oci', 'charts', 'model', 'archive'],
  oci: ['model'],
  charts: ['model', 'archive'],
  config: ['model'],
  model: [],
  archive: ['model'],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Text built from values says what they are: never "[object Object]", nor a number or boolean by accident.
      '@typescript-eslint/no-base-to-string': 'error',
      '@typescript-eslint/restrict-template-expressions': 'error',
      // node:test's describe/it/test return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] }] },
      ],
    },
  },
  // Plain JavaScript (this file, scripts/*.mjs) has no types to check against.
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['src/**/*.ts'],
    plugins: { boundaries },
    settings: {
      'import/resolver': { typescript: { project: './tsconfig.json' } },
      'boundaries/elements': Object.keys(LAYERS).map((type) => ({ type, pattern: `src/${type}`, partialMatch: false })),
      'boundaries/dependency-nodes': ['import', 'export', 'dynamic-import'],
    },
    rules: {
      // Every source file sits in one of the folders above: a new folder has to be placed in the layering first.
      'boundaries/no-unknown-files': 'error',
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          message: '{{from.type}}/ may not import {{to.type}}/ (ARCHITECTURE.md lists what each folder may import)',
          policies: Object.entries(LAYERS).map(([type, allowed]) => ({
            from: { element: { type } },
            allow: { to: { element: { types: { anyOf: allowed } } } },
          })),
        },
      ],
    },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@actions/*'], message: 'cli/ never imports @actions/*: it runs outside GitHub Actions' }] }],
    },
  },
);
