// Files written by @adlake/parquet, read back by two independent readers: DuckDB (its own Parquet reader,
// from npm) and pyarrow (Arrow C++'s, from the witnesses' venv). Every physical and logical type the writer
// supports, with nulls and boundary values, nested lists, maps, groups and one-ofs, under every codec, over
// several row groups of many pages; each reader must return every value exactly as written, and the row
// groups, codecs and statistics pyarrow finds must be the ones written. No Kafka or HDFS needed.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DuckDBInstance, DuckDBTypeId } from '@duckdb/node-api';
import type {
  DuckDBBlobValue,
  DuckDBConnection,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBListType,
  DuckDBListValue,
  DuckDBMapType,
  DuckDBMapValue,
  DuckDBStructType,
  DuckDBStructValue,
  DuckDBType,
  DuckDBValue,
} from '@duckdb/node-api';
import { COMPRESSIONS, createParquetWriter } from '@adlake/parquet';
import type { Compression, ParquetFieldSpec, ParquetShape, PrimitiveShape } from '@adlake/parquet';
import { runPython } from '../support/python.ts';

/** A canonical value: what both readers and the expectation are reduced to before comparing. */
type Canon = string | boolean | null | Canon[] | { [key: string]: Canon };

// ---- the values ----------------------------------------------------------------------------------------

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const MS_PER_DAY = 86_400_000;

const p = (
  type: PrimitiveShape['type'],
  extra: Omit<PrimitiveShape, 'kind' | 'type'> = {},
): PrimitiveShape => ({
  kind: 'primitive',
  type,
  ...extra,
});
const STRING = p('BYTE_ARRAY', { logicalType: { type: 'STRING' } });
const decimal = (precision: number, scale: number, typeLength: number): PrimitiveShape =>
  p('FIXED_LEN_BYTE_ARRAY', { typeLength, logicalType: { type: 'DECIMAL', precision, scale } });

interface Column {
  field: ParquetFieldSpec;
  /** Cycled through row by row; an optional column also gets a null every `nullEvery` rows. */
  values: readonly unknown[];
  nullEvery?: number;
}

const col = (name: string, shape: ParquetShape, values: readonly unknown[], nullEvery?: number): Column => ({
  field: { name, shape, ...(nullEvery === undefined ? {} : { optional: true }) },
  values,
  ...(nullEvery === undefined ? {} : { nullEvery }),
});

// One-of members are told apart by JavaScript type; a string member of a group is wrapped to be told apart.
const oneOf: ParquetShape = {
  kind: 'oneOf',
  members: [
    { name: 'member0', shape: p('INT32') },
    { name: 'member1', shape: STRING },
    { name: 'member2', shape: { kind: 'group', fields: [{ name: 'x', shape: p('INT64') }] } },
  ],
  select: (v) => (typeof v === 'number' ? 0 : typeof v === 'string' ? 1 : typeof v === 'object' ? 2 : -1),
  expected: 'int | string | { x }',
};

