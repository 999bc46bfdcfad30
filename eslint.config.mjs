// Lint for the whole workspace. The module-boundary rule is what keeps the architecture honest:
// apps may use libs, libs never reach into apps or tools, and each library depends only on the layers below it
// (docs/architecture.md draws them).
import { createProjectGraphAsync, readCachedProjectGraph } from '@nx/devkit';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

// The boundary rule reads Nx's cached project graph and, without one, prints a warning and checks nothing. Build
// the graph first (a fresh clone has none), and let lint fail if it cannot be built.
try {
  readCachedProjectGraph();
} catch {
  await createProjectGraphAsync({ exitOnError: false });
}

// Libraries by layer: each may depend only on the layers listed. A layer absent from a list is a wrong-way import.
const LAYERS = {
  'layer:model': [], // @adlake/avro: the schema model
  'layer:base': [], // @adlake/retry
  'layer:runtime': [], // @adlake/event-runtime: what generated classes and the SDK share
  'layer:format': [], // @adlake/parquet
  'layer:client': ['layer:base'], // @adlake/registry, @adlake/webhdfs
  'layer:check': ['layer:model', 'layer:client'], // @adlake/governance
  'layer:codegen': ['layer:model', 'layer:runtime'], // @adlake/codegen
  'layer:release': ['layer:model', 'layer:client', 'layer:check', 'layer:codegen', 'layer:runtime'],
  'layer:events': ['layer:runtime'], // the workspace's generated event classes
  'layer:simulator': ['layer:events', 'layer:runtime'],
  'layer:sdk': ['layer:model', 'layer:client', 'layer:base', 'layer:runtime', 'layer:events'],
  'layer:sink': [
    'layer:sdk',
    'layer:format',
    'layer:client',
    'layer:base',
    'layer:model',
    'layer:runtime',
    'layer:events',
  ],
};

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/generated/**', '.stack/**', '.nx/**'] },
  ...tseslint.configs.strict,
  prettier,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:plugin', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib', 'type:tool'] },
            { sourceTag: 'type:test', onlyDependOnLibsWithTags: ['type:lib', 'type:tool'] },
            // Scopes keep the three products apart; workspace tooling (tests, the demo) may use them all.
            { sourceTag: 'scope:governance', onlyDependOnLibsWithTags: ['scope:governance', 'scope:shared'] },
            { sourceTag: 'scope:sdk', onlyDependOnLibsWithTags: ['scope:sdk', 'scope:shared'] },
            {
              sourceTag: 'scope:sink',
              onlyDependOnLibsWithTags: ['scope:sink', 'scope:sdk', 'scope:shared'],
            },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            // An empty list: no project of ours at all.
            ...Object.entries(LAYERS).map(([sourceTag, allowed]) => ({
              sourceTag,
              onlyDependOnLibsWithTags: allowed,
            })),
          ],
        },
      ],
    },
  },
);
