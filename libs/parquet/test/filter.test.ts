// filterRows over files with optional, nested, repeated and map columns, several row groups and several
// pages per column, every codec: DuckDB reads exactly the kept rows of the original, keeping every row is
// the original file byte for byte, statistics stay exact, and what the module cannot copy is UNSUPPORTED.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { COMPRESSIONS, ParquetError, filterRows, footerOf, readColumn } from '../src/index.ts';
import { decodeStruct, encodeTree, field, withFields } from '../src/thrift-tree.ts';
import type { TStruct } from '../src/thrift-tree.ts';
import { Duck, randomRows, writeRows } from './fixtures.ts';
import { at } from './fixtures.ts';
import { rng } from './rng.ts';

const duck = new Duck();
before(() => duck.open());
after(() => duck.close());

const ROWS = randomRows(400, 7);
const code =
  (c: ParquetError['code'], column?: string) =>
  (e: unknown): boolean =>
    e instanceof ParquetError && e.code === c && (column === undefined || e.context.column === column);

describe('filterRows', () => {
  for (const compression of COMPRESSIONS) {
    it(`keeps exactly the chosen rows, every value as read by DuckDB (${compression})`, async () => {
      const file = writeRows(ROWS, { compression, rowGroupRows: 90, pageSizeBytes: 256 });
      const footer = footerOf(file);
      assert.ok(footer.rowGroups.length >= 4);
      assert.ok(
        at(footer.rowGroups, 0).columns.some((c) => c.totalCompressedSize > 3 * 256),
        'several pages per chunk',
      );
      const original = await duck.rows(file);
      const r = rng(compression.length);
      for (const density of [0.02, 0.5, 0.97]) {
        const mask = ROWS.map(() => r() < density);
        // A whole row group dropped: it must disappear.
        for (let i = 90; i < 180; i++) mask[i] = false;
        const seen: number[] = [];
        const { bytes, rows } = filterRows(file, (row) => {
          seen.push(row);
          return mask[row] as boolean;
        });
        assert.deepEqual(
          seen,
          ROWS.map((_, i) => i),
          'keep is called once per row, in order',
        );
        const expected = original.filter((_, i) => mask[i]);
        assert.equal(rows, expected.length);
        assert.deepEqual(await duck.rows(bytes), expected);
        const out = footerOf(bytes);
        assert.equal(out.numRows, expected.length);
        assert.ok(
          out.rowGroups.every(
            (g) =>
              g.numRows > 0 &&
              g.columns.every((c) => c.codec === at(at(footer.rowGroups, 0).columns, 0).codec),
          ),
        );
        assert.ok(out.rowGroups.length < footer.rowGroups.length);
        assert.deepEqual(
          out.schema.map((e) => Buffer.from(e.encoded)),
          footer.schema.map((e) => Buffer.from(e.encoded)),
        );
        assert.deepEqual(out.keyValueMetadata, footer.keyValueMetadata);
        assert.equal(out.createdBy, footer.createdBy);
        assert.deepEqual(
          readColumn(bytes, 'id'),
          ROWS.filter((_, i) => mask[i]).map((x) => x['id']),
        );
      }
    });

    it(`keeping every row reproduces the original file byte for byte (${compression})`, () => {
      const file = writeRows(ROWS, { compression, rowGroupRows: 90, pageSizeBytes: 256 });
      assert.deepEqual(Buffer.from(filterRows(file, () => true).bytes), Buffer.from(file));
    });
  }

  it('statistics of rewritten chunks are exact: null counts and min/max of the kept values', async () => {
    const file = writeRows(ROWS, { compression: 'none', rowGroupRows: 1000 });
    const mask = ROWS.map((_, i) => i % 7 === 3);
    const kept = ROWS.filter((_, i) => mask[i]);
    const { bytes } = filterRows(file, (i) => mask[i] as boolean);
    // A file written directly from the kept rows carries the writer's own statistics: they must match.
    const direct = footerOf(writeRows(kept, { compression: 'none', rowGroupRows: 1000 }));
    const out = footerOf(bytes);
    at(out.rowGroups, 0).columns.forEach((c, i) => {
      assert.deepEqual(c.statistics, at(at(direct.rowGroups, 0).columns, i).statistics, c.path.join('.'));
    });
  });

  it('keeping no row gives a valid file with the schema and no row groups', async () => {
    const file = writeRows(ROWS.slice(0, 50), { rowGroupRows: 20 });
    const { bytes, rows } = filterRows(file, () => false);
    assert.equal(rows, 0);
    assert.deepEqual(footerOf(bytes).rowGroups, []);
    assert.deepEqual(await duck.rows(bytes), []);
    assert.deepEqual(Buffer.from(bytes), Buffer.from(writeRows([])));
  });
});

