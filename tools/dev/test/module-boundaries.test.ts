// Pins the workspace's dependency direction: the lint rule must reject an import that points the wrong way.
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
] as const;

for (const c of cases) {
  test(c.name, async () => {
    const errors = await boundaryErrors(c.file, c.code);
    if (c.allowed) assert.deepEqual(errors, []);
    else assert.ok(errors.length > 0, 'expected a module-boundary error');
  });
}
