import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configFor, eventSchema, gitWorkspace, positionOf, runCli, tempWorkspace } from '../support.ts';

const NS = 'com.acme.ads';
const v1 = eventSchema('AdShown', NS, [{ name: 'price_micros', type: 'long' }]);
const v2 = eventSchema('AdShown', NS, [
  { name: 'price_micros', type: 'long' },
  { name: 'placement', type: ['null', 'string'], default: null },
]);
const priceAsString = eventSchema('AdShown', NS, [{ name: 'price_micros', type: 'string' }]);

test('single files: a compatible change prints {compatible, level, findings} and exits 0', (t) => {
  const ws = tempWorkspace({ 'old.avsc': v1, 'new.avsc': v2 });
  t.after(() => ws.remove());
  const r = runCli(ws.dir, [
    'compat',
    '--schema',
    'new.avsc',
    '--previous',
    'old.avsc',
    '--level',
    'FULL',
    '--format',
    'json',
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { compatible: true, level: 'FULL', findings: [] });
});

test('single files: every incompatibility against every previous version, at its line and column', (t) => {
  const ws = tempWorkspace({ 'v1.avsc': v1, 'v2.avsc': v2, 'new.avsc': priceAsString });
  t.after(() => ws.remove());
  const args = [
    'compat',
    '--schema',
    'new.avsc',
    '--previous',
    'v1.avsc',
    '--previous',
    'v2.avsc',
    '--format',
    'json',
  ];
  const { line, column } = positionOf(priceAsString, '"string"', '"price_micros"');

  const transitive = runCli(ws.dir, [...args, '--level', 'BACKWARD_TRANSITIVE']);
  assert.equal(transitive.code, 1);
  const out = JSON.parse(transitive.stdout) as {
    compatible: boolean;
    level: string;
    findings: Record<string, unknown>[];
  };
  assert.equal(out.compatible, false);
  assert.equal(out.level, 'BACKWARD_TRANSITIVE');
  assert.deepEqual(
    out.findings
      .map((f) => [f.file, f.line, f.column, f.id, (f.against as { source: string }).source])
      .sort(),
    [
      ['new.avsc', line, column, 'TYPE_MISMATCH', 'v1.avsc'],
      ['new.avsc', line, column, 'TYPE_MISMATCH', 'v2.avsc'],
    ],
  );
  // Non-transitive BACKWARD looks at the latest version only.
  const latest = JSON.parse(runCli(ws.dir, [...args, '--level', 'BACKWARD']).stdout) as {
    findings: unknown[];
  };
  assert.equal(latest.findings.length, 1);
});

test('single files: text output is file:line:col ERROR_TYPE message', (t) => {
  const ws = tempWorkspace({ 'old.avsc': v1, 'new.avsc': priceAsString });
  t.after(() => ws.remove());
  const r = runCli(ws.dir, ['compat', '--schema', 'new.avsc', '--previous', 'old.avsc']);
  assert.equal(r.code, 1);
  const { line, column } = positionOf(priceAsString, '"string"', '"price_micros"');
  assert.match(r.stdout, new RegExp(`^new.avsc:${line}:${column} TYPE_MISMATCH .*price_micros`));
  assert.match(r.stderr, /incompatible at BACKWARD/);
});

test('single files: bad input exits 2 with a clear message and no stack trace', (t) => {
  const ws = tempWorkspace({ 'old.avsc': v1, 'broken.avsc': '{"type": "record", "name": }' });
  t.after(() => ws.remove());
  const missing = runCli(ws.dir, ['compat', '--schema', 'nope.avsc', '--previous', 'old.avsc']);
  assert.equal(missing.code, 2);
  assert.match(missing.stdout, /^nope\.avsc:1:1 FILE_NOT_FOUND cannot read nope\.avsc/);
  const broken = runCli(ws.dir, ['compat', '--schema', 'broken.avsc', '--previous', 'old.avsc']);
  assert.equal(broken.code, 2);
  assert.match(broken.stdout, /^broken\.avsc:1:28 FILE_PARSES_JSON /);
  const level = runCli(ws.dir, [
    'compat',
    '--schema',
    'old.avsc',
    '--previous',
    'old.avsc',
    '--level',
    'SIDEWAYS',
  ]);
  assert.equal(level.code, 2);
  assert.match(level.stdout, /^USAGE .*SIDEWAYS/);
  for (const r of [missing, broken, level]) assert.doesNotMatch(r.stdout + r.stderr, /\n\s+at /);
});

test('git history: compatible change passes, breaking change fails at its line, new schema is new', (t) => {
  const file = 'schemas/com/acme/ads/AdShown.avsc';
  const ws = gitWorkspace({
    [file]: v1,
    'schemas/avro-gov.json': configFor([
      { schema: `${NS}.AdShown`, topic: 'ads.shown' },
      { schema: `${NS}.AdClicked`, topic: 'ads.clicked' },
    ]),
  });
  t.after(() => ws.remove());
  ws.commitAll('v1');
  ws.git('checkout', '-q', '-b', 'feature');

  ws.write(file, v2);
  ws.write('schemas/com/acme/ads/AdClicked.avsc', eventSchema('AdClicked', NS));
  const ok = runCli(ws.dir, ['compat']);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  assert.match(ok.stderr, /AdClicked\.avsc: ads\.clicked-value BACKWARD vs git: new/);
  assert.match(ok.stderr, /AdShown\.avsc: ads\.shown-value BACKWARD vs git: compatible with 1 version/);

  ws.write(file, priceAsString);
  const broken = runCli(ws.dir, ['compat']);
  assert.equal(broken.code, 1);
  const { line, column } = positionOf(priceAsString, '"string"', '"price_micros"');
  assert.match(broken.stdout, new RegExp(`^${file}:${line}:${column} TYPE_MISMATCH `, 'm'));
});

test('git history: a base that does not exist exits 2 and names it', (t) => {
  const ws = gitWorkspace({ 'schemas/com/acme/ads/AdShown.avsc': v1 });
  t.after(() => ws.remove());
  ws.commitAll('v1');
  const r = runCli(ws.dir, ['compat', '--base', 'release-9']);
  assert.equal(r.code, 2);
  assert.match(r.stdout, /GIT_ERROR git base "release-9" does not exist/);
});

test('dir baseline compares with a snapshot of the schema tree', (t) => {
  const ws = tempWorkspace({
    'schemas/com/acme/ads/AdShown.avsc': priceAsString,
    'released/com/acme/ads/AdShown.avsc': v1,
    'schemas/avro-gov.json': configFor([{ schema: `${NS}.AdShown`, topic: 'ads.shown' }]),
  });
  t.after(() => ws.remove());
  const r = runCli(ws.dir, ['compat', '--against', 'dir', '--baseline-dir', 'released']);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /TYPE_MISMATCH .*against released\/com\/acme\/ads\/AdShown\.avsc/);
});

