// readColumn against the writer's input rows: INT64 as bigint, INT32, strings, booleans, doubles, INT96 and
// fixed bytes, nulls in place, across several row groups of several pages, under every codec.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  COMPRESSIONS,
  ParquetError,
  footerOf,
  int96ToEpochNanos,
  readColumn,
  readStringColumn,
} from '../src/index.ts';
import { randomRows, writeRows } from './fixtures.ts';

const ROWS = randomRows(300, 2);
const code =
  (c: ParquetError['code']) =>
  (e: unknown): boolean =>
    e instanceof ParquetError && e.code === c;

describe('readColumn', () => {
  for (const compression of COMPRESSIONS) {
    it(`reads every top-level primitive column as written (${compression})`, () => {
      const file = writeRows(ROWS, { compression, rowGroupRows: 70, pageSizeBytes: 200 });
      const footer = footerOf(file);
      assert.ok(footer.rowGroups.length > 1);
      assert.deepEqual(
        readColumn(file, 'id', footer),
        ROWS.map((r) => r['id']),
      );
      assert.deepEqual(
        readColumn(file, 'n'),
        ROWS.map((r) => r['n']),
      );
      assert.deepEqual(
        readColumn(file, 'flag'),
        ROWS.map((r) => r['flag']),
      );
      assert.deepEqual(
        readColumn(file, 'score'),
        ROWS.map((r) => r['score']),
      );
      assert.deepEqual(
        readStringColumn(file, 'event_id'),
        ROWS.map((r) => r['event_id']),
      );
      assert.deepEqual(
        readColumn(file, 'hash').map((v) =>
          v === null ? null : Buffer.from(v as Uint8Array).toString('hex'),
        ),
        ROWS.map((r) => (r['hash'] === null ? null : (r['hash'] as Buffer).toString('hex'))),
      );
      assert.deepEqual(
        readColumn(file, 'ts96').map((v) => (v === null ? null : int96ToEpochNanos(v as Uint8Array))),
        ROWS.map((r) => (r['ts96'] === null ? null : BigInt(r['ts96'] as number) * 1_000_000n)),
      );
    });
  }

  it('reads a file without rows as no values', () => {
    assert.deepEqual(readColumn(writeRows([]), 'id'), []);
  });

  it('int96ToEpochNanos: before 1970 and within a day', () => {
    const file = writeRows([
      { ...ROWS[0], ts96: -1 },
      { ...ROWS[0], ts96: 0 },
      { ...ROWS[0], ts96: new Date('1900-01-01T00:00:00.001Z') },
    ]);
    assert.deepEqual(
      readColumn(file, 'ts96').map((v) => int96ToEpochNanos(v as Uint8Array)),
      [-1_000_000n, 0n, BigInt(Date.parse('1900-01-01T00:00:00.001Z')) * 1_000_000n],
    );
  });

  it('refuses unknown, nested and repeated columns', () => {
    const file = writeRows(ROWS.slice(0, 5));
    assert.throws(
      () => readColumn(file, 'nope'),
      (e: unknown) => code('COLUMN_NOT_FOUND')(e) && (e as ParquetError).context.column === 'nope',
    );
    assert.throws(() => readColumn(file, 'tags'), code('UNSUPPORTED'));
    assert.throws(() => readColumn(file, 'device'), code('UNSUPPORTED'));
    assert.throws(() => readStringColumn(file, 'id'), code('UNSUPPORTED'));
  });
});
