import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import publishExecutor from '../../../src/executors/publish/executor.ts';

test('without an npm registry the target fails and says which variable to set', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nx-avro-publish-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const saved = { ...process.env };
  t.after(() => {
    process.env = saved;
  });
  delete process.env['AVRO_GOV_NPM_REGISTRY'];
  delete process.env['AVRO_GOV_NPM_USERCONFIG'];
  const result = await publishExecutor({}, { root: dir });
  assert.equal(result.success, false);
  assert.match(result.message ?? '', /AVRO_GOV_NPM_REGISTRY/);
});
