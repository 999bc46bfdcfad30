// The compactor and the merger's rewrite on real Parquet files (AdImpression with random values, written by
// the sink's own writer), read back by DuckDB: every row, every column, before and after.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { AdImpression } from '@adlake/events';
import { footerOf } from '@adlake/parquet';
import { PartitionLedger, readLedger } from '../../src/commit/ledger.ts';
import { compactTopic } from '../../src/compact/compactor.ts';
import { readCompactions } from '../../src/compact/compaction.ts';
import { createParquetFileWriter } from '../../src/format/record-writer.ts';
import { mergeTopic } from '../../src/merge/merger.ts';
import { LocalStorage } from '../../src/storage/local.ts';
import { randomValueFactory } from '../format/fixtures.ts';

const DT = '2026-11-20';
const TOPIC = 'adserver.impressions';

function setup(t: { after: (fn: () => void) => void }): { dir: string; storage: LocalStorage } {
  const dir = mkdtempSync(path.join(tmpdir(), 'adlake-compactor-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return { dir, storage: new LocalStorage(dir, { fsync: false }) };
}

const gen = randomValueFactory(AdImpression.schema, 7, { longPool: 50 });

function file(first: number, last: number): Uint8Array {
  const w = createParquetFileWriter({ avroSchema: AdImpression.schema, rowGroupRows: 7 });
  for (let o = first; o <= last; o++) {
    w.append(AdImpression.decode(AdImpression.encode(gen() as never)), {
      topic: TOPIC,
      partition: 0,
      offset: o,
      timestamp: 1_700_000_000_000 + o,
    });
  }
  return w.finish();
}

async function commitAll(storage: LocalStorage, root: string, writer: string, ranges: [number, number][]) {
  const l = new PartitionLedger({ storage, root, topic: TOPIC, partition: 0, writerId: writer });
  await l.recover();
  for (const [from, next] of ranges) {
    await l.commit({
      fromOffset: from,
      nextOffset: next,
      files: [
        { dt: DT, firstOffset: from, lastOffset: next - 1, rows: next - from, bytes: file(from, next - 1) },
      ],
      deadLettered: [],
      skipped: [],
    });
  }
}

/** Every row of the tree as DuckDB reads it (JSON text per row, by offset), and the file count. */
async function rows(dir: string, root: string): Promise<{ rows: string[]; files: number }> {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  try {
    const glob = `${dir}${root}/topic=${TOPIC}/*/*.parquet`;
    const all = await c.runAndReadAll(
      `SELECT to_json(t)::VARCHAR AS j FROM read_parquet('${glob}') t ORDER BY _kafka_offset`,
    );
    const files = await c.runAndReadAll(
      `SELECT count(DISTINCT filename)::INT AS n FROM read_parquet('${glob}', filename = true)`,
    );
    return {
      rows: (all.getRowsJS() as [string][]).map(([j]) => j),
      files: Number(files.getRowsJS()[0]?.[0]),
    };
  } finally {
    c.closeSync();
    db.closeSync();
  }
}

test('compaction joins every settled small file of a day into one; DuckDB reads the same rows, value for value', async (t) => {
  const { dir, storage } = setup(t);
  await commitAll(storage, '/raw', 'sink', [
    [0, 10],
    [10, 30],
    [30, 31],
    [31, 60],
    [60, 70],
  ]);
  const before = await rows(dir, '/raw');
  assert.equal(before.files, 5);
  const report = await compactTopic({ storage, root: '/raw', topic: TOPIC, writerId: 'c', graceMs: 0 });
  // The newest commit stays: the sink's recovery may still need it.
  assert.equal(report.compactions, 1);
  assert.equal(report.inputFiles, 4);
  const after = await rows(dir, '/raw');
  assert.equal(after.files, 2);
  assert.deepEqual(after.rows, before.rows);
  const names = (await storage.list(`/raw/topic=${TOPIC}/dt=${DT}`)).map((e) => e.name);
  assert.deepEqual(names, [
    `${TOPIC}+0+00000000000000000000+00000000000000000059.parquet`,
    `${TOPIC}+0+00000000000000000060+00000000000000000069.parquet`,
  ]);
  // A second pass with more commits joins the next run, not the big file twice.
  const again = await compactTopic({ storage, root: '/raw', topic: TOPIC, writerId: 'c2', graceMs: 0 });
  assert.equal(again.compactions, 0);
  assert.equal((await readCompactions(storage, '/raw', TOPIC, 0)).length, 1);
});

test('the target size bounds a joined file; the grace period leaves fresh files alone', async (t) => {
  const { storage } = setup(t);
  await commitAll(storage, '/raw', 'sink', [
    [0, 20],
    [20, 40],
    [40, 60],
    [60, 80],
    [80, 81],
  ]);
  // What each file adds to a joined one: itself, and its share of the new footer.
  const sizes: number[] = [];
  for (const e of await storage.list(`/raw/topic=${TOPIC}/dt=${DT}`))
    sizes.push(e.length + footerOf(await storage.read(e.path)).footerLength);
  const [a = 0, b = 0, c = 0, d = 0] = sizes;
  // Room for two files, not three: each output joins a pair.
  const target = Math.max(a + b, c + d, b + c) + 1;
  assert.ok(Math.min(a + b + c, b + c + d) > target);
  const fresh = await compactTopic({
    storage,
    root: '/raw',
    topic: TOPIC,
    writerId: 'c',
    graceMs: 3_600_000,
  });
  assert.equal(fresh.compactions, 0);
  const report = await compactTopic({
    storage,
    root: '/raw',
    topic: TOPIC,
    writerId: 'c',
    graceMs: 0,
    targetBytes: target,
  });
  assert.equal(report.compactions, 2);
  for (const e of await storage.list(`/raw/topic=${TOPIC}/dt=${DT}`))
    assert.ok(e.length <= target, `${e.name}: ${e.length} > ${target}`);
});

test('a DR file that straddles production’s end is rewritten to the rows production lacks, values unchanged', async (t) => {
  const { dir, storage } = setup(t);
  await commitAll(storage, '/raw', 'prod', [[0, 25]]);
  await commitAll(storage, '/dr', 'dr', [
    [0, 20],
    [20, 40],
    [40, 50],
  ]);
  const dr = await rows(dir, '/dr');
  const report = await mergeTopic({
    storage,
    productionRoot: '/raw',
    drRoot: '/dr',
    topic: TOPIC,
    writerId: 'm',
    drActive: false,
  });
  assert.equal(report.partitions[0]?.rewrittenFiles, 1);
  const prod = await rows(dir, '/raw');
  // Offsets 0..24 are production's own rows; 25..49 are DR's, byte for byte.
  assert.equal(prod.rows.length, 50);
  assert.deepEqual(prod.rows.slice(25), dr.rows.slice(25));
  const offsets = prod.rows.map((j) => (JSON.parse(j) as { _kafka_offset: number })._kafka_offset);
  assert.deepEqual(
    offsets,
    Array.from({ length: 50 }, (_, i) => i),
  );
  const ledger = (await readLedger(storage, '/raw', TOPIC, 0)).filter((e) => e.fence !== true);
  assert.deepEqual(
    ledger.map((e) => [e.fromOffset, e.nextOffset, e.merged?.seqs ?? []]),
    [
      [0, 25, []],
      [25, 40, [3]],
      [40, 50, [4]],
    ],
  );
});

test('a file left out (here: already large) ends a run: no joined name spans another file’s offsets', async (t) => {
  const { dir, storage } = setup(t);
  await commitAll(storage, '/raw', 'sink', [
    [0, 5],
    [5, 60],
    [60, 65],
    [65, 70],
    [70, 71],
  ]);
  const before = await rows(dir, '/raw');
  const large = (await storage.list(`/raw/topic=${TOPIC}/dt=${DT}`)).find((e) =>
    e.name.includes('+00000000000000000005+'),
  );
  const report = await compactTopic({
    storage,
    root: '/raw',
    topic: TOPIC,
    writerId: 'c',
    graceMs: 0,
    targetBytes: large?.length ?? 0,
  });
  assert.equal(report.compactions, 1);
  const names = (await storage.list(`/raw/topic=${TOPIC}/dt=${DT}`)).map((e) =>
    e.name.split('+').slice(2).join('+'),
  );
  assert.deepEqual(names, [
    '00000000000000000000+00000000000000000004.parquet',
    '00000000000000000005+00000000000000000059.parquet',
    '00000000000000000060+00000000000000000069.parquet',
    '00000000000000000070+00000000000000000070.parquet',
  ]);
  assert.deepEqual((await rows(dir, '/raw')).rows, before.rows);
});
