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
import { createParquetWriter, ParquetError } from '../src/index.ts';
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
