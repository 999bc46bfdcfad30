// Files written by createParquetFileWriter, read back by an independent engine (DuckDB) from a
// topic=<t>/dt=<day>/ layout with hive partitioning: types as DuckDB reports them and exact values.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AdClick, AdEngagement, AdImpression } from '@adlake/events';
import { SinkError } from '../../src/errors.ts';
import { hiveCreateTable } from '../../src/format/hive.ts';
import { createParquetFileWriter } from '../../src/format/record-writer.ts';
import type { ParquetWriterOptions } from '../../src/format/record-writer.ts';
import { openLake } from './duckdb.ts';
import type { Lake, Row } from './duckdb.ts';
import { randomValueFactory } from './fixtures.ts';

let lake: Lake;
before(async () => {
  lake = await openLake();
});
after(() => lake.close());

let topicSeq = 0;
const uniqueTopic = (name: string): string => `t${++topicSeq}.${name.replace(/[^a-z0-9]/gi, '_')}`;

function writeFile(
  avroSchema: unknown,
  values: readonly unknown[],
  options: Partial<ParquetWriterOptions> = {},
): Uint8Array {
  const w = createParquetFileWriter({ avroSchema, ...options });
  values.forEach((v, i) =>
    w.append(v, { topic: 'ignored', partition: 0, offset: i, timestamp: 1_795_000_000_000 + i }),
  );
  return w.finish();
}

const single = (type: unknown): unknown => ({
  type: 'record',
  name: 'T',
  namespace: 'com.example',
  fields: [{ name: 'col', type }],
});

interface TypeCase {
  name: string;
  type: unknown;
  values: unknown[];
  /** DuckDB's DESCRIBE of the column. */
  duckdb: string;
  /** SQL over the column `col`, one output per value, in order. */
  select?: string;
  expected: unknown[];
  representation?: 'number' | 'bigint' | 'lossless';
}