const COLUMNS: Column[] = [
  col('flag', p('BOOLEAN'), [true, false, false, true, true, true, true, true, true, false], 4),
  col('i32', p('INT32'), [0, 1, -1, 2147483647, -2147483648, 255, 256, -129]),
  col('i32_opt', p('INT32'), [7, -7, 2147483647], 2),
  col('i64', p('INT64'), [
    0,
    -1,
    9007199254740991,
    -9007199254740991,
    2n ** 53n + 1n,
    -(2n ** 53n) - 1n,
    INT64_MAX,
    INT64_MIN,
    4294967296,
    -4294967297,
  ]),
  col('i64_opt', p('INT64'), [2n ** 62n, 5, -(2n ** 60n)], 3),
  col('f32', p('FLOAT'), [
    0,
    -0,
    1.5,
    0.1,
    -Infinity,
    Infinity,
    NaN,
    3.4028234663852886e38,
    1.401298464324817e-45,
  ]),
  col('f64', p('DOUBLE'), [
    0,
    -0,
    Math.PI,
    -1e300,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
    NaN,
    Infinity,
    -Infinity,
  ]),
  col('f64_opt', p('DOUBLE'), [2.5, -0], 2),
  col('text', STRING, [
    '',
    'a',
    'héllo ✓ 🎧',
    '中文字符',
    'مرحبا',
    'nul\u0000inside',
    '👩‍👩‍👧‍👦',
    'e\u0301',
    'a'.repeat(63) + 'é',
    'a'.repeat(64) + 'é',
    'x'.repeat(5000),
  ]),
  col('text_opt', STRING, ['', 'ok', '🎧'], 3),
  col('blob', p('BYTE_ARRAY'), [
    Buffer.alloc(0),
    Buffer.from([0]),
    Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
    Buffer.alloc(70_000, 0xab),
  ]),
  col(
    'fixed3',
    p('FIXED_LEN_BYTE_ARRAY', { typeLength: 3 }),
    [Buffer.from([0, 0, 0]), Buffer.from([255, 1, 128])],
    5,
  ),
  col('date', p('INT32', { logicalType: { type: 'DATE' } }), [
    0,
    -1,
    20_415,
    2147483647,
    -2147483647,
    new Date(Date.UTC(2026, 10, 23, 23, 59)),
    new Date(-MS_PER_DAY - 1),
  ]),
  col(
    'time_ms',
    p('INT32', { logicalType: { type: 'TIME', unit: 'MILLIS', isAdjustedToUTC: false } }),
    [0, 45296789, 86_399_999],
  ),
  col('time_us', p('INT64', { logicalType: { type: 'TIME', unit: 'MICROS', isAdjustedToUTC: false } }), [
    0,
    45296789123,
    86_399_999_999n,
  ]),
  col(
    'ts_ms_utc',
    p('INT64', { logicalType: { type: 'TIMESTAMP', unit: 'MILLIS', isAdjustedToUTC: true } }),
    [
      0,
      -1,
      1_795_437_296_789,
      new Date('2026-11-23T12:34:56.789Z'),
      new Date(-62_135_596_800_000),
      8_640_000_000_000_000,
      -8_640_000_000_000_000n,
    ],
  ),
  col(
    'ts_ms_local',
    p('INT64', { logicalType: { type: 'TIMESTAMP', unit: 'MILLIS', isAdjustedToUTC: false } }),
    [1_700_000_000_123, -86_400_001],
    4,
  ),
  col(
    'ts_us_utc',
    p('INT64', { logicalType: { type: 'TIMESTAMP', unit: 'MICROS', isAdjustedToUTC: true } }),
    [
      0,
      -1,
      1_795_437_296_789_123,
      9_007_199_254_740_993n,
      -62_135_596_800_000_001n,
      253_402_300_799_999_999n,
    ],
  ),
  col('int96_ms', p('INT96', { unit: 'MILLIS' }), [
    0,
    -1,
    1,
    MS_PER_DAY - 1,
    -MS_PER_DAY,
    1_795_437_296_789,
    new Date('2000-02-29T23:59:59.999Z'),
    -62_135_596_800_000,
    253_402_300_799_999n,
  ]),
  col(
    'int96_us',
    p('INT96', { unit: 'MICROS' }),
    [
      0,
      -1,
      1_795_437_296_789_123,
      9_007_199_254_740_993n,
      -62_135_596_800_000_001n,
      253_402_300_799_999_999n,
    ],
    5,
  ),
  col('dec_1_0', decimal(1, 0, 1), ['0', '9', '-9', '+5', '-0']),
  col('dec_9_2', decimal(9, 2, 4), ['1234567.89', '-1234567.89', '0.01', '-0.01', '12.3', '.5', '7']),
  col(
    'dec_18_9',
    decimal(18, 9, 8),
    ['999999999.999999999', '-999999999.999999999', '0.000000001', '12.300000000'],
    3,
  ),
  col('dec_38_10', decimal(38, 10, 16), [
    '9999999999999999999999999999.9999999999',
    '-9999999999999999999999999999.9999999999',
    '1234567890123456789012345678.0123456789',
    '-1.5',
    '0',
    Buffer.from([0xff]),
    Buffer.from([0x00, 0x80]),
  ]),
  col('dec_5_5', decimal(5, 5, 3), ['0.12345', '-0.99999', '0.00001']),
  col(
    'list_i32',
    { kind: 'list', element: p('INT32'), optionalElements: true },
    [[], [1], [1, null, 3], [null], Array.from({ length: 40 }, (_, i) => i * 1000)],
    4,
  ),
  col('list_list_text', { kind: 'list', element: { kind: 'list', element: STRING } }, [
    [],
    [[]],
    [['a'], ['b', 'c']],
    [[], ['🎧', ''], []],
  ]),
  col(
    'list_group',
    {
      kind: 'list',
      element: {
        kind: 'group',
        fields: [
          {
            name: 'at',
            shape: p('INT64', { logicalType: { type: 'TIMESTAMP', unit: 'MILLIS', isAdjustedToUTC: true } }),
          },
          { name: 'vendor', optional: true, shape: STRING },
          { name: 'amount', shape: decimal(18, 9, 8) },
        ],
      },
    },
    [
      [
        { at: 1, vendor: 'moat', amount: '1.5' },
        { at: new Date(2), vendor: null, amount: '-0.000000001' },
      ],
      [],
      [{ at: -3, amount: '0' }],
    ],
  ),
  col(
    'map_i64',
    { kind: 'map', value: p('INT64'), optionalValues: true },
    [{}, { genre: 1, station: null }, { ключ: INT64_MAX, '': -1, z: 0 }],
    5,
  ),
  col('map_list', { kind: 'map', value: { kind: 'list', element: p('DOUBLE') } }, [
    { a: [], b: [1.25, -0] },
    {},
  ]),
  col(
    'group',
    {
      kind: 'group',
      fields: [
        { name: 'id', shape: p('INT64') },
        { name: 'os', optional: true, shape: STRING },
        {
          name: 'inner',
          optional: true,
          shape: {
            kind: 'group',
            fields: [{ name: 'hash', shape: p('FIXED_LEN_BYTE_ARRAY', { typeLength: 4 }) }],
          },
        },
      ],
    },
    [
      { id: 1, os: 'iOS', inner: { hash: Buffer.from('deadbeef', 'hex') } },
      { id: INT64_MIN, os: null, inner: null },
      { id: 0, inner: { hash: Buffer.alloc(4) } },
    ],
    3,
  ),
  col('union', oneOf, [7, 'seven', { x: 2n ** 60n }, -2147483648, ''], 4),
];

