import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ReleaseError } from '../src/errors.ts';
import { resolveRegistryConnection } from '../src/connection.ts';

test('flag beats file beats environment; credentials from the file or the environment', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'avro-gov-conn-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'registry.json');
  writeFileSync(file, JSON.stringify({ url: 'http://file', token: 'file-token' }));
  const env = { AVRO_GOV_REGISTRY_URL: 'http://env', AVRO_GOV_REGISTRY_AUTH: 'u:p' };
  assert.deepEqual(await resolveRegistryConnection({ env }), { url: 'http://env', basicAuth: 'u:p' });
  assert.deepEqual(await resolveRegistryConnection({ configFile: file, env }), {
    url: 'http://file',
    basicAuth: 'u:p',
    bearerToken: 'file-token',
  });
  assert.equal(
    (await resolveRegistryConnection({ url: 'http://flag', configFile: file, env })).url,
    'http://flag',
  );
});

test('no registry anywhere is a usage error naming the variable', async () => {
  await assert.rejects(resolveRegistryConnection({ env: {} }), (e: unknown) => {
    assert.ok(e instanceof ReleaseError);
    assert.equal(e.code, 'USAGE');
    assert.match(e.message, /AVRO_GOV_REGISTRY_URL/);
    return true;
  });
});

test('a registry config that is not JSON, or has a non-string field, is a config error', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'avro-gov-conn-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const bad = path.join(dir, 'bad.json');
  writeFileSync(bad, '{ nope');
  await assert.rejects(resolveRegistryConnection({ configFile: bad, env: {} }), /not JSON/);
  writeFileSync(bad, JSON.stringify({ url: 'http://x', token: 42 }));
  await assert.rejects(resolveRegistryConnection({ configFile: bad, env: {} }), /"token" must be a string/);
});