const TYPES: TypeCase[] = [
  { name: 'boolean', type: 'boolean', values: [true, false], duckdb: 'BOOLEAN', expected: [true, false] },
  {
    name: 'int',
    type: 'int',
    values: [0, -2147483648, 2147483647],
    duckdb: 'INTEGER',
    expected: [0, -2147483648, 2147483647],
  },
  {
    name: 'long (number)',
    type: 'long',
    values: [0, 9007199254740990, -9007199254740990, 4294967296, -4294967297],
    duckdb: 'BIGINT',
    expected: ['0', '9007199254740990', '-9007199254740990', '4294967296', '-4294967297'],
  },
  {
    name: 'long (bigint, full 64-bit range)',
    type: 'long',
    representation: 'bigint',
    values: [2n ** 63n - 1n, -(2n ** 63n), 5n],
    duckdb: 'BIGINT',
    expected: ['9223372036854775807', '-9223372036854775808', '5'],
  },
  { name: 'float', type: 'float', values: [1.5, -0.25], duckdb: 'FLOAT', expected: [1.5, -0.25] },
  {
    name: 'double',
    type: 'double',
    values: [Math.PI, -1e300],
    duckdb: 'DOUBLE',
    expected: [Math.PI, -1e300],
  },
  {
    name: 'string (UTF-8, empty, long)',
    type: 'string',
    values: ['', 'héllo ✓ 🎧', 'x'.repeat(5000)],
    duckdb: 'VARCHAR',
    expected: ['', 'héllo ✓ 🎧', 'x'.repeat(5000)],
  },
  {
    name: 'bytes',
    type: 'bytes',
    values: [Buffer.from([0, 1, 255]), Buffer.alloc(0)],
    duckdb: 'BLOB',
    select: 'hex(col)',
    expected: ['0001FF', ''],
  },
  {
    name: 'fixed',
    type: { type: 'fixed', name: 'Four', size: 4 },
    values: [Buffer.from('deadbeef', 'hex')],
    duckdb: 'BLOB',
    select: 'hex(col)',
    expected: ['DEADBEEF'],
  },
  {
    name: 'nullable fixed (Device.ip_hash shape)',
    type: ['null', { type: 'fixed', name: 'Sha', size: 32 }],
    values: [Buffer.alloc(32, 0xab), null],
    duckdb: 'BLOB',
    select: 'hex(col)',
    expected: ['AB'.repeat(32), null],
  },
  {
    name: 'enum',
    type: { type: 'enum', name: 'E', symbols: ['PHONE', 'TABLET'] },
    values: ['TABLET', 'PHONE'],
    duckdb: 'VARCHAR',
    expected: ['TABLET', 'PHONE'],
  },
  {
    name: 'uuid',
    type: { type: 'string', logicalType: 'uuid' },
    values: ['6f1c2a3e-8b0d-4c55-9e7a-0123456789ab'],
    duckdb: 'VARCHAR',
    expected: ['6f1c2a3e-8b0d-4c55-9e7a-0123456789ab'],
  },
  {
    name: 'timestamp-millis (Date)',
    type: { type: 'long', logicalType: 'timestamp-millis' },
    values: [new Date('2026-11-23T12:34:56.789Z'), new Date(0), new Date(-1)],
    duckdb: 'TIMESTAMP WITH TIME ZONE',
    select: 'epoch_ms(col)',
    expected: ['1795437296789', '0', '-1'],
  },
  {
    name: 'timestamp-millis as text',
    type: { type: 'long', logicalType: 'timestamp-millis' },
    values: [new Date('2026-11-23T12:34:56.789Z')],
    duckdb: 'TIMESTAMP WITH TIME ZONE',
    select: 'col::VARCHAR',
    expected: ['2026-11-23 12:34:56.789+00'],
  },
  {
    name: 'timestamp-micros',
    type: { type: 'long', logicalType: 'timestamp-micros' },
    values: [1700000000123456],
    duckdb: 'TIMESTAMP WITH TIME ZONE',
    select: 'epoch_us(col)',
    expected: ['1700000000123456'],
  },
  {
    name: 'local-timestamp-millis',
    type: { type: 'long', logicalType: 'local-timestamp-millis' },
    values: [1700000000123],
    duckdb: 'TIMESTAMP',
    select: 'col::VARCHAR',
    expected: ['2023-11-14 22:13:20.123'],
  },
  {
    name: 'date (Date at UTC midnight)',
    type: { type: 'int', logicalType: 'date' },
    values: [new Date(Date.UTC(2026, 10, 23)), new Date(-86_400_000), new Date(0)],
    duckdb: 'DATE',
    select: 'col::VARCHAR',
    expected: ['2026-11-23', '1969-12-31', '1970-01-01'],
  },
  {
    name: 'time-millis',
    type: { type: 'int', logicalType: 'time-millis' },
    values: [45296789],
    duckdb: 'TIME',
    select: 'col::VARCHAR',
    expected: ['12:34:56.789'],
  },
  {
    name: 'time-micros',
    type: { type: 'long', logicalType: 'time-micros' },
    values: [45296789123],
    duckdb: 'TIME',
    select: 'col::VARCHAR',
    expected: ['12:34:56.789123'],
  },
  {
    name: 'decimal(18,9) as avsc text',
    type: ['null', { type: 'bytes', logicalType: 'decimal', precision: 18, scale: 9 }],
    values: [
      '12.300000000',
      '-0.000000001',
      '999999999.999999999',
      '-999999999.999999999',
      '0.000000000',
      null,
      '1.5',
    ],
    duckdb: 'DECIMAL(18,9)',
    select: 'col::VARCHAR',
    expected: [
      '12.300000000',
      '-0.000000001',
      '999999999.999999999',
      '-999999999.999999999',
      '0.000000000',
      null,
      '1.500000000',
    ],
  },
  {
    name: 'decimal(38,10) beyond 2^53 (bigint path)',
    type: { type: 'bytes', logicalType: 'decimal', precision: 38, scale: 10 },
    values: ['1234567890123456789012345678.0123456789', '-1.5', '-9999999999999999999999999999.9999999999'],
    duckdb: 'DECIMAL(38,10)',
    select: 'col::VARCHAR',
    expected: [
      '1234567890123456789012345678.0123456789',
      '-1.5000000000',
      '-9999999999999999999999999999.9999999999',
    ],
  },
  {
    name: 'decimal on fixed(5)',
    type: { type: 'fixed', name: 'Money', size: 5, logicalType: 'decimal', precision: 10, scale: 2 },
    values: ['-12345678.90', '0.01'],
    duckdb: 'DECIMAL(10,2)',
    select: 'col::VARCHAR',
    expected: ['-12345678.90', '0.01'],
  },
  {
    name: "decimal as raw two's complement bytes (avsc without logical types)",
    type: { type: 'bytes', logicalType: 'decimal', precision: 9, scale: 2 },
    values: [Buffer.from([0xff, 0x85]), Buffer.from([0x04, 0xd2])],
    duckdb: 'DECIMAL(9,2)',
    select: 'col::VARCHAR',
    expected: ['-1.23', '12.34'],
  },
  {
    name: 'nullable string, null first or last',
    type: ['string', 'null'],
    values: ['a', null, ''],
    duckdb: 'VARCHAR',
    expected: ['a', null, ''],
  },
  {
    name: 'nested records with an optional record inside',
    type: {
      type: 'record',
      name: 'Inner',
      fields: [
        { name: 'a', type: 'int' },
        {
          name: 'b',
          type: [
            'null',
            {
              type: 'record',
              name: 'Deep',
              fields: [
                { name: 'c', type: 'string' },
                { name: 'd', type: ['null', 'long'] },
              ],
            },
          ],
        },
      ],
    },
    values: [
      { a: 1, b: { c: 'x', d: 7 } },
      { a: 2, b: null },
      { a: 3, b: { c: 'y', d: null } },
    ],
    duckdb: 'STRUCT(a INTEGER, b STRUCT(c VARCHAR, d BIGINT))',
    select: '[col.a::VARCHAR, col.b.c, col.b.d::VARCHAR, (col.b IS NULL)::VARCHAR]',
    expected: [
      ['1', 'x', '7', 'false'],
      ['2', null, null, 'true'],
      ['3', 'y', null, 'false'],
    ],
  },
  {
    name: 'array of longs (empty, one, many)',
    type: { type: 'array', items: 'long' },
    values: [[1, 2, 3], [], [7]],
    duckdb: 'BIGINT[]',
    select: 'col::VARCHAR',
    expected: ['[1, 2, 3]', '[]', '[7]'],
  },
  {
    name: 'array of records (viewability shape)',
    type: {
      type: 'array',
      items: {
        type: 'record',
        name: 'V',
        fields: [
          { name: 'x', type: 'int' },
          { name: 'vendor', type: ['null', 'string'] },
        ],
      },
    },
    values: [
      [
        { x: 1, vendor: 'a' },
        { x: 2, vendor: null },
      ],
      [],
      [{ x: 3, vendor: 'c' }],
    ],
    duckdb: 'STRUCT(x INTEGER, vendor VARCHAR)[]',
    select: '[len(col)::VARCHAR, col[1].x::VARCHAR, col[2].vendor, col[2].x::VARCHAR]',
    expected: [
      ['2', '1', null, '2'],
      ['0', null, null, null],
      ['1', '3', null, null],
    ],
  },
  {
    name: 'array of nullable ints',
    type: { type: 'array', items: ['null', 'int'] },
    values: [[1, null, 3], [null]],
    duckdb: 'INTEGER[]',
    select: 'col::VARCHAR',
    expected: ['[1, NULL, 3]', '[NULL]'],
  },
  {
    name: 'array of arrays',
    type: { type: 'array', items: { type: 'array', items: 'int' } },
    values: [[[1], [2, 3]], [[]], [], [[4, 5, 6], [], [7]]],
    duckdb: 'INTEGER[][]',
    select: 'col::VARCHAR',
    expected: ['[[1], [2, 3]]', '[[]]', '[]', '[[4, 5, 6], [], [7]]'],
  },
  {
    name: 'nullable array: null is not empty',
    type: ['null', { type: 'array', items: 'int' }],
    values: [null, [], [1]],
    duckdb: 'INTEGER[]',
    select: "coalesce(col::VARCHAR, 'NULL')",
    expected: ['NULL', '[]', '[1]'],
  },
  {
    name: 'map of strings: lookups by key',
    type: { type: 'map', values: 'string' },
    values: [{ genre: 'jazz', station_id: '42' }, {}, { genre: 'rock' }],
    duckdb: 'MAP(VARCHAR, VARCHAR)',
    select: "[col['genre'], col['station_id'], cardinality(col)::VARCHAR]",
    expected: [
      ['jazz', '42', '2'],
      [null, null, '0'],
      ['rock', null, '1'],
    ],
  },
  {
    name: 'map of arrays',
    type: { type: 'map', values: { type: 'array', items: 'int' } },
    values: [{ k: [1, 2] }, { z: [], y: [3] }],
    duckdb: 'MAP(VARCHAR, INTEGER[])',
    select: 'col::VARCHAR',
    expected: ['{k=[1, 2]}', '{z=[], y=[3]}'],
  },
  {
    name: 'nullable map of nullable values',
    type: ['null', { type: 'map', values: ['null', 'double'] }],
    values: [null, { a: 1.5, b: null }],
    duckdb: 'MAP(VARCHAR, DOUBLE)',
    select: "coalesce(col::VARCHAR, 'NULL')",
    expected: ['NULL', '{a=1.5, b=NULL}'],
  },
  {
    name: 'union of null, int and string (unwrapped) → member0/member1',
    type: ['null', 'int', 'string'],
    values: [1, 'a', null],
    duckdb: 'STRUCT(member0 INTEGER, member1 VARCHAR)',
    select: "coalesce(col::VARCHAR, 'NULL')",
    expected: ["{'member0': 1, 'member1': NULL}", "{'member0': NULL, 'member1': a}", 'NULL'],
  },
  {
    name: 'ambiguous union int|long (wrapped by avsc)',
    type: ['int', 'long'],
    values: [{ int: 1 }, { long: 2 }],
    duckdb: 'STRUCT(member0 INTEGER, member1 BIGINT)',
    select: 'col::VARCHAR',
    expected: ["{'member0': 1, 'member1': NULL}", "{'member0': NULL, 'member1': 2}"],
  },
  {
    name: 'union of two records (wrapped by full name)',
    type: [
      'null',
      { type: 'record', name: 'Click', fields: [{ name: 'x', type: 'int' }] },
      { type: 'record', name: 'View', fields: [{ name: 'ms', type: 'long' }] },
    ],
    values: [{ 'com.example.Click': { x: 5 } }, { 'com.example.View': { ms: 9 } }, null],
    duckdb: 'STRUCT(member0 STRUCT(x INTEGER), member1 STRUCT(ms BIGINT))',
    select: "coalesce(col::VARCHAR, 'NULL')",
    expected: ["{'member0': {'x': 5}, 'member1': NULL}", "{'member0': NULL, 'member1': {'ms': 9}}", 'NULL'],
  },
];

