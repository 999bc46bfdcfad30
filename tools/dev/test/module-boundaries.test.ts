// Pins the workspace's dependency direction: the lint rule must reject an import that points the wrong way.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ESLint } from 'eslint';
import { WORKSPACE_ROOT } from '../src/nx.ts';

const eslint = new ESLint({ cwd: WORKSPACE_ROOT });

async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  assert.ok(result, 'eslint returned no result');
  return result.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
}

const cases = [
  {
    name: 'a library may not import a tool',
    file: 'libs/governance/src/boundary-probe.ts',
    code: "import { up } from '@adlake/stack';\nexport const x = up;\n",
    allowed: false,
  },
  {
    name: 'a tool may import another tool',
    file: 'tools/dev/src/boundary-probe.ts',
    code: "import { up } from '@adlake/stack';\nexport const x = up;\n",
    allowed: true,
  },
  {
    name: 'a tool may import a library',
    file: 'tools/dev/src/boundary-probe.ts',
    code: "import { GovernanceError } from '@adlake/governance';\nexport const x = GovernanceError;\n",
    allowed: true,
  },
  ...layer(
    'libs/avro',
    '@adlake/registry',
    'SchemaRegistryClient',
    false,
    'the schema model depends on nothing of ours',
  ),
  ...layer('libs/governance', '@adlake/avro', 'parseSchema', true, 'the PR check asks the schema model'),
  ...layer(
    'libs/governance',
    '@adlake/registry',
    'SchemaRegistryClient',
    true,
    'the PR check asks the registry',
  ),
  ...layer(
    'libs/governance',
    '@adlake/codegen',
    'generateTypeScript',
    false,
    'the PR check does not generate code',
  ),
  ...layer('libs/governance', '@adlake/release', 'registerRelease', false, 'the PR check does not release'),
  ...layer('libs/codegen', '@adlake/governance', 'lintWorkspace', false, 'codegen does not lint'),
  ...layer('libs/codegen', '@adlake/avro', 'parseSchema', true, 'codegen asks the schema model'),
  ...layer(
    'libs/registry',
    '@adlake/avro',
    'parseSchema',
    false,
    'the registry client moves text, it does not read schemas',
  ),
  ...layer(
    'libs/release',
    '@adlake/codegen',
    'generateTypeScript',
    true,
    'the release step generates packages',
  ),
  ...layer(
    'libs/sdk',
    '@adlake/governance',
    'lintWorkspace',
    false,
    'the SDK does not depend on the PR check',
  ),
  ...layer(
    'libs/sdk',
    '@adlake/registry',
    'SchemaRegistryClient',
    true,
    'the SDK uses the one registry client',
  ),
  ...layer('libs/sink', '@adlake/codegen', 'generateTypeScript', false, 'the sink does not generate code'),
  ...layer('libs/webhdfs', '@adlake/sink', 'audit', false, 'the WebHDFS client knows nothing of the sink'),
  {
    name: 'the Parquet library may not import the sink (the dependency goes sink → parquet only)',
    file: 'libs/parquet/src/boundary-probe.ts',
    code: "import { SinkError } from '@adlake/sink';\nexport const x = SinkError;\n",
    allowed: false,
  },
  {
    name: 'the sink may import the Parquet library',
    file: 'libs/sink/src/boundary-probe.ts',
    code: "import { ParquetError } from '@adlake/parquet';\nexport const x = ParquetError;\n",
    allowed: true,
  },
  {
    name: 'tests may import tools',
    file: 'test/smoke/boundary-probe.ts',
    code: "import { up } from '@adlake/stack';\nexport const x = up;\n",
    allowed: true,
  },
];

function layer(
  root: string,
  target: string,
  name: string,
  allowed: boolean,
  why: string,
): { name: string; file: string; code: string; allowed: boolean }[] {
  return [
    {
      name: `${allowed ? 'may' : 'may not'}: ${root} imports ${target} (${why})`,
      file: `${root}/src/boundary-probe.ts`,
      code: `import { ${name} } from '${target}';\nexport const x = ${name};\n`,
      allowed,
    },
  ];
}

test('the rule still checks in a fresh clone that has no cached Nx graph', () => {
  // A separate process with an empty Nx data folder: the graph is not cached there, so the lint config must
  // build it rather than let the rule skip with a warning.
  const data = mkdtempSync(join(tmpdir(), 'adlake-nx-data-'));
  try {
    const probe = "import { lintWorkspace } from '@adlake/governance';\nexport const x = lintWorkspace;\n";
    const run = spawnSync(
      process.execPath,
      [
        join(WORKSPACE_ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js'),
        '--stdin',
        '--stdin-filename',
        'libs/sdk/src/boundary-probe.ts',
        '--format',
        'json',
      ],
      {
        cwd: WORKSPACE_ROOT,
        input: probe,
        encoding: 'utf8',
        env: { ...process.env, NX_WORKSPACE_DATA_DIRECTORY: data, NX_DAEMON: 'false' },
      },
    );
    assert.doesNotMatch(run.stdout, /No cached ProjectGraph/);
    const [result] = JSON.parse(run.stdout.slice(run.stdout.indexOf('['))) as {
      messages: { ruleId: string | null }[];
    }[];
    assert.ok(
      result?.messages.some((m) => m.ruleId === '@nx/enforce-module-boundaries'),
      `expected a module-boundary error, got: ${run.stdout}${run.stderr}`,
    );
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
});

for (const c of cases) {
  test(c.name, async () => {
    const errors = await boundaryErrors(c.file, c.code);
    if (c.allowed) assert.deepEqual(errors, []);
    else assert.ok(errors.length > 0, 'expected a module-boundary error');
  });
}
