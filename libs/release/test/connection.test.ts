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
  // The file's credentials replace the environment's whole: never a mix of the two.
  assert.deepEqual(await resolveRegistryConnection({ configFile: file, env }), {
    url: 'http://file',
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

test('client credentials from the file or the environment, complete or refused naming what is missing', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'avro-gov-conn-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'registry.json');
  const oauth = { tokenUrl: 'http://idp/token', clientId: 'adlake-release', clientSecret: 's' };
  writeFileSync(file, JSON.stringify({ url: 'http://file', ...oauth }));
  assert.deepEqual(
    await resolveRegistryConnection({ configFile: file, env: { AVRO_GOV_REGISTRY_AUTH: 'u:p' } }),
    {
      url: 'http://file',
      clientCredentials: oauth,
    },
  );
  const env = {
    AVRO_GOV_REGISTRY_URL: 'http://env',
    AVRO_GOV_REGISTRY_TOKEN_URL: 'http://idp/token',
    AVRO_GOV_REGISTRY_CLIENT_ID: 'adlake-release',
  };
  await assert.rejects(resolveRegistryConnection({ env }), (e: unknown) => {
    assert.ok(e instanceof ReleaseError);
    assert.equal(e.code, 'CONFIG_INVALID');
    assert.match(e.message, /missing clientSecret \(AVRO_GOV_REGISTRY_CLIENT_SECRET\)/);
    return true;
  });
  await assert.rejects(
    resolveRegistryConnection({
      env: { ...env, AVRO_GOV_REGISTRY_CLIENT_SECRET: 's', AVRO_GOV_REGISTRY_AUTH: 'u:p' },
    }),
    /give one of auth/,
  );
});
