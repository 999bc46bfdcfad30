// The Avro → Parquet mapping, one row per Avro construct, plus the constructs we refuse.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AdClick, AdEngagement, AdImpression } from '@adlake/events';
import { SinkError } from '../../src/errors.ts';
import { formatParquetSchema } from '@adlake/parquet';
import { deriveParquetSchema } from '../../src/format/schema.ts';

const record = (type: unknown, extra: unknown[] = []): unknown => ({
  type: 'record',
  name: 'T',
  namespace: 'com.example',
  fields: [{ name: 'f', type }, ...extra],
});

/** The schema text of field `f` (everything between the message braces). */
function mapped(type: unknown): string {
  return formatParquetSchema(deriveParquetSchema(record(type)))
    .split('\n')
    .slice(1, -1)
    .map((l) => l.slice(2))
    .join('\n');
}

const MAPPING: { avro: string; type: unknown; parquet: string }[] = [
  { avro: 'boolean', type: 'boolean', parquet: 'required boolean f;' },
  { avro: 'int', type: 'int', parquet: 'required int32 f;' },
  { avro: 'long', type: 'long', parquet: 'required int64 f;' },
  { avro: 'float', type: 'float', parquet: 'required float f;' },
  { avro: 'double', type: 'double', parquet: 'required double f;' },
  { avro: 'string', type: 'string', parquet: 'required binary f (STRING);' },
  { avro: 'bytes', type: 'bytes', parquet: 'required binary f;' },
  {
    avro: 'fixed(16)',
    type: { type: 'fixed', name: 'Md5', size: 16 },
    parquet: 'required fixed_len_byte_array(16) f;',
  },
  {
    avro: 'enum',
    type: { type: 'enum', name: 'E', symbols: ['A', 'B'] },
    parquet: 'required binary f (STRING);',
  },
  { avro: 'uuid', type: { type: 'string', logicalType: 'uuid' }, parquet: 'required binary f (STRING);' },
  {
    avro: 'timestamp-millis',
    type: { type: 'long', logicalType: 'timestamp-millis' },
    parquet: 'required int64 f (TIMESTAMP(MILLIS,true));',
  },
  {
    avro: 'timestamp-micros',
    type: { type: 'long', logicalType: 'timestamp-micros' },
    parquet: 'required int64 f (TIMESTAMP(MICROS,true));',
  },
  {
    avro: 'local-timestamp-millis',
    type: { type: 'long', logicalType: 'local-timestamp-millis' },
    parquet: 'required int64 f (TIMESTAMP(MILLIS,false));',
  },
  {
    avro: 'local-timestamp-micros',
    type: { type: 'long', logicalType: 'local-timestamp-micros' },
    parquet: 'required int64 f (TIMESTAMP(MICROS,false));',
  },
  { avro: 'date', type: { type: 'int', logicalType: 'date' }, parquet: 'required int32 f (DATE);' },
  {
    avro: 'time-millis',
    type: { type: 'int', logicalType: 'time-millis' },
    parquet: 'required int32 f (TIME(MILLIS,false));',
  },
  {
    avro: 'time-micros',
    type: { type: 'long', logicalType: 'time-micros' },
    parquet: 'required int64 f (TIME(MICROS,false));',
  },
  {
    avro: 'decimal(18,9) bytes',
    type: { type: 'bytes', logicalType: 'decimal', precision: 18, scale: 9 },
    parquet: 'required fixed_len_byte_array(8) f (DECIMAL(18,9));',
  },
  {
    avro: 'decimal(38,10) bytes',
    type: { type: 'bytes', logicalType: 'decimal', precision: 38, scale: 10 },
    parquet: 'required fixed_len_byte_array(16) f (DECIMAL(38,10));',
  },
  {
    avro: 'decimal(4,2) fixed(5) keeps the fixed size',
    type: { type: 'fixed', name: 'Money', size: 5, logicalType: 'decimal', precision: 4, scale: 2 },
    parquet: 'required fixed_len_byte_array(5) f (DECIMAL(4,2));',
  },
  {
    avro: 'misapplied logical type is the underlying type (spec)',
    type: { type: 'string', logicalType: 'timestamp-millis' },
    parquet: 'required binary f (STRING);',
  },
  {
    avro: 'decimal with scale > precision is plain bytes (spec)',
    type: { type: 'bytes', logicalType: 'decimal', precision: 2, scale: 3 },
    parquet: 'required binary f;',
  },
  { avro: '["null", T] is optional T', type: ['null', 'string'], parquet: 'optional binary f (STRING);' },
  { avro: '[T, "null"] is optional T', type: ['long', 'null'], parquet: 'optional int64 f;' },
  {
    avro: 'record → group',
    type: {
      type: 'record',
      name: 'R',
      fields: [
        { name: 'a', type: 'int' },
        { name: 'b', type: ['null', 'string'] },
      ],
    },
    parquet: 'required group f {\n  required int32 a;\n  optional binary b (STRING);\n}',
  },
  {
    avro: 'nullable record → optional group',
    type: ['null', { type: 'record', name: 'R', fields: [{ name: 'a', type: 'int' }] }],
    parquet: 'optional group f {\n  required int32 a;\n}',
  },
  {
    avro: 'array → 3-level LIST',
    type: { type: 'array', items: 'long' },
    parquet: 'required group f (LIST) {\n  repeated group list {\n    required int64 element;\n  }\n}',
  },
  {
    avro: 'array of nullable → optional element',
    type: { type: 'array', items: ['null', 'int'] },
    parquet: 'required group f (LIST) {\n  repeated group list {\n    optional int32 element;\n  }\n}',
  },
  {
    avro: 'array of records',
    type: { type: 'array', items: { type: 'record', name: 'V', fields: [{ name: 'x', type: 'int' }] } },
    parquet:
      'required group f (LIST) {\n  repeated group list {\n    required group element {\n      required int32 x;\n    }\n  }\n}',
  },
  {
    avro: 'map → MAP with string keys',
    type: { type: 'map', values: 'double' },
    parquet:
      'required group f (MAP) {\n  repeated group key_value {\n    required binary key (STRING);\n    required double value;\n  }\n}',
  },
  {
    avro: 'nullable map',
    type: ['null', { type: 'map', values: 'int' }],
    parquet:
      'optional group f (MAP) {\n  repeated group key_value {\n    required binary key (STRING);\n    required int32 value;\n  }\n}',
  },
  {
    avro: 'union of several non-null branches → group of optional members',
    type: ['null', 'int', 'string'],
    parquet: 'optional group f {\n  optional int32 member0;\n  optional binary member1 (STRING);\n}',
  },
  {
    avro: 'union without null → required group',
    type: ['int', { type: 'record', name: 'P', fields: [{ name: 'x', type: 'int' }] }],
    parquet:
      'required group f {\n  optional int32 member0;\n  optional group member1 {\n    required int32 x;\n  }\n}',
  },
];