describe('createParquetFileWriter: every Avro type read back by DuckDB', () => {
  for (const c of TYPES) {
    it(c.name, async () => {
      const topic = uniqueTopic(c.name);
      const bytes = writeFile(
        single(c.type),
        c.values.map((col) => ({ col })),
        c.representation === undefined ? {} : { values: c.representation },
      );
      lake.put(topic, '2026-11-23', 'part-0.parquet', bytes);
      const described = await lake.query(`DESCRIBE SELECT col FROM ${lake.table(topic)}`);
      assert.equal(described[0]?.['column_type'], c.duckdb);
      const rows = await lake.query(
        `SELECT ${c.select ?? 'col'} AS v FROM ${lake.table(topic)} ORDER BY _kafka_offset`,
      );
      assert.deepEqual(
        rows.map((r) => r['v']),
        c.expected,
      );
    });
  }
});

describe('createParquetFileWriter: timestamps as INT96 for Hive 2/3 (timestamps: int96)', () => {
  const schema = {
    type: 'record',
    name: 'T',
    namespace: 'com.example',
    fields: [
      { name: 'ms', type: { type: 'long', logicalType: 'timestamp-millis' } },
      { name: 'us', type: { type: 'long', logicalType: 'timestamp-micros' } },
      {
        name: 'nested',
        type: {
          type: 'array',
          items: {
            type: 'record',
            name: 'M',
            fields: [{ name: 'at', type: ['null', { type: 'long', logicalType: 'timestamp-millis' }] }],
          },
        },
      },
    ],
  };
  // Instants on both sides of the epoch and of midnight, and beyond a double's exact microseconds.
  const cases: Array<{ ms: number | bigint; us: number | bigint; at: number | null }> = [
    { ms: 0, us: 0, at: null },
    { ms: -1, us: -1, at: 1 },
    { ms: 1_795_437_296_789, us: 1_795_437_296_789_123, at: -86_400_001 },
    { ms: 946_684_800_000, us: 9_007_199_254_740_993n, at: 946_684_799_999 },
    { ms: -62_135_596_800_000, us: -62_135_596_800_000_001n, at: 253_402_300_799_999 },
  ];

  it('stores every timestamp column, top-level, nested and lineage, as INT96 with no logical type', () => {
    const w = createParquetFileWriter({ avroSchema: schema, timestamps: 'int96', values: 'lossless' });
    const leaves = w.schema.columns.map((c) => `${c.path.join('.')} ${c.type} ${c.logicalType?.type ?? '-'}`);
    assert.deepEqual(
      leaves.filter((l) => / (INT96|INT64) /.test(l)),
      [
        'ms INT96 -',
        'us INT96 -',
        'nested.list.element.at INT96 -',
        '_kafka_offset INT64 -',
        '_kafka_timestamp INT96 -',
      ],
    );
  });

  it('DuckDB reads back every instant exactly, at microsecond precision', async () => {
    const topic = uniqueTopic('int96');
    const w = createParquetFileWriter({ avroSchema: schema, timestamps: 'int96', values: 'lossless' });
    cases.forEach((c, i) =>
      w.append(
        { ms: c.ms, us: c.us, nested: [{ at: c.at }] },
        { topic, partition: 0, offset: i, timestamp: i === 0 ? null : 1_795_000_000_000 + i },
      ),
    );
    const path = lake.put(topic, '2026-11-23', 'part-0.parquet', w.finish());
    const types = await lake.query(`DESCRIBE SELECT ms, us, _kafka_timestamp FROM ${lake.table(topic)}`);
    assert.deepEqual(
      types.map((t) => t['column_type']),
      ['TIMESTAMP', 'TIMESTAMP', 'TIMESTAMP'],
    );
    const rows = await lake.query(
      `SELECT epoch_us(ms)::VARCHAR AS ms, epoch_us(us)::VARCHAR AS us,
              epoch_us(nested[1].at)::VARCHAR AS at, epoch_ms(_kafka_timestamp)::VARCHAR AS kt
       FROM ${lake.table(topic)} ORDER BY _kafka_offset`,
    );
    assert.deepEqual(
      rows,
      cases.map((c, i) => ({
        ms: String(BigInt(c.ms) * 1000n),
        us: String(c.us),
        at: c.at === null ? null : String(BigInt(c.at) * 1000n),
        kt: i === 0 ? null : String(1_795_000_000_000 + i),
      })),
    );
    // INT96 has no defined sort order: no min/max a reader might trust.
    const stats = await lake.query(
      `SELECT stats_min_value AS min FROM parquet_metadata('${path}') WHERE path_in_schema = 'ms'`,
    );
    assert.deepEqual(stats, [{ min: null }]);
  });

  it('the Hive DDL types INT96 columns as TIMESTAMP, as it does INT64 timestamps', () => {
    const ddl = (timestamps: 'int64' | 'int96'): string =>
      hiveCreateTable(schema, { topic: 't', root: '/lake', timestamps });
    assert.equal(ddl('int96'), ddl('int64'));
    assert.match(
      ddl('int96'),
      /`ms` TIMESTAMP,\n {2}`us` TIMESTAMP,\n {2}`nested` ARRAY<STRUCT<`at`:TIMESTAMP>>/,
    );
  });
});

