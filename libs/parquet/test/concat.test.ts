// concatFooter / concatFiles: 1..N whole files plus the new footer read by DuckDB as the rows of every part in
// order, offsets shifted so each part's chunks are found, mismatched schemas and metadata refused.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  COMPRESSIONS,
  ParquetError,
  concatFiles,
  concatFooter,
  filterRows,
  footerOf,
  readColumn,
  readFooter,
} from '../src/index.ts';
import { Duck, FIELDS, randomRows, writeRows } from './fixtures.ts';
import { at } from './fixtures.ts';

const duck = new Duck();
before(() => duck.open());
after(() => duck.close());

const code =
  (c: ParquetError['code']) =>
  (e: unknown): boolean =>
    e instanceof ParquetError && e.code === c && !e.retriable;

describe('concatFiles', () => {
  for (const n of [1, 2, 5]) {
    it(`${n} file(s) with different codecs and row group sizes: every row of every part, in order`, async () => {
      const rows = Array.from({ length: n }, (_, k) => randomRows(40 + 37 * k, 100 + k));
      const files = rows.map((r, k) =>
        writeRows(r, {
          compression: COMPRESSIONS[k % COMPRESSIONS.length],
          rowGroupRows: 25 + k,
          pageSizeBytes: 200,
        }),
      );
      const all = concatFiles(files);
      const expected = (await Promise.all(files.map((f) => duck.rows(f)))).flat();
      assert.deepEqual(await duck.rows(all), expected);
      const footer = footerOf(all);
      assert.equal(footer.numRows, expected.length);
      assert.equal(
        footer.rowGroups.length,
        files.reduce((s, f) => s + footerOf(f).rowGroups.length, 0),
      );
      assert.deepEqual(
        readColumn(all, 'id'),
        files.flatMap((f) => readColumn(f, 'id')),
      );
      assert.deepEqual(footer.keyValueMetadata, footerOf(at(files, 0)).keyValueMetadata);
      // The parts are there unchanged, one after the other.
      let start = 0;
      for (const f of files) {
        assert.deepEqual(Buffer.from(all.subarray(start, start + f.length)), Buffer.from(f));
        start += f.length;
      }
      // The result is itself a file the other operations accept.
      assert.equal(filterRows(all, (i) => i % 2 === 0).rows, Math.ceil(expected.length / 2));
    });
  }

  it('includes empty parts (no row groups) and concatenated results', async () => {
    const a = writeRows(randomRows(10, 1));
    const b = concatFiles([a, writeRows([]), a]);
    const c = concatFiles([b, a]);
    assert.equal((await duck.rows(c)).length, 30);
  });
});

describe('concatFooter', () => {
  it('needs only each part footer, read from a tail, and its length', () => {
    const files = [writeRows(randomRows(30, 5)), writeRows(randomRows(20, 6), { compression: 'gzip' })];
    const parts = files.map((f) => ({
      footer: readFooter(f.subarray(f.length - 65536 > 0 ? f.length - 65536 : 0), f.length),
      length: f.length,
    }));
    const z = concatFooter(parts);
    assert.equal(Buffer.from(z.subarray(z.length - 4)).toString('latin1'), 'PAR1');
    assert.equal(Buffer.from(z).readUInt32LE(z.length - 8), z.length - 8);
    assert.deepEqual(
      Buffer.from(z),
      Buffer.from(concatFiles(files).subarray(at(files, 0).length + at(files, 1).length)),
    );
    const footer = footerOf(Buffer.concat([...files, z]));
    const second = at(footer.rowGroups, 1);
    assert.equal(
      at(second.columns, 0).dataPageOffset,
      at(files, 0).length + at(at(footerOf(at(files, 1)).rowGroups, 0).columns, 0).dataPageOffset,
    );
    assert.equal(second.fileOffset, at(files, 0).length + 4);
  });

  it('refuses parts whose schemas differ: SCHEMA_MISMATCH naming the first difference', () => {
    const a = writeRows(randomRows(5, 1));
    const renamed = FIELDS.map((f) => (f.name === 'n' ? { ...f, name: 'm' } : f));
    const b = writeRows(
      randomRows(5, 1).map(({ n, ...rest }) => ({ ...rest, m: n })),
      {},
      renamed,
    );
    assert.throws(
      () => concatFiles([a, b]),
      (e: unknown) => code('SCHEMA_MISMATCH')(e) && /n: name n vs m/.test((e as Error).message),
    );
    const required = FIELDS.map((f) => (f.name === 'n' ? { ...f, optional: false } : f));
    const c = writeRows(
      randomRows(5, 1).map((r) => ({ ...r, n: 1 })),
      {},
      required,
    );
    assert.throws(
      () => concatFiles([a, c]),
      (e: unknown) =>
        code('SCHEMA_MISMATCH')(e) && /n: repetition OPTIONAL vs REQUIRED/.test((e as Error).message),
    );
    const fewer = writeRows(randomRows(5, 1), {}, FIELDS.slice(0, -1));
    assert.throws(() => concatFiles([a, fewer]), code('SCHEMA_MISMATCH'));
  });

  it('refuses parts whose key/value metadata or created_by differ: METADATA_MISMATCH', () => {
    const a = writeRows(randomRows(5, 1));
    const b = writeRows(randomRows(5, 1), { metadata: [{ key: 'origin', value: 'elsewhere' }] });
    assert.throws(
      () => concatFiles([a, b]),
      (e: unknown) => code('METADATA_MISMATCH')(e) && /origin/.test((e as Error).message),
    );
  });

  it('refuses no parts and a length that is not the one the footer was read with', () => {
    assert.throws(() => concatFooter([]), code('OPTION_INVALID'));
    const a = writeRows(randomRows(5, 1));
    assert.throws(
      () => concatFooter([{ footer: footerOf(a), length: a.length + 1 }]),
      code('OPTION_INVALID'),
    );
  });
});
