import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const workspaceRoot = fileURLToPath(new URL('../../../', import.meta.url));
const executors = JSON.parse(readFileSync(`${root}executors.json`, 'utf8')) as {
  executors: Record<string, { implementation: string; schema: string; description: string }>;
};

test('package.json points Nx at executors.json, which registers check, register and publish', () => {
  const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { executors?: string };
  assert.equal(pkg.executors, './executors.json');
  assert.deepEqual(Object.keys(executors.executors).sort(), ['check', 'publish', 'register']);
});

test('check runs in batch mode by default: Nx 23 finds its batch implementation and preferBatch', () => {
  // Without preferBatch, Nx batches only under --batch or NX_BATCH_MODE=true, and every task of a PR check
  // would load the whole schema workspace in a process of its own.
  const require = createRequire(import.meta.url);
  const { getExecutorInformation } = require('nx/src/command-line/run/executor-utils') as {
    getExecutorInformation: (
      pkg: string,
      executor: string,
      root: string,
      projects: Record<string, unknown>,
    ) => { batchImplementationFactory: (() => unknown) | null; preferBatch?: boolean };
  };
  const info = getExecutorInformation('@adlake/nx-avro', 'check', workspaceRoot, {});
  assert.equal(info.preferBatch, true);
  assert.equal(typeof info.batchImplementationFactory?.(), 'function');
});

for (const [name, entry] of Object.entries(executors.executors)) {
  test(`${name}: every option of schema.json has a description`, () => {
    const schema = JSON.parse(readFileSync(new URL(entry.schema, `file://${root}`), 'utf8')) as {
      description?: string;
      properties: Record<string, { description?: string }>;
    };
    assert.ok(schema.description);
    for (const [option, spec] of Object.entries(schema.properties))
      assert.ok(spec.description, `${name}.${option}`);
  });

  test(`${name}: Nx 23 loads the TypeScript implementation (native type stripping)`, () => {
    // The same path `nx run` takes: executors.json -> schema -> implementation factory -> loadTsFile.
    const require = createRequire(import.meta.url);
    const { getExecutorInformation } = require('nx/src/command-line/run/executor-utils') as {
      getExecutorInformation: (
        pkg: string,
        executor: string,
        root: string,
        projects: Record<string, unknown>,
      ) => { implementationFactory: () => unknown; schema: { properties: object } };
    };
    const info = getExecutorInformation('@adlake/nx-avro', name, workspaceRoot, {});
    assert.equal(typeof info.implementationFactory(), 'function');
  });
}