describe('createParquetFileWriter: lineage and hive partitioning', () => {
  it('writes topic, partition, offset and Kafka timestamp, next to the dt/topic partition columns', async () => {
    const schema = single('int');
    const w = createParquetFileWriter({ avroSchema: schema });
    w.append(
      { col: 1 },
      {
        topic: 'adserver.impressions',
        partition: 7,
        offset: 9007199254740991,
        timestamp: 1_795_437_296_789,
      },
    );
    w.append({ col: 2 }, { topic: 'adserver.impressions', partition: 7, offset: 12, timestamp: -1 });
    w.append({ col: 3 }, { topic: 'adserver.impressions', partition: 7, offset: 13, timestamp: null });
    lake.put('adserver.impressions', '2026-11-23', 'adserver.impressions+7+0+13.parquet', w.finish());
    const w2 = createParquetFileWriter({ avroSchema: schema });
    w2.append({ col: 4 }, { topic: 'adserver.impressions', partition: 1, offset: 0, timestamp: 0 });
    lake.put('adserver.impressions', '2026-11-24', 'adserver.impressions+1+0+0.parquet', w2.finish());

    const described = await lake.query(`DESCRIBE SELECT * FROM ${lake.table('adserver.impressions')}`);
    assert.deepEqual(
      described.map((d) => [d['column_name'], d['column_type']]),
      [
        ['col', 'INTEGER'],
        ['_kafka_topic', 'VARCHAR'],
        ['_kafka_partition', 'INTEGER'],
        ['_kafka_offset', 'BIGINT'],
        ['_kafka_timestamp', 'TIMESTAMP WITH TIME ZONE'],
        ['dt', 'DATE'],
        ['topic', 'VARCHAR'],
      ],
    );
    const rows = await lake.query(
      `SELECT col, _kafka_topic, _kafka_partition, _kafka_offset, epoch_ms(_kafka_timestamp) AS ts, dt::VARCHAR AS dt, topic
       FROM ${lake.table('adserver.impressions')} ORDER BY col`,
    );
    assert.deepEqual(rows, [
      {
        col: 1,
        _kafka_topic: 'adserver.impressions',
        _kafka_partition: 7,
        _kafka_offset: '9007199254740991',
        ts: '1795437296789',
        dt: '2026-11-23',
        topic: 'adserver.impressions',
      },
      {
        col: 2,
        _kafka_topic: 'adserver.impressions',
        _kafka_partition: 7,
        _kafka_offset: '12',
        ts: null,
        dt: '2026-11-23',
        topic: 'adserver.impressions',
      },
      {
        col: 3,
        _kafka_topic: 'adserver.impressions',
        _kafka_partition: 7,
        _kafka_offset: '13',
        ts: null,
        dt: '2026-11-23',
        topic: 'adserver.impressions',
      },
      {
        col: 4,
        _kafka_topic: 'adserver.impressions',
        _kafka_partition: 1,
        _kafka_offset: '0',
        ts: '0',
        dt: '2026-11-24',
        topic: 'adserver.impressions',
      },
    ]);
  });

  it('leaves lineage out when lineage: false', async () => {
    const topic = uniqueTopic('nolineage');
    const w = createParquetFileWriter({ avroSchema: single('int'), lineage: false });
    w.append({ col: 1 });
    lake.put(topic, '2026-11-23', 'f.parquet', w.finish());
    const described = await lake.query(`DESCRIBE SELECT * FROM ${lake.table(topic)}`);
    assert.deepEqual(
      described.map((d) => d['column_name']),
      ['col', 'dt', 'topic'],
    );
  });
});

