// The sink writes the SDK's lossless values (longs as numbers or bigints, logical types as their underlying
// values): every valid Avro value, the int64 and int32 extremes included, read back unchanged by DuckDB.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { createParquetFileWriter } from '../../src/format/record-writer.ts';
import { openLake } from './duckdb.ts';
import type { Lake } from './duckdb.ts';

let lake: Lake;
before(async () => {
  lake = await openLake();
});
after(() => lake.close());

const schema = {
  type: 'record',
  name: 'Lossless',
  namespace: 'com.example',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'opt', type: ['null', 'long'] },
    { name: 'either', type: ['null', 'long', 'string'] },
    { name: 'ambiguous', type: ['long', 'double'] },
    { name: 'ts', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'day', type: { type: 'int', logicalType: 'date' } },
    { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 38, scale: 9 } },
    { name: 'ids', type: { type: 'array', items: 'long' } },
  ],
};

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

it('every long, date and decimal extreme lands as it was decoded', async () => {
  const rows = [
    {
      id: INT64_MIN,
      opt: INT64_MAX,
      either: -4503599627370497,
      ambiguous: { long: 2n ** 53n },
      ts: -(2 ** 52) - 1,
      day: 2 ** 31 - 1,
      amount: Buffer.from('80000000000000000000000000000001', 'hex'),
      ids: [Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2n ** 53n, -(2n ** 53n) - 1n],
    },
    {
      id: -9007199254740991,
      opt: null,
      either: 'text',
      ambiguous: { double: -0.5 },
      ts: 4_102_444_800_001,
      day: -(2 ** 31),
      amount: Buffer.from([0xff]),
      ids: [],
    },
  ];
  const w = createParquetFileWriter({ avroSchema: schema, values: 'lossless', lineage: false });
  for (const r of rows) w.append(r);
  lake.put('lossless', '2026-11-29', 'f.parquet', w.finish());
  const got = await lake.query(
    `SELECT id::VARCHAR AS id, opt::VARCHAR AS opt, either.member0::VARCHAR AS e0, either.member1 AS e1,
       ambiguous.member0::VARCHAR AS a0, ambiguous.member1 AS a1, epoch_ms(ts)::VARCHAR AS ts,
       (day - DATE '1970-01-01')::VARCHAR AS day, amount::VARCHAR AS amount,
       list_transform(ids, x -> x::VARCHAR) AS ids
     FROM ${lake.table('lossless')} ORDER BY e1 NULLS FIRST`,
  );
  assert.deepEqual(got, [
    {
      id: '-9223372036854775808',
      opt: '9223372036854775807',
      e0: '-4503599627370497',
      e1: null,
      a0: '9007199254740992',
      a1: null,
      ts: String(-(2 ** 52) - 1),
      day: String(2 ** 31 - 1),
      amount: '-170141183460469231731687303715.884105727',
      ids: ['9007199254740991', '-9007199254740991', '9007199254740992', '-9007199254740993'],
    },
    {
      id: '-9007199254740991',
      opt: null,
      e0: null,
      e1: 'text',
      a0: null,
      a1: -0.5,
      ts: '4102444800001',
      day: String(-(2 ** 31)),
      amount: '-0.000000001',
      ids: [],
    },
  ]);
});

it('a lossless long in a multi-branch union is told apart from a string, whatever its size', () => {
  const w = createParquetFileWriter({ avroSchema: schema, values: 'lossless', lineage: false });
  const base = { id: 1, opt: null, ambiguous: { long: 1 }, ts: 0, day: 0, amount: Buffer.from([0]), ids: [] };
  w.append({ ...base, either: 2n ** 60n });
  w.append({ ...base, either: 7 });
  assert.throws(() => w.append({ ...base, either: 1.5 }), /either/);
});
