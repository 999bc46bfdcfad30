import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AdImpression } from '@adlake/events';
import { canonicalForm, fingerprint, parseResolved, resolveReferences } from '../../src/registry/resolve.ts';
import { MemoryRegistry } from '../fakes.ts';

const geo = {
  type: 'record',
  name: 'Geo',
  namespace: 'c',
  doc: 'd',
  fields: [{ name: 'country', type: 'string', default: 'US' }],
};

test('canonical form strips docs, defaults and logical types, and uses full names', () => {
  const schema = {
    type: 'record',
    name: 'E',
    namespace: 'a.b',
    doc: 'x',
    fields: [
      { name: 't', type: { type: 'long', logicalType: 'timestamp-millis' } },
      { name: 'g', type: geo },
    ],
  };
  assert.equal(
    canonicalForm([schema]),
    '{"name":"a.b.E","type":"record","fields":[{"name":"t","type":"long"},{"name":"g","type":{"name":"c.Geo","type":"record","fields":[{"name":"country","type":"string"}]}}]}',
  );
});

test('the inlined and the referencing form of a schema have the same fingerprint; a change does not', () => {
  const inlined = {
    type: 'record',
    name: 'E',
    namespace: 'a',
    fields: [
      { name: 'g', type: geo },
      { name: 'h', type: ['null', 'c.Geo'], default: null },
    ],
  };
  const referencing = {
    type: 'record',
    name: 'E',
    namespace: 'a',
    fields: [
      { name: 'g', type: 'c.Geo' },
      { name: 'h', type: ['null', 'c.Geo'], default: null },
    ],
  };
  assert.equal(fingerprint([geo, referencing]), fingerprint([inlined]));
  assert.notEqual(fingerprint([inlined]), fingerprint([{ ...inlined, name: 'F' }]));
  assert.match(fingerprint([inlined]), /^[0-9a-f]{64}$/);
});

test('the generated AdImpression schema parses standalone and fingerprints like itself', () => {
  assert.equal(
    fingerprint([AdImpression.schema]),
    fingerprint([JSON.parse(JSON.stringify(AdImpression.schema))]),
  );
});

test('resolves references depth first, each subject version once, dependencies before dependents', async () => {
  const registry = new MemoryRegistry();
  registry.add('geo', geo);
  const mid = { type: 'record', name: 'Mid', namespace: 'c', fields: [{ name: 'g', type: 'c.Geo' }] };
  registry.add('mid', mid, [{ name: 'c.Geo', subject: 'geo', version: 1 }]);
  const top = {
    type: 'record',
    name: 'Top',
    namespace: 'c',
    fields: [
      { name: 'm', type: 'c.Mid' },
      { name: 'g', type: 'c.Geo' },
    ],
  };
  const id = registry.add('top', top, [
    { name: 'c.Mid', subject: 'mid', version: 1 },
    { name: 'c.Geo', subject: 'geo', version: 1 },
  ]);
  const documents = await resolveReferences(registry, registry.byId.get(id) ?? assert.fail());
  assert.deepEqual(documents, [geo, mid, top]);
  assert.equal(parseResolved(documents).name, 'c.Top');
});

test('a reference to a missing subject version fails naming it', async () => {
  const registry = new MemoryRegistry();
  const id = registry.add('top', { type: 'record', name: 'T', fields: [{ name: 'g', type: 'c.Geo' }] }, [
    { name: 'c.Geo', subject: 'geo', version: 3 },
  ]);
  await assert.rejects(
    resolveReferences(registry, registry.byId.get(id) ?? assert.fail()),
    /c\.Geo points to geo version 3/,
  );
});