/** What DuckDB should return for one event, computed from the avsc value. */
function expectedProjection(v: Record<string, unknown>): Row {
  const device = v['device'] as Record<string, unknown>;
  const geo = v['geo'] as Record<string, unknown> | null;
  const attributes = v['attributes'] as Record<string, string>;
  const segments = v['segment_ids'] as number[];
  const hex = (b: unknown): string | null =>
    b === null ? null : (b as Buffer).toString('hex').toUpperCase();
  const keys = Object.keys(attributes);
  return {
    event_id: v['event_id'],
    event_time: String((v['event_time'] as Date).getTime()),
    request_id: v['request_id'],
    ad_id: String(v['ad_id']),
    placement: v['placement'],
    device_type: device['device_type'],
    os: device['os'],
    os_version: device['os_version'],
    advertising_id: device['advertising_id'],
    ip_hash: hex(device['ip_hash']),
    limit_ad_tracking: device['limit_ad_tracking'],
    geo_null: geo === null,
    country: geo === null ? null : geo['country'],
    city: geo === null ? null : geo['city'],
    dma_code: geo === null ? null : geo['dma_code'],
    latitude: geo === null ? null : geo['latitude'],
    currency: v['currency'],
    segment_ids: `[${segments.join(', ')}]`,
    attribute_count: String(keys.length),
    first_attribute: keys.length === 0 ? null : attributes[keys[0] as string],
    is_test: v['is_test'],
  };
}