const ROWS = 600;
const ROW_GROUP_ROWS = 128;
const PAGE_SIZE_BYTES = 512;

function valueAt(c: Column, row: number): unknown {
  if (c.nullEvery !== undefined && row % c.nullEvery === c.nullEvery - 1) return null;
  return c.values[row % c.values.length];
}

const rows: Record<string, unknown>[] = Array.from({ length: ROWS }, (_, row) => {
  const r: Record<string, unknown> = { id: row };
  for (const c of COLUMNS) r[c.field.name] = valueAt(c, row);
  return r;
});
const FIELDS: ParquetFieldSpec[] = [{ name: 'id', shape: p('INT32') }, ...COLUMNS.map((c) => c.field)];

// ---- what a reader must return -------------------------------------------------------------------------

const hexDouble = (v: number): string => {
  if (Number.isNaN(v)) return 'nan';
  const b = Buffer.alloc(8);
  b.writeDoubleBE(v);
  return b.toString('hex');
};

function unscaled(v: unknown, scale: number): bigint {
  if (typeof v === 'string') {
    const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(v);
    if (m === null) throw new Error(`not decimal text: ${v}`);
    const digits = `${m[2] ?? ''}${(m[3] ?? '').padEnd(scale, '0')}`;
    const n = BigInt(digits === '' ? '0' : digits);
    return m[1] === '-' ? -n : n;
  }
  const bytes = v as Uint8Array;
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return bytes.length > 0 && ((bytes[0] as number) & 0x80) !== 0 ? n - (1n << BigInt(8 * bytes.length)) : n;
}

const epochMs = (v: unknown): bigint => BigInt(v instanceof Date ? v.getTime() : (v as number | bigint));

