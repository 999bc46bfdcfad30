import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { npmErrorCode, npmFailure, resolveNpmTarget } from '../src/npm.ts';

test('a token goes into a temporary userconfig for that registry only, removed on dispose', () => {
  const target = resolveNpmTarget({
    env: { AVRO_GOV_NPM_REGISTRY: 'http://127.0.0.1:4873', AVRO_GOV_NPM_TOKEN: 's3cret' },
  });
  assert.equal(target.registry, 'http://127.0.0.1:4873/');
  const text = readFileSync(target.userconfig, 'utf8');
  assert.match(text, /^registry=http:\/\/127\.0\.0\.1:4873\/$/m);
  assert.match(text, /^\/\/127\.0\.0\.1:4873\/:_authToken=s3cret$/m);
  target.dispose();
  assert.ok(!existsSync(target.userconfig));
});

test('a given userconfig is used as is, and supplies the registry when none is given', (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'avro-gov-npmrc-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const npmrc = path.join(dir, 'npmrc');
  writeFileSync(npmrc, 'registry=http://npm.example/\n//npm.example/:_authToken=x\n');
  const target = resolveNpmTarget({ userconfig: npmrc, env: {} });
  assert.deepEqual([target.registry, target.userconfig], ['http://npm.example/', npmrc]);
});

test('no registry is a usage error', () => {
  assert.throws(() => resolveNpmTarget({ env: {} }), /AVRO_GOV_NPM_REGISTRY/);
});

test('npm failures name the package, the npm code and what to do', () => {
  const result = {
    code: 1,
    stdout: '',
    stderr: 'npm error code E401\nnpm error Unable to authenticate, need: Basic\n',
  };
  assert.equal(npmErrorCode(result), 'E401');
  const target = { registry: 'http://r/', userconfig: '/dev/null', dispose: () => undefined };
  const error = npmFailure('@acme/events-ads@1.2.0', 'publish', target, result);
  assert.equal(error.code, 'REGISTRY_ERROR');
  assert.match(
    error.message,
    /npm publish @acme\/events-ads@1\.2\.0 at http:\/\/r\/ failed \(E401\): Unable to authenticate/,
  );
  assert.match(error.message, /AVRO_GOV_NPM_TOKEN/);
  const refused = npmFailure('p', 'view', target, {
    code: 1,
    stdout: '',
    stderr: 'npm error code ECONNREFUSED\n',
  });
  assert.equal(refused.code, 'REGISTRY_UNREACHABLE');
  assert.equal(refused.retriable, true);
});