const PROJECTION = `event_id, epoch_ms(event_time)::VARCHAR AS event_time, request_id, ad_id::VARCHAR AS ad_id, placement,
  device.device_type AS device_type, device.os AS os, device.os_version AS os_version,
  device.advertising_id AS advertising_id, hex(device.ip_hash) AS ip_hash, device.limit_ad_tracking AS limit_ad_tracking,
  geo IS NULL AS geo_null, geo.country AS country, geo.city AS city, geo.dma_code AS dma_code, geo.latitude AS latitude,
  currency, segment_ids::VARCHAR AS segment_ids, cardinality(attributes)::VARCHAR AS attribute_count,
  attributes[map_keys(attributes)[1]] AS first_attribute, is_test`;

describe('createParquetFileWriter: real ad events', () => {
  for (const [event, topic] of [
    [AdImpression, 'adserver.impressions'],
    [AdClick, 'adserver.clicks'],
    [AdEngagement, 'adserver.engagements'],
  ] as const) {
    it(`writes ${event.subject} events from random valid values and reads every field back`, async () => {
      const gen = randomValueFactory(event.schema, 11);
      const values = Array.from(
        { length: 3000 },
        () => event.decode(event.encode(gen() as never)) as unknown as Record<string, unknown>,
      );
      const t = uniqueTopic(topic);
      // Small pages and row groups: many pages per column chunk, including repeated columns.
      const bytes = writeFile(event.schema, values, { rowGroupRows: 1000, pageSizeBytes: 2048 });
      lake.put(t, '2026-11-23', 'f.parquet', bytes);
      const rows = await lake.query(`SELECT ${PROJECTION} FROM ${lake.table(t)} ORDER BY _kafka_offset`);
      assert.equal(rows.length, values.length);
      for (let i = 0; i < values.length; i++) {
        assert.deepEqual(rows[i], expectedProjection(values[i] as Record<string, unknown>), `row ${i}`);
      }
    });
  }

  it('reads AdImpression-only fields back exactly: billing_date, decimal, viewability records', async () => {
    const gen = randomValueFactory(AdImpression.schema, 5);
    const values = Array.from({ length: 2000 }, () =>
      AdImpression.decode(AdImpression.encode(gen() as never)),
    );
    const t = uniqueTopic('impression-extra');
    lake.put(t, '2026-11-23', 'f.parquet', writeFile(AdImpression.schema, values, { pageSizeBytes: 4096 }));
    const rows = await lake.query(
      `SELECT billing_date::VARCHAR AS billing_date, fx_rate_to_usd::VARCHAR AS fx, price_micros::VARCHAR AS price,
              [epoch_ms(x.measured_at)::VARCHAR || '/' || x.visible_percent || '/' || x.in_view_ms || '/' || coalesce(x.vendor, '-') FOR x IN viewability] AS v
       FROM ${lake.table(t)} ORDER BY _kafka_offset`,
    );
    const described = await lake.query(
      `DESCRIBE SELECT fx_rate_to_usd, billing_date, viewability FROM ${lake.table(t)}`,
    );
    assert.deepEqual(
      described.map((d) => d['column_type']),
      [
        'DECIMAL(18,9)',
        'DATE',
        'STRUCT(measured_at TIMESTAMP WITH TIME ZONE, visible_percent INTEGER, in_view_ms INTEGER, vendor VARCHAR)[]',
      ],
    );
    values.forEach((v, i) => {
      const viewability = v.viewability.map(
        (x) => `${x.measured_at.getTime()}/${x.visible_percent}/${x.in_view_ms}/${x.vendor ?? '-'}`,
      );
      assert.deepEqual(
        rows[i],
        {
          billing_date: v.billing_date.toISOString().slice(0, 10),
          fx: v.fx_rate_to_usd,
          price: String(v.price_micros),
          v: viewability,
        },
        `row ${i}`,
      );
    });
  });
});

