import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSchemaWorkspace, parseConfig } from '@adlake/governance';
import { registrationUnits } from '../src/units.ts';

const device = {
  type: 'record',
  name: 'Device',
  namespace: 'com.acme.common',
  fields: [{ name: 'os', type: { type: 'enum', name: 'Os', symbols: ['IOS', 'ANDROID'] } }],
};
const geo = {
  type: 'record',
  name: 'Geo',
  namespace: 'com.acme.common',
  fields: [{ name: 'country', type: 'string' }],
};
const unused = {
  type: 'record',
  name: 'Unused',
  namespace: 'com.acme.common',
  fields: [{ name: 'x', type: 'int' }],
};
const click = {
  type: 'record',
  name: 'Click',
  namespace: 'com.acme.ads',
  fields: [
    { name: 'device', type: 'com.acme.common.Device' },
    { name: 'geo', type: 'com.acme.common.Geo' },
  ],
};
const view = {
  type: 'record',
  name: 'View',
  namespace: 'com.acme.ads',
  fields: [{ name: 'os', type: 'com.acme.common.Os' }],
};

const workspace = createSchemaWorkspace([
  { file: 'schemas/com/acme/ads/Click.avsc', text: JSON.stringify(click) },
  { file: 'schemas/com/acme/ads/View.avsc', text: JSON.stringify(view) },
  { file: 'schemas/com/acme/common/Device.avsc', text: JSON.stringify(device) },
  { file: 'schemas/com/acme/common/Geo.avsc', text: JSON.stringify(geo) },
  { file: 'schemas/com/acme/common/Unused.avsc', text: JSON.stringify(unused) },
]);
const config = parseConfig(
  JSON.stringify({
    version: 1,
    subjects: [
      { schema: 'com.acme.ads.Click', topic: 'ads.clicks', compatibility: 'FULL' },
      { schema: 'com.acme.ads.View', topic: 'ads.views', strategy: 'RecordNameStrategy' },
    ],
  }),
);

test('references mode: shared types first, under their fullname; events reference them by fullname', () => {
  const units = registrationUnits(workspace, config);
  const subjects = units.map((u) => u.subject);
  assert.deepEqual(
    new Set(subjects),
    new Set(['com.acme.common.Device', 'com.acme.common.Geo', 'ads.clicks-value', 'com.acme.ads.View']),
  );
  for (const u of units) {
    for (const ref of u.references)
      assert.ok(
        subjects.indexOf(ref.subject) < subjects.indexOf(u.subject),
        `${ref.subject} before ${u.subject}`,
      );
  }
  const clickUnit = units.find((u) => u.subject === 'ads.clicks-value');
  assert.deepEqual(clickUnit?.references.map((r) => r.subject).sort(), [
    'com.acme.common.Device',
    'com.acme.common.Geo',
  ]);
  assert.equal(clickUnit?.level, 'FULL');
  assert.equal(clickUnit?.kind, 'event');
  // A type nested in Device.avsc is reached through Device's subject.
  assert.deepEqual(units.find((u) => u.subject === 'com.acme.ads.View')?.references, [
    { name: 'com.acme.common.Device', subject: 'com.acme.common.Device' },
  ]);
  assert.equal(units.find((u) => u.subject === 'com.acme.common.Device')?.kind, 'type');
  assert.ok(!subjects.includes('com.acme.common.Unused'), 'a type no event uses is not registered');
  assert.equal(clickUnit?.schema, JSON.stringify(click));
});

test('inline mode: events only, self-contained, no references', () => {
  const units = registrationUnits(workspace, config, 'inline');
  assert.deepEqual(units.map((u) => u.subject).sort(), ['ads.clicks-value', 'com.acme.ads.View']);
  const clickUnit = units.find((u) => u.subject === 'ads.clicks-value');
  assert.deepEqual(clickUnit?.references, []);
  assert.match(clickUnit?.schema ?? '', /"name":"Device"/);
});

test('fingerprints: canonical ignores docs, content hash does not', () => {
  const documented = createSchemaWorkspace([
    { file: 'schemas/com/acme/common/Device.avsc', text: JSON.stringify({ ...device, doc: 'The device.' }) },
    { file: 'schemas/com/acme/common/Geo.avsc', text: JSON.stringify(geo) },
    { file: 'schemas/com/acme/ads/Click.avsc', text: JSON.stringify(click) },
    { file: 'schemas/com/acme/ads/View.avsc', text: JSON.stringify(view) },
  ]);
  const a = registrationUnits(workspace, config).find((u) => u.subject === 'com.acme.common.Device');
  const b = registrationUnits(documented, config).find((u) => u.subject === 'com.acme.common.Device');
  assert.equal(a?.fingerprint.rabin, b?.fingerprint.rabin);
  assert.notEqual(a?.contentSha256, b?.contentSha256);
});
