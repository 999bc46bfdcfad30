import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import registerExecutor from '../../../src/executors/register/executor.ts';

function workspace(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'nx-avro-register-'));
  mkdirSync(path.join(dir, 'schemas/com/acme'), { recursive: true });
  writeFileSync(
    path.join(dir, 'schemas/com/acme/Shown.avsc'),
    JSON.stringify({
      type: 'record',
      name: 'Shown',
      namespace: 'com.acme',
      fields: [{ name: 'id', type: 'string' }],
    }),
  );
  writeFileSync(
    path.join(dir, 'schemas/avro-gov.json'),
    JSON.stringify({ version: 1, subjects: [{ schema: 'com.acme.Shown', topic: 'shown' }] }),
  );
  return dir;
}

test('an unreachable registry fails the target with a message, not a stack', async (t) => {
  const dir = workspace();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const result = await registerExecutor(
    { registryUrl: 'http://127.0.0.1:1/apis/ccompat/v7', dryRun: true },
    { root: dir },
  );
  assert.equal(result.success, false);
  assert.match(result.message ?? '', /REGISTRY_UNREACHABLE .*127\.0\.0\.1:1.* \(transient: rerun\)/);
});

test('a missing schema directory fails the target and names the option', async (t) => {
  const dir = workspace();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const result = await registerExecutor(
    { registryUrl: 'http://127.0.0.1:1', schemas: 'nope' },
    { root: dir },
  );
  assert.equal(result.success, false);
  assert.match(result.message ?? '', /schema directory "nope" does not exist/);
});
