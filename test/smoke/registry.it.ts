// Smoke: @kafkajs/confluent-schema-registry against Apicurio's Confluent-compatible API.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { endpoints, loadStackConfig } from '@adlake/stack';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { uniqueName } from '../support/unique.ts';

const { registryUrl } = endpoints(loadStackConfig());
const registry = new SchemaRegistry({ host: registryUrl });
const subject = uniqueName('smoke-subject');

const v1 = {
  type: 'record',
  name: 'Click',
  namespace: 'adlake.smoke',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'ts', type: 'long' },
  ],
};

after(async () => {
  // Soft then hard delete, as the Confluent API requires; ignore "not found" if the test failed early.
  await fetch(`${registryUrl}/subjects/${subject}`, { method: 'DELETE' });
  await fetch(`${registryUrl}/subjects/${subject}?permanent=true`, { method: 'DELETE' });
});

test('registers an Avro schema and round-trips a record in the Confluent wire format', async () => {
  const { id } = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(v1) }, { subject });
  assert.ok(Number.isInteger(id) && id > 0, `schema id ${id}`);

  const record = { id: 'c-1', ts: 1_700_000_000_000 };
  const encoded = await registry.encode(id, record);
  assert.equal(encoded.readUInt8(0), 0, 'magic byte');
  assert.equal(encoded.readInt32BE(1), id, '4-byte big-endian schema id');
  assert.deepEqual({ ...(await registry.decode(encoded)) }, record);

  assert.equal(await registry.getLatestSchemaId(subject), id);
});

test('accepts a backward-compatible v2 and rejects an incompatible one', async () => {
  const v2 = { ...v1, fields: [...v1.fields, { name: 'campaign', type: 'string', default: '' }] };
  const { id: id2 } = await registry.register(
    { type: SchemaType.AVRO, schema: JSON.stringify(v2) },
    { subject },
  );
  assert.equal(await registry.getLatestSchemaId(subject), id2);

  const broken = { ...v1, fields: [...v1.fields, { name: 'required', type: 'int' }] };
  await assert.rejects(
    registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(broken) }, { subject }),
  );
});
