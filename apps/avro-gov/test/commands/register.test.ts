import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configFor, eventSchema, runCli, tempWorkspace } from '../support.ts';

const CLEAR = { AVRO_GOV_REGISTRY_URL: '', AVRO_GOV_REGISTRY_AUTH: '', AVRO_GOV_REGISTRY_TOKEN: '' };

function workspace() {
  return tempWorkspace({
    'schemas/com/acme/ads/AdShown.avsc': eventSchema('AdShown', 'com.acme.ads'),
    'schemas/avro-gov.json': configFor([{ schema: 'com.acme.ads.AdShown', topic: 'ads.shown' }]),
  });
}

test('register --help lists every option and the credential variables', (t) => {
  const ws = workspace();
  t.after(() => ws.remove());
  const r = runCli(ws.dir, ['register', '--help']);
  assert.equal(r.code, 0);
  for (const option of [
    '--registry-url',
    '--registry-config',
    '--dry-run',
    '--manifest',
    '--references',
    '--format',
  ])
    assert.match(r.stdout, new RegExp(option));
  assert.match(r.stdout, /AVRO_GOV_REGISTRY_AUTH/);
  assert.match(runCli(ws.dir, ['--help']).stdout, /register/);
});

test('register without a registry is a usage error naming where to set it', (t) => {
  const ws = workspace();
  t.after(() => ws.remove());
  const r = runCli(ws.dir, ['register'], CLEAR);
  assert.equal(r.code, 2);
  assert.match(r.stdout, /AVRO_GOV_REGISTRY_URL/);
  assert.doesNotMatch(r.stdout + r.stderr, /\n\s+at /, 'no stack trace');
});

test('register rejects unknown option values', (t) => {
  const ws = workspace();
  t.after(() => ws.remove());
  assert.equal(runCli(ws.dir, ['register', '--format', 'xml'], CLEAR).code, 2);
  assert.match(runCli(ws.dir, ['register', '--references', 'magic'], CLEAR).stdout, /subjects, inline/);
});

test('register against an unreachable registry exits 2 with the registry named, no stack', (t) => {
  const ws = workspace();
  t.after(() => ws.remove());
  const r = runCli(
    ws.dir,
    ['register', '--dry-run', '--registry-url', 'http://127.0.0.1:1/apis/ccompat/v7'],
    CLEAR,
  );
  assert.equal(r.code, 2);
  assert.match(
    r.stdout,
    /REGISTRY_UNREACHABLE schema registry at http:\/\/127\.0\.0\.1:1\/apis\/ccompat\/v7 is unreachable/,
  );
  assert.doesNotMatch(r.stdout + r.stderr, /\n\s+at /);
});
