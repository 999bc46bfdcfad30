// The writer's own contract, checked through an independent reader (DuckDB): rows of any field names,
// rejected rows that leave the file intact, option checks, closing, and the footer's created_by and
// key-value metadata. Types and values across the board are test/parquet/readers.it.ts's job.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { createParquetWriter, filterRows, footerOf, ParquetError, readStringColumn } from '../src/index.ts';
import { chunkTrees, rowGroupTree } from '../src/footer.ts';
import { decodeStruct, field } from '../src/thrift-tree.ts';
import type { TStruct } from '../src/thrift-tree.ts';
import type { ParquetFieldSpec, ParquetWriterOptions } from '../src/index.ts';
import { p, STRING } from './shapes.ts';

let dir: string;
let db: DuckDBInstance;
let conn: DuckDBConnection;
let seq = 0;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'adlake-parquet-'));
  db = await DuckDBInstance.create(':memory:');
  conn = await db.connect();
});
after(() => {
  conn.closeSync();
  db.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

function save(bytes: Uint8Array): string {
  const path = join(dir, `f${++seq}.parquet`);
  writeFileSync(path, bytes);
  return path;
}

async function query(sql: string): Promise<Record<string, unknown>[]> {
  return (await conn.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
}

const isParquetError =
  (code: ParquetError['code'], context: ParquetError['context'] = {}) =>
  (e: unknown): boolean =>
    e instanceof ParquetError &&
    e.code === code &&
    !e.retriable &&
    Object.entries(context).every(([k, v]) => e.context[k as keyof typeof context] === v);

describe('createParquetWriter', () => {
  it('reads each field by its exact name, whatever characters it holds', async () => {
    const names = ['plain', 'with space', 'dash-ed', '0', 'quote"and\'', 'ünï'];
    const w = createParquetWriter({
      schema: { name: 'T', fields: names.map((name) => ({ name, shape: p('INT32') })) },
    });
    w.append(Object.fromEntries(names.map((n, i) => [n, i])));
    const rows = await query(`SELECT * FROM read_parquet('${save(w.finish())}')`);
    assert.deepEqual(rows, [Object.fromEntries(names.map((n, i) => [n, i]))]);
  });

  it('rejects a row that does not fit with VALUE_INVALID at its path and keeps the file as it was', async () => {
    const fields: ParquetFieldSpec[] = [
      { name: 'a', shape: p('INT32') },
      { name: 'tags', shape: { kind: 'list', element: STRING } },
      { name: 'm', shape: { kind: 'map', value: p('INT64') } },
      { name: 'g', optional: true, shape: { kind: 'group', fields: [{ name: 'x', shape: p('DOUBLE') }] } },
      {
        name: 'amount',
        shape: p('FIXED_LEN_BYTE_ARRAY', {
          typeLength: 2,
          logicalType: { type: 'DECIMAL', precision: 4, scale: 2 },
        }),
      },
      {
        name: 'u',
        shape: {
          kind: 'oneOf',
          members: [
            { name: 'member0', shape: p('INT32') },
            { name: 'member1', shape: STRING },
          ],
          // The wrapped form { int: 1 } / { string: 'x' }; 'bad' answers an index that is no member.
          select: (v) => {
            const key = Object.keys(v as object)[0];
            return key === 'int' ? 0 : key === 'string' ? 1 : key === 'bad' ? 7 : -1;
          },
          unwrap: (v) => Object.values(v as object)[0],
          expected: 'one of int | string',
        },
      },
    ];
    const w = createParquetWriter({ schema: { name: 'T', fields }, pageSizeBytes: 64 });
    const good = { a: 1, tags: ['x'], m: { k: 1 }, g: { x: 0.5 }, amount: '1.00', u: { int: 1 } };
    w.append(good);
    const bad: [Record<string, unknown>, string | undefined, RegExp][] = [
      [{ ...good, tags: ['ok', 3] }, 'tags[]', /expected string, got number 3/],
      [{ ...good, a: 2.5 }, 'a', /expected int/],
      [{ ...good, m: { k: 'x' } }, 'm{}', /expected long/],
      [{ ...good, g: { x: '1' } }, 'g.x', /expected double/],
      [{ ...good, amount: '1.005' }, 'amount', /decimal\(4,2\)/],
      [{ ...good, amount: '123.00' }, 'amount', /decimal\(4,2\)/],
      [{ ...good, amount: undefined }, 'amount', /required/],
      [{ ...good, u: { long: 1 } }, 'u', /one of int \| string/],
      [{ ...good, u: { bad: 1 } }, 'u', /one of int \| string/],
      [{ ...good, u: { string: 5 } }, 'u<member1>', /expected string/],
      [
        {
          ...good,
          get m(): never {
            throw new Error('getter failed');
          },
        },
        undefined,
        /value does not fit the schema: getter failed/,
      ],
      [[1, 2] as unknown as Record<string, unknown>, '<root>', /a record/],
    ];
    for (const [row, path, message] of bad) {
      assert.throws(
        () => w.append(row),
        (e: unknown) =>
          isParquetError('VALUE_INVALID', path === undefined ? {} : { path })(e) &&
          message.test((e as Error).message),
        `${path}`,
      );
    }
    w.append({ a: 3, tags: ['y', 'z'], m: {}, g: null, amount: '-99.99', u: { string: 'three' } });
    assert.equal(w.rows, 2);
    const rows = await query(
      `SELECT a, tags::VARCHAR AS tags, m::VARCHAR AS m, g::VARCHAR AS g, amount::VARCHAR AS amount, u::VARCHAR AS u
       FROM read_parquet('${save(w.finish())}')`,
    );
    assert.deepEqual(rows, [
      {
        a: 1,
        tags: '[x]',
        m: '{k=1}',
        g: "{'x': 0.5}",
        amount: '1.00',
        u: "{'member0': 1, 'member1': NULL}",
      },
      { a: 3, tags: '[y, z]', m: '{}', g: null, amount: '-99.99', u: "{'member0': NULL, 'member1': three}" },
    ]);
  });

  it('takes a Date for an INT96 column in milliseconds, and refuses one for microseconds', async () => {
    const w = createParquetWriter({
      schema: {
        name: 'T',
        fields: [
          { name: 'ms', shape: p('INT96', { unit: 'MILLIS' }) },
          { name: 'us', shape: p('INT96', { unit: 'MICROS' }) },
        ],
      },
    });
    const at = new Date('2026-11-23T12:34:56.789Z');
    // A Date holds milliseconds; read as microseconds it would land in January 1970 without a word.
    assert.throws(() => w.append({ ms: at, us: at }), isParquetError('VALUE_INVALID', { path: 'us' }));
    w.append({ ms: at, us: BigInt(at.getTime()) * 1000n });
    const rows = await query(
      `SELECT epoch_us(ms)::VARCHAR AS ms, epoch_us(us)::VARCHAR AS us FROM read_parquet('${save(w.finish())}')`,
    );
    assert.deepEqual(rows, [{ ms: '1795437296789000', us: '1795437296789000' }]);
  });

  it('checks its options with OPTION_INVALID naming the option', () => {
    const schema = { name: 'T', fields: [{ name: 'a', shape: p('INT32') }] };
    const bad: [Partial<ParquetWriterOptions>, string][] = [
      [{ compression: 'lz4' as never }, 'compression'],
      [{ rowGroupRows: 0 }, 'rowGroupRows'],
      [{ pageSizeBytes: 1.5 }, 'pageSizeBytes'],
      [{ createdBy: 5 as never }, 'createdBy'],
      [{ metadata: [{ key: 'k', value: 1 }] as never }, 'metadata'],
    ];
    for (const [options, option] of bad) {
      assert.throws(
        () => createParquetWriter({ schema, ...options }),
        (e: unknown) =>
          isParquetError('OPTION_INVALID', { option })(e) &&
          (e as Error).message.startsWith(`/options/${option} `),
      );
    }
  });

  it('refuses use after finish() with WRITER_CLOSED', () => {
    const w = createParquetWriter({ schema: { name: 'T', fields: [{ name: 'a', shape: p('INT32') }] } });
    w.finish();
    assert.throws(() => w.append({ a: 1 }), isParquetError('WRITER_CLOSED'));
    assert.throws(() => w.finish(), isParquetError('WRITER_CLOSED'));
  });

  it('writes created_by and the key-value metadata given, and no key-value list when none is', async () => {
    const fields = [{ name: 'a', shape: p('INT32') }];
    const plain = save(createParquetWriter({ schema: { name: 'T', fields } }).finish());
    const tagged = save(
      createParquetWriter({
        schema: { name: 'T', fields },
        createdBy: 'someone else 1.0',
        metadata: [
          { key: 'b', value: '2' },
          { key: 'a', value: 'ü' },
        ],
      }).finish(),
    );
    const createdBy = async (path: string): Promise<unknown> =>
      (await query(`SELECT created_by FROM parquet_file_metadata('${path}')`))[0]?.['created_by'];
    assert.equal(await createdBy(plain), '@adlake/parquet 0.0.0');
    assert.equal(await createdBy(tagged), 'someone else 1.0');
    const kv = async (path: string): Promise<unknown[]> =>
      (await query(`SELECT decode(key) AS k, decode(value) AS v FROM parquet_kv_metadata('${path}')`)).map(
        (r) => [r['k'], r['v']],
      );
    assert.deepEqual(await kv(plain), []);
    assert.deepEqual(await kv(tagged), [
      ['b', '2'],
      ['a', 'ü'],
    ]);
  });
});

describe('dictionary encoding and string statistics', () => {
  const schema = { name: 'T', fields: [{ name: 's', shape: STRING }] };
  const write = (values: readonly string[], options: Partial<ParquetWriterOptions> = {}): Uint8Array => {
    const w = createParquetWriter({ schema, compression: 'none', ...options });
    for (const s of values) w.append({ s });
    return w.finish();
  };
  const page = (file: Uint8Array, at: number): { header: TStruct; body: number[] } => {
    const { value, end } = decodeStruct(file, at);
    const size = field(value, 3);
    const n = size?.t === 'i32' ? size.v : 0;
    return { header: value, body: [...file.subarray(end, end + n)] };
  };
  const i32s = (s: TStruct | undefined, ids: number[]): (number | undefined)[] =>
    ids.map((id) => {
      const f = s === undefined ? undefined : field(s, id);
      return f?.t === 'i32' ? f.v : undefined;
    });
  const sub = (s: TStruct, id: number): TStruct | undefined => {
    const f = field(s, id);
    return f?.t === 'struct' ? f.v : undefined;
  };

  it('writes a PLAIN dictionary page in first-seen order and RLE_DICTIONARY indices (bytes by hand)', async () => {
    const file = write(['b', 'a', 'b', 'b']);
    const chunk = footerOf(file).rowGroups[0]?.columns[0];
    assert.ok(chunk !== undefined);
    assert.equal(chunk.dictionaryPageOffset, 4);
    assert.deepEqual(chunk.encodings, [0, 8]);
    const dict = page(file, 4);
    assert.deepEqual(i32s(dict.header, [1, 2, 3]), [2, 10, 10]);
    assert.deepEqual(i32s(sub(dict.header, 7), [1, 2]), [2, 0]);
    assert.deepEqual(dict.body, [1, 0, 0, 0, 0x62, 1, 0, 0, 0, 0x61]);
    const data = page(file, chunk.dataPageOffset);
    assert.deepEqual(i32s(sub(data.header, 5), [1, 2]), [4, 8]);
    // Bit width 1, then one bit-packed group of 8 (header 0x03) holding indices 0 1 0 0.
    assert.deepEqual(data.body, [1, 0x03, 0x02]);
    assert.deepEqual(
      (await query(`SELECT s FROM read_parquet('${save(file)}')`)).map((r) => r['s']),
      ['b', 'a', 'b', 'b'],
    );
    assert.deepEqual(readStringColumn(file, 's'), ['b', 'a', 'b', 'b']);
  });

  it('writes a chunk PLAIN when its first page is no smaller with a dictionary (unique values)', () => {
    const values = Array.from({ length: 500 }, (_, i) => `id-${i}`);
    const chunk = footerOf(write(values)).rowGroups[0]?.columns[0];
    assert.equal(chunk?.dictionaryPageOffset, undefined);
    assert.deepEqual(chunk?.encodings, [0]);
  });

  it('falls back to PLAIN for the rest of a chunk once the dictionary would pass its limit', async () => {
    // Values of 8 PLAIN bytes: 10 repeating over 200 rows, then 100 new ones. The first page of new values
    // (25 of them) would take the dictionary to 280 bytes: it and every later page are PLAIN, and the
    // dictionary keeps exactly the first 10 values.
    const values = Array.from(
      { length: 600 },
      (_, i) => `v${String(i < 200 ? i % 10 : 10 + (i % 100)).padStart(3, '0')}`,
    );
    const file = write(values, { pageSizeBytes: 200, dictionaryPageSizeBytes: 256 });
    const footer = footerOf(file);
    const chunk = footer.rowGroups[0]?.columns[0];
    assert.deepEqual(chunk?.encodings, [0, 8]);
    const { header } = page(file, chunk?.dictionaryPageOffset ?? 0);
    const dictBytes = i32s(header, [2])[0] ?? 0;
    assert.equal(dictBytes, 80);
    // Dictionary pages then PLAIN pages in the first chunk: its encoding_stats count both.
    const md = sub(chunkTrees(rowGroupTree(footer, 0))[0] ?? [], 3) ?? [];
    const stats = field(md, 13);
    assert.ok(stats?.t === 'list');
    const counts = stats.v.map((s) => (s.t === 'struct' ? i32s(s.v, [1, 2, 3]) : []));
    assert.equal(counts.length, 3);
    assert.deepEqual(counts[0], [2, 0, 1]);
    assert.deepEqual(counts[1]?.slice(0, 2), [0, 8]);
    assert.deepEqual(counts[2]?.slice(0, 2), [0, 0]);
    assert.deepEqual(
      (await query(`SELECT s FROM read_parquet('${save(file)}')`)).map((r) => r['s']),
      values,
    );
    assert.deepEqual(readStringColumn(file, 's'), values);
    const kept = filterRows(file, (r) => r % 3 === 1);
    assert.deepEqual(
      (await query(`SELECT s FROM read_parquet('${save(kept.bytes)}')`)).map((r) => r['s']),
      values.filter((_, r) => r % 3 === 1),
    );
  });

  it('writes no dictionary with dictionaryPageSizeBytes 0', () => {
    const chunk = footerOf(write(['a', 'a', 'a'], { dictionaryPageSizeBytes: 0 })).rowGroups[0]?.columns[0];
    assert.equal(chunk?.dictionaryPageOffset, undefined);
    assert.deepEqual(chunk?.encodings, [0]);
  });

  it('writes string min/max DuckDB reads and prunes with, truncated past statisticsTruncateBytes', async () => {
    const long = (c: string): string => c.repeat(100);
    const values = ['m', 'apple', long('z'), 'éclair', long('b'), '', 'zz', long('a'), 'k', 'n'];
    const file = write(values, { rowGroupRows: 4, statisticsTruncateBytes: 16 });
    const path = save(file);
    const stats = await query(
      `SELECT row_group_id AS g, stats_min_value AS min, stats_max_value AS max
       FROM parquet_metadata('${path}') ORDER BY row_group_id`,
    );
    assert.deepEqual(stats, [
      { g: '0', min: 'apple', max: 'éclair' },
      { g: '1', min: '', max: 'zz' },
      { g: '2', min: 'k', max: 'n' },
    ]);
    const footer = footerOf(file);
    // Group 0: the max 'éclair' is exact; group 1's min '' too; long values would be cut to 16 bytes.
    assert.deepEqual(footer.rowGroups[0]?.columns[0]?.statistics?.minValue, Buffer.from('apple'));
    const cut = footerOf(write([long('b'), long('y')], { statisticsTruncateBytes: 16 })).rowGroups[0]
      ?.columns[0]?.statistics;
    assert.deepEqual(cut?.minValue, Buffer.from('b'.repeat(16)));
    assert.deepEqual(cut?.maxValue, Buffer.from(`${'y'.repeat(15)}z`));
    // Pushed-down filters give exactly the rows a scan gives.
    for (const [op, x] of [
      ['>', 'z'],
      ['<', 'b'],
      ['=', long('z')],
      ['>=', 'zz'],
      ['<', 'aaaa'],
    ] as const) {
      const expected = values.filter((v) =>
        op === '>' ? v > x : op === '<' ? Buffer.compare(u(v), u(x)) < 0 : op === '=' ? v === x : v >= x,
      );
      const got = await query(`SELECT s FROM read_parquet('${path}') WHERE s ${op} '${x}' ORDER BY s`);
      assert.deepEqual(
        got.map((r) => r['s']),
        [...expected].sort((a, b) => Buffer.compare(u(a), u(b))),
        `s ${op} ${x}`,
      );
    }
  });
});

const u = (s: string): Buffer => Buffer.from(s, 'utf8');