describe('deriveParquetSchema: Avro type mapping', () => {
  for (const row of MAPPING) {
    it(row.avro, () => assert.equal(mapped(row.type), row.parquet));
  }

  it('computes definition and repetition levels per leaf column', () => {
    const s = deriveParquetSchema(
      record([
        'null',
        {
          type: 'array',
          items: { type: 'record', name: 'V', fields: [{ name: 'x', type: ['null', 'int'] }] },
        },
      ]),
    );
    assert.deepEqual(
      s.columns.map((c) => [c.path.join('.'), c.maxDefinitionLevel, c.maxRepetitionLevel]),
      [['f.list.element.x', 3, 1]],
    );
  });

  it('resolves named types by full name across namespaces and by short name within one', () => {
    const s = deriveParquetSchema({
      type: 'record',
      name: 'Outer',
      namespace: 'a.b',
      fields: [
        { name: 'x', type: { type: 'fixed', name: 'H', namespace: 'c', size: 2 } },
        { name: 'y', type: 'c.H' },
        { name: 'z', type: { type: 'enum', name: 'E', symbols: ['A'] } },
        { name: 'w', type: 'E' },
      ],
    });
    assert.deepEqual(
      s.fields.map((f) => [f.name, f.type, f.typeLength]),
      [
        ['x', 'FIXED_LEN_BYTE_ARRAY', 2],
        ['y', 'FIXED_LEN_BYTE_ARRAY', 2],
        ['z', 'BYTE_ARRAY', undefined],
        ['w', 'BYTE_ARRAY', undefined],
      ],
    );
  });

  it('appends the lineage columns when asked', () => {
    const s = deriveParquetSchema(record('int'), { lineage: true });
    assert.equal(
      formatParquetSchema(s),
      [
        'message com.example.T {',
        '  required int32 f;',
        '  required binary _kafka_topic (STRING);',
        '  required int32 _kafka_partition;',
        '  required int64 _kafka_offset;',
        '  optional int64 _kafka_timestamp (TIMESTAMP(MILLIS,true));',
        '}',
      ].join('\n'),
    );
    assert.equal(deriveParquetSchema(record('int')).columns.length, 1);
  });

  it('accepts the schema as JSON text', () => {
    assert.equal(deriveParquetSchema(JSON.stringify(record('int'))).columns.length, 1);
  });

  for (const event of [AdImpression, AdClick, AdEngagement]) {
    it(`maps the real ${event.fullname ?? event.subject} schema`, () => {
      const s = deriveParquetSchema(event.schema, { lineage: true });
      assert.equal(s.name, event.fullname);
      assert.ok(s.columns.length > 20);
      const device = s.fields.find((f) => f.name === 'device');
      assert.equal(device?.children?.find((c) => c.name === 'ip_hash')?.type, 'FIXED_LEN_BYTE_ARRAY');
    });
  }
});