// ---- UNSUPPORTED: files the module must refuse rather than rewrite ------------------------------------------

/** The file with its footer replaced by `edit(footer)`. */
function editFooter(file: Uint8Array, edit: (fm: TStruct) => TStruct): Uint8Array {
  const len = Buffer.from(file).readUInt32LE(file.length - 8);
  const fm = decodeStruct(file, file.length - 8 - len, file.length - 8).value;
  const meta = encodeTree(edit(fm));
  const tail = Buffer.alloc(8);
  tail.writeUInt32LE(meta.length);
  tail.write('PAR1', 4, 'latin1');
  return Buffer.concat([file.subarray(0, file.length - 8 - len), meta, tail]);
}

/** The first chunk's ColumnMetaData replaced by `edit(md)`. */
function editFirstChunk(fm: TStruct, edit: (md: TStruct) => TStruct): TStruct {
  const groups = field(fm, 4) as { t: 'list'; elem: number; v: { t: 'struct'; v: TStruct }[] };
  const rg = at(groups.v, 0).v;
  const chunks = field(rg, 1) as { t: 'list'; elem: number; v: { t: 'struct'; v: TStruct }[] };
  const cc = at(chunks.v, 0).v;
  const md = (field(cc, 3) as { t: 'struct'; v: TStruct }).v;
  const newCc = withFields(cc, { 3: { t: 'struct', v: edit(md) } });
  const newRg = withFields(rg, { 1: { ...chunks, v: [{ t: 'struct', v: newCc }, ...chunks.v.slice(1)] } });
  return withFields(fm, { 4: { ...groups, v: [{ t: 'struct', v: newRg }, ...groups.v.slice(1)] } });
}

/** The first page header's data_page_header (or type) edited in place; the edit must keep its length. */
function editFirstPage(file: Uint8Array, edit: (h: TStruct) => TStruct): Uint8Array {
  const { value, end } = decodeStruct(file, 4);
  const bytes = encodeTree(edit(value));
  assert.equal(bytes.length, end - 4);
  const out = Buffer.from(file);
  out.set(bytes, 4);
  return out;
}

describe('filterRows refuses what it cannot copy exactly', () => {
  const file = writeRows(ROWS.slice(0, 30), { compression: 'snappy' });
  const cases: [string, Uint8Array][] = [
    [
      'a DELTA_BYTE_ARRAY encoding',
      editFooter(file, (fm) =>
        editFirstChunk(fm, (md) => withFields(md, { 2: { t: 'list', elem: 5, v: [{ t: 'i32', v: 7 }] } })),
      ),
    ],
    [
      'an LZ4 codec',
      editFooter(file, (fm) => editFirstChunk(fm, (md) => withFields(md, { 4: { t: 'i32', v: 5 } }))),
    ],
    ['an index page', editFirstPage(file, (h) => withFields(h, { 1: { t: 'i32', v: 1 } }))],
    ['a data page v2', editFirstPage(file, (h) => withFields(h, { 1: { t: 'i32', v: 3 } }))],
    [
      'DELTA_BINARY_PACKED values',
      editFirstPage(file, (h) => {
        const dph = (field(h, 5) as { t: 'struct'; v: TStruct }).v;
        return withFields(h, { 5: { t: 'struct', v: withFields(dph, { 2: { t: 'i32', v: 5 } }) } });
      }),
    ],
  ];
  for (const [name, bad] of cases) {
    it(`${name}: UNSUPPORTED naming the column`, () => {
      assert.throws(() => filterRows(bad, () => true), code('UNSUPPORTED', 'id'));
    });
  }

  it('an encrypted file: UNSUPPORTED', () => {
    const enc = editFooter(file, (fm) => withFields(fm, { 8: { t: 'struct', v: [] } }));
    assert.throws(() => filterRows(enc, () => true), code('UNSUPPORTED'));
  });

  it('a corrupt page header or levels: a ParquetError, never a crash', () => {
    const r = rng(3);
    const f = writeRows(ROWS.slice(0, 60), { compression: 'none', pageSizeBytes: 100 });
    for (let k = 0; k < 300; k++) {
      const bad = Buffer.from(f);
      const i = 4 + Math.floor(r() * 200);
      bad[i] = (bad[i] as number) ^ (1 + Math.floor(r() * 255));
      try {
        filterRows(bad, () => true);
      } catch (error) {
        assert.ok(error instanceof ParquetError, String(error));
      }
    }
  });
});