function expected(shape: ParquetShape, v: unknown): Canon {
  if (v === null || v === undefined) return null;
  switch (shape.kind) {
    case 'primitive': {
      const lt = shape.logicalType;
      switch (shape.type) {
        case 'BOOLEAN':
          return v as boolean;
        case 'INT32':
          if (lt?.type === 'DATE')
            return String(v instanceof Date ? Math.floor(v.getTime() / MS_PER_DAY) : (v as number));
          return String(lt?.type === 'TIME' ? (v as number) * 1000 : (v as number));
        case 'INT64':
          if (lt?.type === 'TIMESTAMP' && lt.unit === 'MILLIS') return String(epochMs(v) * 1000n);
          return String(v as number | bigint);
        case 'INT96':
          return String(shape.unit === 'MILLIS' ? epochMs(v) * 1000n : BigInt(v as number | bigint));
        case 'FLOAT':
          return hexDouble(Math.fround(v as number));
        case 'DOUBLE':
          return hexDouble(v as number);
        case 'BYTE_ARRAY':
          return lt?.type === 'STRING' ? (v as string) : Buffer.from(v as Uint8Array).toString('hex');
        case 'FIXED_LEN_BYTE_ARRAY':
          if (lt?.type === 'DECIMAL') return String(unscaled(v, lt.scale));
          return Buffer.from(v as Uint8Array).toString('hex');
      }
      throw new Error(`no expectation for ${shape.type}`);
    }
    case 'group': {
      const o = v as Record<string, unknown>;
      return Object.fromEntries(shape.fields.map((f) => [f.name, expected(f.shape, o[f.name])]));
    }
    case 'list':
      return (v as unknown[]).map((x) => expected(shape.element, x));
    case 'map':
      return Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, expected(shape.value, x)]);
    case 'oneOf': {
      const chosen = shape.select(v);
      return Object.fromEntries(
        shape.members.map((m, i) => [m.name, i === chosen ? expected(m.shape, v) : null]),
      );
    }
  }
}

const EXPECTED: Record<string, Canon>[] = rows.map((r) =>
  Object.fromEntries(FIELDS.map((f) => [f.name, expected(f.shape, r[f.name])])),
);

// ---- DuckDB ------------------------------------------------------------------------------------------

function fromDuckDB(type: DuckDBType, v: DuckDBValue): Canon {
  if (v === null) return null;
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
    case DuckDBTypeId.VARCHAR:
      return v as boolean | string;
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.BIGINT:
      return String(v as number | bigint);
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
      return hexDouble(v as number);
    case DuckDBTypeId.DATE:
      return String((v as DuckDBDateValue).days);
    case DuckDBTypeId.TIME:
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return String((v as { micros: bigint }).micros);
    case DuckDBTypeId.TIMESTAMP_MS:
      return String((v as unknown as { millis: bigint }).millis * 1000n);
    case DuckDBTypeId.DECIMAL:
      return String((v as DuckDBDecimalValue).value);
    case DuckDBTypeId.BLOB:
      return Buffer.from((v as DuckDBBlobValue).bytes).toString('hex');
    case DuckDBTypeId.LIST:
      return (v as DuckDBListValue).items.map((x) => fromDuckDB((type as DuckDBListType).valueType, x));
    case DuckDBTypeId.MAP: {
      const t = type as DuckDBMapType;
      return (v as DuckDBMapValue).entries.map((e) => [
        fromDuckDB(t.keyType, e.key),
        fromDuckDB(t.valueType, e.value),
      ]);
    }
    case DuckDBTypeId.STRUCT: {
      const t = type as DuckDBStructType;
      const entries = (v as DuckDBStructValue).entries;
      return Object.fromEntries(
        t.entryNames.map((name, i) => [
          name,
          fromDuckDB(t.entryTypes[i] as DuckDBType, entries[name] ?? null),
        ]),
      );
    }
    default:
      throw new Error(`DuckDB type ${type.toString()} has no canonical form here`);
  }
}

let conn: DuckDBConnection;
let closeDb: () => void;

