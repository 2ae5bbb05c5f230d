// One lint configuration for the monorepo. Type-aware rules are on because an
// un-awaited permission check (no-floating-promises) is a security hole, not a style nit.
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';
import moduleBoundaries from './platform/lint/module-boundaries.js';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '.vigie/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
      'admin-ui/src/gql/**',
    ],
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [tseslint.configs.base],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/ban-ts-comment': [
        'error',
        { 'ts-ignore': true, 'ts-expect-error': 'allow-with-description' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../../*/src/*', '../../../*/src/*', '**/platform/src/*'],
              message: 'Import a sibling package by its name and exports.',
            },
          ],
        },
      ],
    },
  },
  {
    // The layers of platform/src: a module reaches another only through its index.ts, and
    // no runtime import closes a cycle between folders (platform/lint/module-boundaries.js).
    files: ['platform/src/**/*.ts'],
    plugins: { vigie: moduleBoundaries },
    rules: {
      'vigie/module-boundaries': 'error',
      'vigie/no-import-cycle': 'error',
    },
  },
  {
    // The deterministic world: Temporal replays workflow code, so it must not touch
    // the clock, the network, the disk or randomness other than through the SDK.
    files: ['workflows/src/**/*.ts'],
    ignores: ['workflows/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({
            name,
            message: 'Workflow code is deterministic: no Node built-ins.',
          })),
          patterns: [
            {
              group: ['@vigie/platform', '@vigie/platform/*', '@vigie/plugin-*'],
              message: 'Workflows import only @temporalio/workflow and their own files.',
            },
          ],
        },
      ],
    },
  },
  {
    // Plugins see only the platform's public plugin API.
    files: ['plugins/*/src/**/*.ts', 'plugins/*/migrations/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^@vigie/platform(?!/(plugin|testing)$)',
              message: 'Plugins import only @vigie/platform/plugin.',
            },
            {
              group: ['@vigie/plugin-*'],
              message: 'Plugins never import each other; use an extension point.',
            },
            { group: ['**/platform/src/**'], message: 'Plugins import only @vigie/platform/plugin.' },
          ],
        },
      ],
    },
  },
  {
    // A plugin's workflow code is workflow code: deterministic, and only its own files.
    files: ['plugins/*/src/workflows/**/*.ts'],
    ignores: ['plugins/*/src/workflows/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({
            name,
            message: 'Workflow code is deterministic: no Node built-ins.',
          })),
          patterns: [
            {
              group: ['@vigie/*', '../../*'],
              message: 'Workflows import only @temporalio/workflow and their own files.',
            },
          ],
        },
      ],
    },
  },
  {
    // The web front end runs in the browser: no Node built-ins, no server code.
    files: ['admin-ui/src/**/*.{ts,tsx}', 'plugins/*/ui/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'Browser code: no Node built-ins.' })),
          patterns: [
            {
              group: ['@vigie/platform', '@vigie/platform/*', '@vigie/workflows', '@vigie/workflows/*'],
              message: 'The UI talks to the server through GraphQL only.',
            },
            { group: ['**/src/*', '!./*', '!../*'], message: 'The UI does not import server sources.' },
            {
              group: ['**/gql/index.js', '**/gql/gql.js'],
              allowTypeImports: true,
              message:
                'graphql() comes from shell/graphql.js: the generated documents map would put every operation in the first route.',
            },
          ],
        },
      ],
    },
  },
  {
    // A plugin's pages see only the shell's public API, never another plugin's pages.
    files: ['plugins/*/ui/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^@vigie/admin-ui(?!/(shell|map)$)',
              message:
                'Plugin pages import only @vigie/admin-ui/shell (and /map, loaded lazily where a map is shown).',
            },
            {
              group: ['@vigie/plugin-*', '../../*', '**/admin-ui/src/**'],
              message: 'Plugin pages import only @vigie/admin-ui/shell and their own files.',
            },
            {
              group: ['@vigie/platform', '@vigie/platform/*', '@vigie/workflows', '@vigie/workflows/*'],
              message: 'The UI talks to the server through GraphQL only.',
            },
          ],
        },
      ],
    },
  },
);
