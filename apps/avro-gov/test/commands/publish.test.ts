import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configFor, eventSchema, runCli, tempWorkspace } from '../support.ts';

const CLEAR = { AVRO_GOV_NPM_REGISTRY: '', AVRO_GOV_NPM_TOKEN: '', AVRO_GOV_NPM_USERCONFIG: '' };

function workspace() {
  return tempWorkspace({
    'schemas/com/acme/ads/AdShown.avsc': eventSchema('AdShown', 'com.acme.ads'),
    'schemas/avro-gov.json': configFor([{ schema: 'com.acme.ads.AdShown', topic: 'ads.shown' }]),
  });
}

test('publish --help lists every option and the npm variables', (t) => {
  const ws = workspace();
  t.after(() => ws.remove());
  const r = runCli(ws.dir, ['publish', '--help']);
  assert.equal(r.code, 0);
  for (const option of ['--registry', '--userconfig', '--package-name', '--out', '--version', '--dry-run'])
    assert.match(r.stdout, new RegExp(option));
  assert.match(r.stdout, /AVRO_GOV_NPM_TOKEN/);
});

test('publish without an npm registry is a usage error', (t) => {
  const ws = workspace();
  t.after(() => ws.remove());
  const r = runCli(ws.dir, ['publish'], CLEAR);
  assert.equal(r.code, 2);
  assert.match(r.stdout, /AVRO_GOV_NPM_REGISTRY/);
});

test('publish of an unknown namespace, or with a version that is not semver, is a usage error', (t) => {
  const ws = workspace();
  t.after(() => ws.remove());
  const env = { ...CLEAR, AVRO_GOV_NPM_REGISTRY: 'http://127.0.0.1:1/' };
  assert.match(
    runCli(ws.dir, ['publish', 'com.nope'], env).stdout,
    /namespace "com\.nope" has no event schemas/,
  );
  assert.match(runCli(ws.dir, ['publish', '--version', 'v1'], env).stdout, /not a semantic version/);
});

test(
  'publish against an unreachable npm registry names the package and exits 2',
  { timeout: 120_000 },
  (t) => {
    const ws = workspace();
    t.after(() => ws.remove());
    const r = runCli(ws.dir, ['publish', '--dry-run', '--package-name', '@test/events-{segment}'], {
      ...CLEAR,
      AVRO_GOV_NPM_REGISTRY: 'http://127.0.0.1:1/',
    });
    assert.equal(r.code, 2, r.stderr);
    // The runtime the event packages depend on is asked about first.
    assert.match(
      r.stdout,
      /npm view @adlake\/event-runtime@\d+\.\d+\.\d+ at http:\/\/127\.0\.0\.1:1\/ failed/,
    );
    assert.match(r.stdout, /REGISTRY_UNREACHABLE|ECONNREFUSED/);
  },
);