async function readWithDuckDB(
  path: string,
): Promise<{ rows: Record<string, Canon>[]; types: Record<string, string> }> {
  const reader = await conn.runAndReadAll(`SELECT * FROM read_parquet('${path}') ORDER BY id`);
  const names = reader.columnNames();
  const types = reader.columnTypes();
  return {
    rows: reader
      .getRows()
      .map((row) =>
        Object.fromEntries(
          names.map((name, i) => [name, fromDuckDB(types[i] as DuckDBType, row[i] ?? null)]),
        ),
      ),
    types: Object.fromEntries(names.map((name, i) => [name, (types[i] as DuckDBType).toString()])),
  };
}

// ---- pyarrow -----------------------------------------------------------------------------------------

interface ChunkMeta {
  codec: string;
  nulls: number | null;
  min: string | null;
  max: string | null;
}
interface PyarrowFile {
  path: string;
  types: Record<string, string>;
  rows: Record<string, Canon>[];
  row_groups: { rows: number; columns: Record<string, ChunkMeta> }[];
  created_by: string;
  metadata: Record<string, string>;
}

async function readWithPyarrow(paths: readonly string[]): Promise<Map<string, PyarrowFile>> {
  const out = await runPython('parquet_rows.py', paths);
  const files = out
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as PyarrowFile);
  return new Map(files.map((f) => [f.path, f]));
}

// ---- the files -----------------------------------------------------------------------------------------

interface FileConfig {
  name: string;
  path: string;
  compression: Compression;
  rowGroupRows: number;
  /** Options as given to the writer: the last file takes the defaults (snappy, 100,000 rows, 1 MiB pages). */
  options: { compression?: Compression; rowGroupRows?: number; pageSizeBytes?: number };
}

const dir = mkdtempSync(join(tmpdir(), 'adlake-parquet-readers-'));
const FILES: FileConfig[] = [
  ...COMPRESSIONS.map((compression, i) => ({
    name: `${compression}, row groups of ${ROW_GROUP_ROWS} rows, pages of ${PAGE_SIZE_BYTES} bytes`,
    path: join(dir, `file-${i}.parquet`),
    compression,
    rowGroupRows: ROW_GROUP_ROWS,
    options: { compression, rowGroupRows: ROW_GROUP_ROWS, pageSizeBytes: PAGE_SIZE_BYTES },
  })),
  {
    name: 'default options',
    path: join(dir, 'file-defaults.parquet'),
    compression: 'snappy',
    rowGroupRows: 100_000,
    options: {},
  },
];
let pyarrow: Map<string, PyarrowFile>;

before(async () => {
  for (const f of FILES) {
    const w = createParquetWriter({
      schema: { name: 'com.example.Everything', fields: FIELDS },
      ...f.options,
      metadata: [{ key: 'written.by', value: 'readers.it.ts ✓' }],
    });
    for (const r of rows) w.append(r);
    writeFileSync(f.path, w.finish());
  }
  const db = await DuckDBInstance.create(':memory:');
  conn = await db.connect();
  closeDb = () => {
    conn.closeSync();
    db.closeSync();
  };
  pyarrow = await readWithPyarrow(FILES.map((f) => f.path));
});

after(() => {
  closeDb?.();
  rmSync(dir, { recursive: true, force: true });
});

/** Row by row, so a failure names the first row and column that differ instead of dumping 600 rows. */
function assertRows(actual: readonly Record<string, Canon>[], reader: string): void {
  assert.equal(actual.length, EXPECTED.length, `${reader}: row count`);
  for (let i = 0; i < EXPECTED.length; i++) {
    for (const f of FIELDS) {
      assert.deepEqual(
        actual[i]?.[f.name],
        EXPECTED[i]?.[f.name],
        `${reader}: row ${i}, column ${f.name} (written: ${String(rows[i]?.[f.name])})`,
      );
    }
  }
}