describe('createParquetFileWriter: settings visible in the file metadata', () => {
  for (const compression of ['snappy', 'gzip', 'zstd', 'none'] as const) {
    it(`compression ${compression} and row groups of rowGroupRows`, async () => {
      const gen = randomValueFactory(AdClick.schema, 3);
      const values = Array.from({ length: 2500 }, () => AdClick.decode(AdClick.encode(gen() as never)));
      const t = uniqueTopic(`meta-${compression}`);
      const path = lake.put(
        t,
        '2026-11-23',
        'f.parquet',
        writeFile(AdClick.schema, values, { compression, rowGroupRows: 1000 }),
      );
      const meta = await lake.query(
        `SELECT row_group_id, any_value(row_group_num_rows)::INT AS n, list(DISTINCT compression) AS codecs
         FROM parquet_metadata('${path}') GROUP BY row_group_id ORDER BY row_group_id`,
      );
      const codec = compression === 'none' ? 'UNCOMPRESSED' : compression.toUpperCase();
      assert.deepEqual(meta, [
        { row_group_id: '0', n: 1000, codecs: [codec] },
        { row_group_id: '1', n: 1000, codecs: [codec] },
        { row_group_id: '2', n: 500, codecs: [codec] },
      ]);
      const count = await lake.query(`SELECT count(*)::INT AS n FROM ${lake.table(t)}`);
      assert.equal(count[0]?.['n'], 2500);
    });
  }

  it('records min/max statistics DuckDB can use for numeric and timestamp columns', async () => {
    const t = uniqueTopic('stats');
    const schema = {
      type: 'record',
      name: 'S',
      fields: [
        { name: 'ts', type: { type: 'long', logicalType: 'timestamp-millis' } },
        { name: 'n', type: ['null', 'int'] },
        { name: 'd', type: 'double' },
      ],
    };
    const values = [
      { ts: new Date(2000), n: 5, d: 0 },
      { ts: new Date(1000), n: null, d: -2.5 },
      { ts: new Date(3000), n: -7, d: 1.25 },
    ];
    const path = lake.put(t, '2026-11-23', 'f.parquet', writeFile(schema, values));
    const stats = await lake.query(
      `SELECT path_in_schema AS col, stats_min_value AS min, stats_max_value AS max, stats_null_count::INT AS nulls
       FROM parquet_metadata('${path}') WHERE path_in_schema IN ('ts', 'n', 'd') ORDER BY column_id`,
    );
    assert.deepEqual(
      stats.map((s) => [s['col'], s['nulls']]),
      [
        ['ts', 0],
        ['n', 1],
        ['d', 0],
      ],
    );
    assert.match(String(stats[0]?.['min']), /1970-01-01 00:00:01/);
    assert.match(String(stats[0]?.['max']), /1970-01-01 00:00:03/);
    assert.equal(stats[1]?.['min'], '-7');
    assert.equal(stats[1]?.['max'], '5');
    assert.equal(stats[2]?.['min'], '-2.5');
    assert.equal(stats[2]?.['max'], '1.25');
  });

  it('writes a valid file with zero rows', async () => {
    const t = uniqueTopic('empty');
    lake.put(t, '2026-11-23', 'f.parquet', writeFile(AdImpression.schema, []));
    const rows = await lake.query(`SELECT count(*)::INT AS n FROM ${lake.table(t)}`);
    assert.equal(rows[0]?.['n'], 0);
  });
});

