// @adlake/parquet's filterRows and concatFiles checked by independent witnesses: files written by the sink's
// real writer (AdImpression from the simulator, with its maps, arrays of records and optional values, plus
// the Kafka lineage columns, INT64 and Hive-2 INT96 timestamps, every codec), then pyarrow must read the
// concatenation as pa.concat_tables of the inputs and the filtered file as table.filter(mask) of the
// original, column for column, and DuckDB must count the rows. No Kafka or HDFS needed.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { AdImpression } from '@adlake/events';
import {
  COMPRESSIONS,
  concatFiles,
  filterRows,
  footerOf,
  readColumn,
  readStringColumn,
} from '@adlake/parquet';
import type { Compression } from '@adlake/parquet';
import { createParquetFileWriter } from '@adlake/sink';
import type { TimestampStorage } from '@adlake/sink';
import { AdServerSimulator } from '@adlake/simulator';
import { runPython } from '../support/python.ts';

const dir = mkdtempSync(join(tmpdir(), 'adlake-parquet-surgery-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let seq = 0;
function save(bytes: Uint8Array): string {
  const path = join(dir, `f${++seq}.parquet`);
  writeFileSync(path, bytes);
  return path;
}

/** Impressions as the sink decodes them from Kafka, written by the sink's writer with lineage. */
function sinkFile(
  seed: number,
  rows: number,
  options: { compression: Compression; timestamps: TimestampStorage; firstOffset: number },
): { bytes: Uint8Array; offsets: number[] } {
  const sim = new AdServerSimulator({ seed, days: 1, now: Date.UTC(2026, 10, 23) });
  const w = createParquetFileWriter({
    avroSchema: AdImpression.schema,
    compression: options.compression,
    timestamps: options.timestamps,
    rowGroupRows: 60,
    pageSizeBytes: 512,
  });
  const offsets: number[] = [];
  while (w.rows < rows) {
    const e = sim.next();
    if (e.kind !== 'impression') continue;
    const offset = options.firstOffset + w.rows;
    offsets.push(offset);
    // Every fifth record without a Kafka timestamp: a null in _kafka_timestamp.
    const timestamp = offset % 5 === 0 ? null : 1_795_000_000_000 + offset;
    w.append(AdImpression.decode(AdImpression.encode(e.value as never)), {
      topic: 'adserver.impressions',
      partition: 3,
      offset,
      timestamp,
    });
  }
  return { bytes: w.finish(), offsets };
}

interface Verdict {
  equal: boolean;
  rows: number;
  expected_rows: number;
  duckdb_rows: number;
  row_groups: number;
  difference: string | null;
}

async function witness(args: string[]): Promise<Verdict> {
  return JSON.parse(await runPython('parquet_surgery.py', args)) as Verdict;
}

for (const timestamps of ['int64', 'int96'] as const) {
  describe(`sink files with ${timestamps} timestamps`, () => {
    const files = COMPRESSIONS.map((compression, k) =>
      sinkFile(40 + k, 150 + 41 * k, { compression, timestamps, firstOffset: 10_000 * k }),
    );

    it('the files span several row groups of several pages, with nulls in the lineage', () => {
      for (const f of files) {
        const footer = footerOf(f.bytes);
        assert.ok(footer.rowGroups.length >= 3);
        assert.ok((footer.rowGroups[0]?.columns ?? []).some((c) => c.totalUncompressedSize > 3 * 512));
        assert.deepEqual(
          readColumn(f.bytes, '_kafka_offset'),
          f.offsets.map((o) => BigInt(o)),
        );
        const ts = footer.columns.find((c) => c.path[0] === '_kafka_timestamp');
        assert.equal(ts?.type, timestamps === 'int96' ? 'INT96' : 'INT64');
        assert.ok(readColumn(f.bytes, '_kafka_timestamp').some((v) => v === null));
        assert.ok(
          readStringColumn(f.bytes, 'event_id').every((v) => typeof v === 'string' && v.length === 36),
        );
      }
    });

    it('pyarrow reads concatFiles as pa.concat_tables of the inputs; DuckDB counts every row', async () => {
      for (const parts of [files.slice(0, 1), files.slice(0, 2), files]) {
        const inputs = parts.map((f) => save(f.bytes));
        const result = save(concatFiles(parts.map((f) => f.bytes)));
        const v = await witness(['concat', result, ...inputs]);
        assert.equal(v.difference, null);
        assert.ok(v.equal);
        const total = parts.reduce((n, f) => n + f.offsets.length, 0);
        assert.equal(v.rows, total);
        assert.equal(v.duckdb_rows, total);
        assert.equal(
          v.row_groups,
          parts.reduce((n, f) => n + footerOf(f.bytes).rowGroups.length, 0),
        );
      }
    });

    it('pyarrow reads filterRows as table.filter(mask) of the original; DuckDB counts the kept rows', async () => {
      let seed = 7;
      const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      for (const f of files) {
        const input = save(f.bytes);
        for (const keep of [
          (): boolean => random() < 0.5,
          (): boolean => random() < 0.03,
          (row: number): boolean => row >= 60 && row < 120, // exactly one row group
          (): boolean => false,
        ]) {
          const mask = f.offsets.map((_, row) => keep(row));
          const { bytes, rows } = filterRows(f.bytes, (row) => mask[row] as boolean);
          const v = await witness(['filter', save(bytes), input, mask.map((m) => (m ? '1' : '0')).join('')]);
          assert.equal(v.difference, null);
          assert.ok(v.equal);
          assert.equal(v.rows, rows);
          assert.equal(v.duckdb_rows, rows);
          assert.equal(rows, mask.filter(Boolean).length);
        }
      }
    });

    it('pyarrow-written dictionary files: readColumn reads them, filterRows keeps exactly the chosen rows', async () => {
      for (const f of files) {
        const source = save(f.bytes);
        const rewritten = save(new Uint8Array());
        const { rows, encodings } = JSON.parse(
          await runPython('parquet_surgery.py', ['rewrite', rewritten, source]),
        ) as { rows: number; encodings: string[] };
        assert.equal(rows, f.offsets.length);
        // Dictionary pages, and PLAIN pages where a dictionary passed pyarrow's limit.
        assert.ok(encodings.includes('RLE_DICTIONARY') && encodings.includes('PLAIN'), encodings.join());
        const theirs = readFileSync(rewritten);
        assert.ok(footerOf(theirs).rowGroups.some((g) => g.columns.some((c) => c.dictionaryPageOffset)));
        assert.deepEqual(readColumn(theirs, '_kafka_offset'), readColumn(f.bytes, '_kafka_offset'));
        assert.deepEqual(readStringColumn(theirs, 'event_id'), readStringColumn(f.bytes, 'event_id'));
        const mask = f.offsets.map((_, row) => row % 3 !== 1 && row !== 5);
        const kept = filterRows(theirs, (row) => mask[row] as boolean);
        const v = await witness([
          'filter',
          save(kept.bytes),
          rewritten,
          mask.map((m) => (m ? '1' : '0')).join(''),
        ]);
        assert.equal(v.difference, null);
        assert.ok(v.equal);
        assert.equal(v.duckdb_rows, mask.filter(Boolean).length);
      }
    });

    it('filter then concat: compaction that drops duplicates keeps every other value as written', async () => {
      const kept = files.map((f) => filterRows(f.bytes, (row) => row % 3 !== 0).bytes);
      const result = save(concatFiles(kept));
      const v = await witness(['concat', result, ...kept.map(save)]);
      assert.equal(v.difference, null);
      assert.ok(v.equal);
    });
  });
}