describe('@adlake/parquet files read by independent readers', () => {
  it('covers what it claims: several row groups, pages smaller than a column chunk, every codec', () => {
    assert.deepEqual([...new Set(FILES.map((f) => f.compression))].sort(), [...COMPRESSIONS].sort());
    const small = pyarrow.get((FILES[0] as FileConfig).path) as PyarrowFile;
    assert.equal(small.row_groups.length, Math.ceil(ROWS / ROW_GROUP_ROWS));
    // The text column of one row group holds many times a page's worth of bytes, so it spans many pages.
    const textBytes = rows
      .slice(0, ROW_GROUP_ROWS)
      .reduce((n, r) => n + Buffer.byteLength(r['text'] as string), 0);
    assert.ok(textBytes > 20 * PAGE_SIZE_BYTES, `text column of a row group: ${textBytes} bytes`);
  });

  for (const f of FILES) {
    describe(f.name, () => {
      it('DuckDB reads every value as written', async () => {
        const { rows: read } = await readWithDuckDB(f.path);
        assertRows(read, `DuckDB (${f.name})`);
      });

      it('pyarrow reads every value as written', () => {
        assertRows((pyarrow.get(f.path) as PyarrowFile).rows, `pyarrow (${f.name})`);
      });

      it('pyarrow finds the row groups, codec, statistics and footer metadata written', () => {
        const file = pyarrow.get(f.path) as PyarrowFile;
        const groups = Math.ceil(ROWS / f.rowGroupRows);
        assert.deepEqual(
          file.row_groups.map((g) => g.rows),
          Array.from({ length: groups }, (_, g) => Math.min(f.rowGroupRows, ROWS - g * f.rowGroupRows)),
        );
        const codec = f.compression === 'none' ? 'UNCOMPRESSED' : f.compression.toUpperCase();
        for (const g of file.row_groups)
          assert.deepEqual([...new Set(Object.values(g.columns).map((c) => c.codec))], [codec]);
        assert.equal(file.created_by, '@adlake/parquet 0.0.0');
        assert.deepEqual(file.metadata, { 'written.by': 'readers.it.ts ✓' });
        file.row_groups.forEach((g, k) => {
          const inGroup = rows.slice(k * f.rowGroupRows, (k + 1) * f.rowGroupRows);
          for (const c of [{ field: FIELDS[0] as ParquetFieldSpec }, ...COLUMNS]) {
            const shape = c.field.shape;
            if (shape.kind !== 'primitive') continue;
            const chunk = g.columns[c.field.name] as ChunkMeta;
            const present = inGroup.map((r) => r[c.field.name]).filter((v) => v !== null);
            assert.equal(
              chunk.nulls,
              inGroup.length - present.length,
              `${c.field.name} null count, group ${k}`,
            );
            assert.deepEqual(
              [chunk.min, chunk.max],
              expectedMinMax(shape, present),
              `${c.field.name} min/max, group ${k}`,
            );
          }
        });
      });
    });
  }

  it('DuckDB and pyarrow report the logical types written', async () => {
    const { types } = await readWithDuckDB((FILES[0] as FileConfig).path);
    const arrow = (pyarrow.get((FILES[0] as FileConfig).path) as PyarrowFile).types;
    const pick = (t: Record<string, string>): string[] =>
      [
        'i64',
        'f32',
        'date',
        'time_us',
        'ts_ms_utc',
        'ts_ms_local',
        'int96_ms',
        'dec_38_10',
        'blob',
        'map_i64',
      ].map((n) => t[n] as string);
    assert.deepEqual(pick(types), [
      'BIGINT',
      'FLOAT',
      'DATE',
      'TIME',
      'TIMESTAMP WITH TIME ZONE',
      'TIMESTAMP',
      'TIMESTAMP',
      'DECIMAL(38,10)',
      'BLOB',
      'MAP(VARCHAR, BIGINT)',
    ]);
    assert.deepEqual(pick(arrow), [
      'int64',
      'float',
      'date32[day]',
      'time64[us]',
      'timestamp[ms, tz=UTC]',
      'timestamp[ms]',
      'timestamp[us]',
      'decimal128(38, 10)',
      'binary',
      "map<string, int64 ('map_i64')>",
    ]);
  });

  it('both read a file with no rows as an empty table of the same columns', async () => {
    const w = createParquetWriter({ schema: { name: 'Empty', fields: FIELDS }, compression: 'zstd' });
    const path = join(dir, 'empty.parquet');
    writeFileSync(path, w.finish());
    const duck = await readWithDuckDB(path);
    assert.deepEqual(duck.rows, []);
    assert.deepEqual(
      Object.keys(duck.types),
      FIELDS.map((f) => f.name),
    );
    const arrow = (await readWithPyarrow([path])).get(path) as PyarrowFile;
    assert.deepEqual(arrow.rows, []);
    assert.deepEqual(
      Object.keys(arrow.types),
      FIELDS.map((f) => f.name),
    );
  });
});