describe('createParquetFileWriter: errors and memory', () => {
  it('rejects a value that does not fit with VALUE_INVALID at its field path and keeps the file intact', async () => {
    const schema = {
      type: 'record',
      name: 'R',
      fields: [
        { name: 'a', type: 'int' },
        { name: 'tags', type: { type: 'array', items: 'string' } },
        { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 4, scale: 2 } },
      ],
    };
    const w = createParquetFileWriter({ avroSchema: schema });
    const lin = (
      offset: number,
    ): { topic: string; partition: number; offset: number; timestamp: number } => ({
      topic: 't',
      partition: 0,
      offset,
      timestamp: 0,
    });
    w.append({ a: 1, tags: ['x'], amount: '1.00' }, lin(0));
    const bad: [unknown, string, RegExp][] = [
      [{ a: 2, tags: ['ok', 3], amount: '1.00' }, 'tags[]', /expected string, got number 3/],
      [{ a: 2.5, tags: [], amount: '1.00' }, 'a', /expected int/],
      [{ a: 2, tags: [], amount: '1.005' }, 'amount', /decimal\(4,2\)/],
      [{ a: 2, tags: [], amount: '123.00' }, 'amount', /decimal\(4,2\)/],
      [{ a: 2, tags: null, amount: '1.00' }, 'tags', /an array/],
      [{ a: 2, tags: [] }, 'amount', /required/],
    ];
    for (const [value, field, message] of bad) {
      assert.throws(
        () => w.append(value, lin(1)),
        (e: unknown) =>
          e instanceof SinkError &&
          e.code === 'VALUE_INVALID' &&
          e.context.field === field &&
          message.test(e.message),
      );
    }
    w.append({ a: 3, tags: ['y', 'z'], amount: '-99.99' }, lin(2));
    assert.equal(w.rows, 2);
    const t = uniqueTopic('rollback');
    lake.put(t, '2026-11-23', 'f.parquet', w.finish());
    const rows = await lake.query(
      `SELECT a, tags::VARCHAR AS tags, amount::VARCHAR AS amount FROM ${lake.table(t)} ORDER BY a`,
    );
    assert.deepEqual(rows, [
      { a: 1, tags: '[x]', amount: '1.00' },
      { a: 3, tags: '[y, z]', amount: '-99.99' },
    ]);
  });

  it('validates its options with CONFIG_INVALID naming the key', () => {
    for (const [options, key] of [
      [{ compression: 'lz4' }, 'compression'],
      [{ rowGroupRows: 0 }, 'rowGroupRows'],
      [{ pageSizeBytes: 1.5 }, 'pageSizeBytes'],
    ] as const) {
      assert.throws(
        () => createParquetFileWriter({ avroSchema: single('int'), ...(options as object) }),
        (e: unknown) => e instanceof SinkError && e.code === 'CONFIG_INVALID' && e.context.configKey === key,
      );
    }
  });

  it('refuses use after finish() with WRITER_CLOSED', () => {
    const w = createParquetFileWriter({ avroSchema: single('int'), lineage: false });
    w.finish();
    assert.throws(
      () => w.append({ col: 1 }),
      (e: unknown) => e instanceof SinkError && e.code === 'WRITER_CLOSED',
    );
    assert.throws(
      () => w.finish(),
      (e: unknown) => e instanceof SinkError && e.code === 'WRITER_CLOSED',
    );
  });

  it('estimatedBytes tracks what the writer holds: at least the file so far, at most that plus its page buffers', () => {
    const gen = randomValueFactory(AdImpression.schema, 9);
    const values = Array.from({ length: 500 }, () =>
      AdImpression.decode(AdImpression.encode(gen() as never)),
    );
    const pageSizeBytes = 64 * 1024;
    const w = createParquetFileWriter({ avroSchema: AdImpression.schema, pageSizeBytes, rowGroupRows: 5000 });
    const empty = w.estimatedBytes;
    assert.ok(empty < 256 * 1024, `an empty writer holds ${empty} bytes`);
    for (let i = 0; i < 20_000; i++)
      w.append(values[i % values.length], { topic: 'x', partition: 0, offset: i, timestamp: 0 });
    const estimate = w.estimatedBytes;
    const file = w.finish().length;
    const columns = w.schema.columns.length;
    assert.ok(estimate >= file * 0.9, `estimate ${estimate} vs file ${file}`);
    // Each column buffers at most about one page (its typed arrays grow by doubling).
    assert.ok(
      estimate <= file + columns * 4 * pageSizeBytes + 256 * 1024,
      `estimate ${estimate} vs file ${file}`,
    );
  });
});
