import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AdClick } from '@adlake/events';
import { SdkError } from '../src/errors.ts';
import { SchemaIdCache } from '../src/schema-ids.ts';
import { MemoryRegistry } from './fakes.ts';

const placement = {
  type: 'enum',
  name: 'Placement',
  namespace: 'com.acme.adserver.common',
  symbols: ['A', 'B'],
};
const inlined = {
  type: 'record',
  name: 'Ev',
  namespace: 'com.acme',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'p', type: placement },
  ],
};
const referencing = {
  type: 'record',
  name: 'Ev',
  namespace: 'com.acme',
  doc: 'registered text differs',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'p', type: 'com.acme.adserver.common.Placement' },
  ],
};
const cls = { ...AdClick, subject: 'ev-value', schema: inlined, fullname: 'com.acme.Ev' } as typeof AdClick;

test('pinned ids need no registry request', async () => {
  const registry = new MemoryRegistry();
  const ids = new SchemaIdCache(registry, { pinned: [[cls, 42]] });
  assert.equal(ids.get(cls), 42);
  assert.equal(await ids.resolve(cls), 42);
  assert.equal(ids.source(cls), 'pinned');
  assert.deepEqual(registry.calls, []);
});

test('an exact lookup is cached, and concurrent first calls share one request', async () => {
  const registry = new MemoryRegistry();
  const id = registry.add('ev-value', inlined);
  const ids = new SchemaIdCache(registry);
  assert.equal(ids.get(cls), undefined);
  assert.deepEqual(await Promise.all([ids.resolve(cls), ids.resolve(cls), ids.resolve(cls)]), [id, id, id]);
  assert.equal(await ids.resolve(cls), id);
  assert.equal(ids.get(cls), id);
  assert.equal(ids.source(cls), 'lookup');
  assert.deepEqual(registry.calls, ['lookup ev-value']);
});

test('a schema registered with references is matched by canonical fingerprint, newest version first', async () => {
  const registry = new MemoryRegistry();
  registry.add('placement', placement);
  registry.add('ev-value', { ...referencing, fields: [referencing.fields[0]] }); // v1: another schema
  const id = registry.add('ev-value', referencing, [
    { name: 'com.acme.adserver.common.Placement', subject: 'placement', version: 1 },
  ]);
  const ids = new SchemaIdCache(registry);
  assert.equal(await ids.resolve(cls), id);
  assert.equal(ids.source(cls), 'fingerprint');
  assert.deepEqual(registry.calls, [
    'lookup ev-value',
    'versions ev-value',
    'version ev-value 2',
    'version placement 1',
  ]);
});

test('not registered: names subject and fingerprint, says how to register, is not cached', async () => {
  const registry = new MemoryRegistry();
  registry.add('ev-value', { type: 'record', name: 'Other', fields: [] });
  const ids = new SchemaIdCache(registry);
  await assert.rejects(ids.resolve(cls), (error: unknown) => {
    assert.ok(error instanceof SdkError);
    assert.equal(error.code, 'SCHEMA_NOT_REGISTERED');
    assert.equal(error.retriable, false);
    assert.equal(error.context.subject, 'ev-value');
    assert.match(error.context.fingerprint ?? '', /^[0-9a-f]{64}$/);
    assert.match(
      error.message,
      /not registered under subject ev-value .*none of versions 1 matches.*avro-gov register.*schemaIds.*autoRegister: true/s,
    );
    return true;
  });
  const id = registry.add('ev-value', inlined);
  assert.equal(await ids.resolve(cls), id, 'a later registration is found: failures are not cached');
});

test('autoRegister registers a missing schema (opt-in only)', async () => {
  const registry = new MemoryRegistry();
  const ids = new SchemaIdCache(registry, { autoRegister: true });
  const id = await ids.resolve(cls);
  assert.equal(ids.source(cls), 'registered');
  assert.equal(registry.byId.get(id)?.schema, JSON.stringify(inlined));
});

test('a registry outage is retriable and not cached', async () => {
  const registry = new MemoryRegistry();
  const id = registry.add('ev-value', inlined);
  let fail = true;
  const flaky = Object.assign(Object.create(registry) as MemoryRegistry, {
    lookup: async (subject: string, schema: string) => {
      if (fail) throw new SdkError('REGISTRY_UNAVAILABLE', 'down', { retriable: true });
      return registry.lookup(subject, schema);
    },
  });
  const ids = new SchemaIdCache(flaky);
  await assert.rejects(ids.resolve(cls), { code: 'REGISTRY_UNAVAILABLE', retriable: true });
  fail = false;
  assert.equal(await ids.resolve(cls), id);
});

test('rejects a pinned id that is not a non-negative integer', () => {
  assert.throws(
    () => new SchemaIdCache(new MemoryRegistry(), { pinned: [[cls, -1]] }),
    /\/options\/schemaIds/,
  );
});