const REFUSED: { name: string; schema: unknown; field: string; message: RegExp }[] = [
  {
    name: 'a recursive record',
    schema: {
      type: 'record',
      name: 'Node',
      fields: [{ name: 'children', type: { type: 'array', items: 'Node' } }],
    },
    field: 'children[]',
    message: /recursive type Node/,
  },
  {
    name: 'a recursive record behind a nullable union',
    schema: record(['null', { type: 'record', name: 'L', fields: [{ name: 'next', type: ['null', 'L'] }] }]),
    field: 'f.next',
    message: /recursive type com\.example\.L/,
  },
  {
    name: 'a field of type null',
    schema: record('null'),
    field: 'f',
    message: /"null" has no Parquet column type/,
  },
  { name: 'a union of only null', schema: record(['null']), field: 'f', message: /union of only "null"/ },
  {
    name: 'a record without fields',
    schema: record({ type: 'record', name: 'Empty', fields: [] }),
    field: 'f',
    message: /has no fields/,
  },
  {
    name: 'an unknown type name',
    schema: record('com.example.Missing'),
    field: 'f',
    message: /Unknown named type "com\.example\.Missing"/,
  },
  {
    name: 'a top-level schema that is not a record',
    schema: { type: 'array', items: 'int' },
    field: '',
    message: /must be a record/,
  },
  {
    name: 'a field named like a lineage column',
    schema: record('int', [{ name: '_kafka_offset', type: 'long' }]),
    field: '_kafka_offset',
    message: /collides with the lineage column/,
  },
  {
    name: 'a fixed of size 0',
    schema: record({ type: 'fixed', name: 'Z', size: 0 }),
    field: 'f',
    message: /size 0/,
  },
];

describe('deriveParquetSchema: unsupported constructs', () => {
  for (const row of REFUSED) {
    it(`refuses ${row.name} with SCHEMA_UNSUPPORTED and the field path`, () => {
      assert.throws(
        () => deriveParquetSchema(row.schema, { lineage: true }),
        (error: unknown) => {
          assert.ok(error instanceof SinkError);
          assert.equal(error.code, 'SCHEMA_UNSUPPORTED');
          assert.equal(error.retriable, false);
          assert.equal(error.context.field, row.field);
          assert.match(error.message, row.message);
          return true;
        },
      );
    });
  }
});
