// Footer parsing: the model against what the writer was told, reading from a tail with the retry the
// FOOTER_TRUNCATED code asks for, and a clear NOT_PARQUET (never a crash) for garbage and truncated files.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ParquetError, footerOf, readFooter } from '../src/index.ts';
import { FIELDS, randomRows, writeRows } from './fixtures.ts';
import { rng } from './rng.ts';

const ROWS = randomRows(120, 1);
const FILE = writeRows(ROWS, { compression: 'snappy', rowGroupRows: 50, pageSizeBytes: 300 });

const code =
  (c: ParquetError['code']) =>
  (e: unknown): boolean =>
    e instanceof ParquetError && e.code === c && !e.retriable;

describe('footerOf', () => {
  it('models rows, row groups, columns, metadata and created_by as written', () => {
    const f = footerOf(FILE);
    assert.equal(f.numRows, 120);
    assert.deepEqual(
      f.rowGroups.map((g) => g.numRows),
      [50, 50, 20],
    );
    assert.equal(f.createdBy, '@adlake/parquet 0.0.0');
    assert.deepEqual(f.keyValueMetadata, [{ key: 'origin', value: 'fixtures.ts' }]);
    assert.equal(f.schema[0]?.name, 'com.example.Surgery');
    assert.equal(f.schema[0]?.numChildren, FIELDS.length);
    const byPath = new Map(f.columns.map((c) => [c.path.join('.'), c]));
    assert.deepEqual(byPath.get('id'), {
      path: ['id'],
      type: 'INT64',
      maxDefinitionLevel: 0,
      maxRepetitionLevel: 0,
    });
    assert.deepEqual(byPath.get('viewability.list.element.vendor'), {
      path: ['viewability', 'list', 'element', 'vendor'],
      type: 'BYTE_ARRAY',
      maxDefinitionLevel: 3,
      maxRepetitionLevel: 1,
    });
    assert.equal(byPath.get('hash')?.typeLength, 4);
    assert.equal(byPath.get('matrix.list.element.list.element')?.maxRepetitionLevel, 2);
    const chunk = f.rowGroups[0]?.columns[0];
    assert.equal(chunk?.codecName, 'SNAPPY');
    assert.deepEqual(chunk?.encodings, [0]);
    assert.equal(chunk?.numValues, 50);
    assert.equal(chunk?.dataPageOffset, 4);
    assert.equal(chunk?.fileOffset, 4);
    assert.equal(chunk?.statistics?.nullCount, 0);
    assert.equal(Buffer.from(chunk?.statistics?.minValue ?? []).readBigInt64LE(), -5n);
    assert.ok(
      f.rowGroups.every((g) => g.columns.every((c, i) => c.path.join('.') === f.columns[i]?.path.join('.'))),
    );
  });

  it('reads a file with no rows: no row groups', () => {
    const f = footerOf(writeRows([]));
    assert.equal(f.numRows, 0);
    assert.deepEqual(f.rowGroups, []);
  });
});

describe('readFooter', () => {
  it('parses from a tail longer than the footer, as from the whole file', () => {
    const tail = FILE.subarray(FILE.length - 8000);
    const a = readFooter(tail, FILE.length);
    const b = footerOf(FILE);
    assert.deepEqual({ ...a, thrift: undefined }, { ...b, thrift: undefined });
  });

  it('asks for exactly the bytes it needs when the tail is short, then succeeds with them', () => {
    const tail = FILE.subarray(FILE.length - 64);
    let need = 0;
    assert.throws(
      () => readFooter(tail, FILE.length),
      (e: unknown) => {
        assert.ok(e instanceof ParquetError && e.code === 'FOOTER_TRUNCATED');
        need = e.context.needBytes ?? 0;
        return true;
      },
    );
    const len = Buffer.from(FILE).readUInt32LE(FILE.length - 8);
    assert.equal(need, len + 8);
    assert.equal(readFooter(FILE.subarray(FILE.length - need), FILE.length).numRows, 120);
    assert.throws(
      () => readFooter(FILE.subarray(FILE.length - need + 1), FILE.length),
      code('FOOTER_TRUNCATED'),
    );
    assert.throws(
      () => readFooter(FILE.subarray(FILE.length - 3), FILE.length),
      (e: unknown) => e instanceof ParquetError && e.code === 'FOOTER_TRUNCATED' && e.context.needBytes === 8,
    );
  });

  it('refuses what is not Parquet with NOT_PARQUET', () => {
    assert.throws(() => footerOf(Buffer.from('hello, world, this is not parquet')), code('NOT_PARQUET'));
    assert.throws(() => footerOf(new Uint8Array(0)), code('NOT_PARQUET'));
    assert.throws(() => footerOf(Buffer.from('PAR1PAR1')), code('NOT_PARQUET'));
    // Cut anywhere: the tail magic or the footer length no longer fits.
    for (const cut of [1, 8, 100, FILE.length - 13])
      assert.throws(() => footerOf(FILE.subarray(0, FILE.length - cut)), code('NOT_PARQUET'));
    // A footer length larger than the file.
    const bad = Buffer.from(FILE);
    bad.writeUInt32LE(FILE.length, FILE.length - 8);
    assert.throws(() => footerOf(bad), code('NOT_PARQUET'));
    // The head magic is checked when the whole file is at hand.
    const head = Buffer.from(FILE);
    head.write('PAR2', 0, 'latin1');
    assert.throws(() => footerOf(head), code('NOT_PARQUET'));
    // A file truncated at the front (chunk offsets now past the data) is caught by the offset checks.
    assert.throws(
      () => readFooter(FILE.subarray(FILE.length - footerOf(FILE).footerLength - 1000), FILE.length - 1000),
      code('NOT_PARQUET'),
    );
  });

  it('refuses an encrypted footer (PARE) as UNSUPPORTED', () => {
    const enc = Buffer.from(FILE);
    enc.write('PARE', FILE.length - 4, 'latin1');
    assert.throws(() => footerOf(enc), code('UNSUPPORTED'));
  });

  it('throws only ParquetError for any corruption of the footer bytes', () => {
    const r = rng(5);
    const len = Buffer.from(FILE).readUInt32LE(FILE.length - 8);
    for (let k = 0; k < 3000; k++) {
      const bad = Buffer.from(FILE);
      for (let flips = 1 + Math.floor(r() * 3); flips > 0; flips--)
        bad[FILE.length - 8 - 1 - Math.floor(r() * len)] = Math.floor(r() * 256);
      try {
        footerOf(bad);
      } catch (error) {
        assert.ok(error instanceof ParquetError, `flip ${k}: ${String(error)}`);
      }
    }
  });

  it('refuses a fileLength shorter than the tail as OPTION_INVALID', () => {
    assert.throws(() => readFooter(FILE, FILE.length - 1), code('OPTION_INVALID'));
  });
});
