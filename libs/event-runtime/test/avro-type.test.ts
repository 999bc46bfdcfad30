import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { avroTypeOptions, createType } from '../src/avro-type.ts';
import { EventCodecError } from '../src/errors.ts';
import { SUPPORTED_LOGICAL_TYPES } from '../src/logical.ts';

const schema = {
  type: 'record',
  name: 'R',
  fields: [
    { name: 'id', type: { type: 'string', logicalType: 'uuid' } },
    { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'day', type: { type: 'int', logicalType: 'date' } },
    { name: 'price', type: { type: 'bytes', logicalType: 'decimal', precision: 6, scale: 2 } },
    { name: 'n', type: 'long' },
  ],
};
const value = {
  id: '123e4567-e89b-12d3-a456-426614174000',
  at: new Date(1_764_000_000_123),
  day: new Date('2026-01-02T00:00:00Z'),
  price: '-12.30',
  n: -(2 ** 52) - 3,
};

describe('avroTypeOptions', () => {
  it('applies every supported logical type to class values and none to lossless ones', () => {
    assert.deepEqual(Object.keys(avroTypeOptions('number').logicalTypes ?? {}), [...SUPPORTED_LOGICAL_TYPES]);
    assert.deepEqual(Object.keys(avroTypeOptions('bigint').logicalTypes ?? {}), [...SUPPORTED_LOGICAL_TYPES]);
    assert.equal(avroTypeOptions('lossless').logicalTypes, undefined);
    assert.equal(avroTypeOptions().wrapUnions, 'auto');
  });

  it('applies exactly the logical types asked for', () => {
    const options = avroTypeOptions('number', { logicalTypes: ['date', 'decimal'] });
    assert.deepEqual(Object.keys(options.logicalTypes ?? {}), ['date', 'decimal']);
    assert.equal(avroTypeOptions('number', { logicalTypes: [] }).logicalTypes, undefined);
  });
});

describe('createType', () => {
  it('without uuid writes the same bytes and skips only the uuid pattern check', () => {
    const full = createType(schema);
    const noUuid = createType(schema, 'number', { logicalTypes: ['timestamp-millis', 'date', 'decimal'] });
    assert.deepEqual(noUuid.toBuffer(value), full.toBuffer(value));
    assert.equal(full.isValid({ ...value, id: 'not-a-uuid' }), false);
    assert.equal(noUuid.isValid({ ...value, id: 'not-a-uuid' }), true);
    // The other logical types still hold their JavaScript representation.
    assert.equal(noUuid.isValid({ ...value, at: 1 }), false);
    assert.deepEqual((noUuid.fromBuffer(full.toBuffer(value)) as typeof value).at, value.at);
  });

  it('a logical type left out reads as its underlying value, with the exact long code', () => {
    const plain = createType(schema, 'bigint', { logicalTypes: [] });
    const decoded = plain.fromBuffer(createType(schema).toBuffer(value)) as Record<string, unknown>;
    assert.equal(decoded['at'], 1_764_000_000_123n);
    assert.equal(decoded['day'], 20_455);
    assert.deepEqual(decoded['price'], Buffer.from([0xfb, 0x32]));
    assert.equal(decoded['n'], BigInt(value.n));
  });

  it('reports a schema avsc cannot build as INVALID_SCHEMA, avsc’s reason kept as the cause', () => {
    assert.throws(
      () => createType({ type: 'record', name: 'R', fields: [{ name: 'x', type: 'nope' }] }),
      (e: unknown) =>
        e instanceof EventCodecError &&
        e.code === 'INVALID_SCHEMA' &&
        !e.retriable &&
        e.cause instanceof Error &&
        /avsc rejects the schema: .*nope/.test(e.message),
    );
  });
});