test('git history: a shared type is compared as it was at each old commit, and the finding points into its file', (t) => {
  const device = (osType: string): string =>
    `${JSON.stringify({ type: 'record', name: 'Device', namespace: 'com.acme.common', doc: 'A device.', fields: [{ name: 'os', type: osType, doc: 'OS.' }] }, null, 2)}\n`;
  const event = eventSchema('AdShown', NS, [{ name: 'device', type: 'com.acme.common.Device' }]);
  const ws = gitWorkspace({
    'schemas/com/acme/common/Device.avsc': device('string'),
    'schemas/com/acme/ads/AdShown.avsc': event,
    'schemas/avro-gov.json': configFor([{ schema: `${NS}.AdShown`, topic: 'ads.shown' }]),
  });
  t.after(() => ws.remove());
  ws.commitAll('v1');
  ws.git('checkout', '-q', '-b', 'feature');
  const changed = device('int');
  ws.write('schemas/com/acme/common/Device.avsc', changed);
  const r = runCli(ws.dir, ['compat']);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const { line, column } = positionOf(changed, '"int"');
  assert.match(
    r.stdout,
    new RegExp(`^schemas/com/acme/common/Device\\.avsc:${line}:${column} TYPE_MISMATCH `, 'm'),
  );
});

test('paths: a shared type is checked against its own history; events elsewhere are left to their own namespaces', (t) => {
  const device = (osType: string): string =>
    `${JSON.stringify({ type: 'record', name: 'Device', namespace: 'com.acme.common', doc: 'A device.', fields: [{ name: 'os', type: osType, doc: 'OS.' }] }, null, 2)}\n`;
  const ws = gitWorkspace({
    'schemas/com/acme/common/Device.avsc': device('string'),
    'schemas/com/acme/ads/AdShown.avsc': eventSchema('AdShown', NS, [
      { name: 'device', type: 'com.acme.common.Device' },
    ]),
    'schemas/avro-gov.json': configFor([{ schema: `${NS}.AdShown`, topic: 'ads.shown' }]),
  });
  t.after(() => ws.remove());
  ws.commitAll('v1');
  ws.write('schemas/com/acme/common/Device.avsc', device('int'));
  const common = runCli(ws.dir, ['compat', 'schemas/com/acme/common/*.avsc']);
  assert.equal(common.code, 1, common.stdout + common.stderr);
  assert.match(
    common.stderr,
    /schemas\/com\/acme\/common\/Device\.avsc: com\.acme\.common\.Device BACKWARD vs git: incompatible/,
  );
  assert.doesNotMatch(common.stderr, /AdShown/);
  const ads = runCli(ws.dir, ['compat', 'schemas/com/acme/ads/*.avsc']);
  assert.equal(ads.code, 1, 'the event namespace still sees the break through the type it uses');
  assert.match(ads.stderr, /AdShown\.avsc: ads\.shown-value BACKWARD vs git: incompatible/);
});