/**
 * min_value/max_value as written: INT32 and INT64 (timestamps, dates and times included), FLOAT and DOUBLE,
 * NaN never counting, a zero bound written as -0 for min and +0 for max (the spec's rule); BYTE_ARRAY in
 * unsigned byte order, cut to 64 bytes (a prefix for min, a prefix with its last character incremented for
 * max); nothing for other types (FIXED_LEN_BYTE_ARRAY, and INT96, which has no defined order).
 */
function expectedMinMax(shape: PrimitiveShape, present: readonly unknown[]): [string | null, string | null] {
  const stored = present.map((v): number | bigint => {
    if (shape.type === 'INT32' && shape.logicalType?.type === 'DATE' && v instanceof Date)
      return Math.floor(v.getTime() / MS_PER_DAY);
    if (v instanceof Date) return v.getTime();
    return v as number | bigint;
  });
  switch (shape.type) {
    case 'INT32':
    case 'INT64': {
      if (stored.length === 0) return [null, null];
      const big = stored.map((v) => BigInt(v));
      const min = big.reduce((a, b) => (b < a ? b : a));
      const max = big.reduce((a, b) => (b > a ? b : a));
      return [String(min), String(max)];
    }
    case 'FLOAT':
    case 'DOUBLE': {
      const round = shape.type === 'FLOAT' ? Math.fround : (x: number): number => x;
      const nums = (stored as number[]).filter((x) => !Number.isNaN(x)).map(round);
      if (nums.length === 0) return [null, null];
      const min = Math.min(...nums);
      const max = Math.max(...nums);
      return [hexDouble(min === 0 ? -0 : min), hexDouble(max === 0 ? 0 : max)];
    }
    case 'BYTE_ARRAY': {
      if (present.length === 0) return [null, null];
      const text = shape.logicalType?.type === 'STRING';
      const values = present.map((v) =>
        text ? Buffer.from(v as string, 'utf8') : Buffer.from(v as Uint8Array),
      );
      values.sort(Buffer.compare);
      const max = cutMax(values.at(-1) as Buffer, text);
      // Without an upper bound the writer leaves both out.
      if (max === undefined) return [null, null];
      return [cutMin(values[0] as Buffer, text).toString('hex'), max.toString('hex')];
    }
    default:
      return [null, null];
  }
}

/** The writer's default bound length. */
const BOUND_BYTES = 64;

/** The longest prefix of at most BOUND_BYTES bytes (whole characters for text). */
function cutMin(v: Buffer, text: boolean): Buffer {
  if (v.length <= BOUND_BYTES) return v;
  if (!text) return v.subarray(0, BOUND_BYTES);
  let out = '';
  for (const ch of v.toString('utf8')) {
    if (Buffer.byteLength(out + ch) > BOUND_BYTES) break;
    out += ch;
  }
  return Buffer.from(out, 'utf8');
}

/** That prefix with its last character (code point for text, byte otherwise) incremented where it can be. */
function cutMax(v: Buffer, text: boolean): Buffer | undefined {
  if (v.length <= BOUND_BYTES) return v;
  if (text) {
    const chars = [...cutMin(v, true).toString('utf8')].map((ch) => ch.codePointAt(0) as number);
    while (chars.length > 0) {
      let last = (chars.pop() as number) + 1;
      if (last >= 0xd800 && last <= 0xdfff) last = 0xe000;
      if (last <= 0x10ffff) return Buffer.from(String.fromCodePoint(...chars, last), 'utf8');
    }
    return undefined;
  }
  const bytes = [...v.subarray(0, BOUND_BYTES)];
  while (bytes.length > 0 && bytes.at(-1) === 0xff) bytes.pop();
  if (bytes.length === 0) return undefined;
  bytes[bytes.length - 1] = (bytes.at(-1) as number) + 1;
  return Buffer.from(bytes);
}
