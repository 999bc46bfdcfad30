// The mirrored merge on real Parquet files: DR rows whose event id production already has are dropped, the
// rest land beside production's files under the DR topic's name, and nothing is merged before production
// has moved past it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AdImpression } from '@adlake/events';
import { readStringColumn } from '@adlake/parquet';
import { PartitionLedger, readLedger } from '../../src/commit/ledger.ts';
import { createParquetFileWriter } from '../../src/format/record-writer.ts';
import { mergeMirroredTopic, readMirrorMerges } from '../../src/merge/mirror.ts';
import { LocalStorage } from '../../src/storage/local.ts';
import { randomValueFactory } from '../format/fixtures.ts';

const DT = '2026-11-20';
const TOPIC = 'adserver.impressions';
const MIRROR = 'primary.adserver.impressions';
const gen = randomValueFactory(AdImpression.schema, 3);

function setup(t: { after: (fn: () => void) => void }): LocalStorage {
  const dir = mkdtempSync(path.join(tmpdir(), 'adlake-mirror-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return new LocalStorage(dir, { fsync: false });
}

/** A file of events with the given ids; offsets from `first`, Kafka timestamps `ts(offset)`. */
function file(topic: string, first: number, ids: readonly string[], ts: (o: number) => number): Uint8Array {
  const w = createParquetFileWriter({ avroSchema: AdImpression.schema });
  ids.forEach((id, i) => {
    const value = AdImpression.decode(AdImpression.encode(gen() as never)) as unknown as Record<
      string,
      unknown
    >;
    value['event_id'] = id;
    w.append(value, { topic, partition: 0, offset: first + i, timestamp: ts(first + i) });
  });
  return w.finish();
}

async function commit(
  s: LocalStorage,
  root: string,
  topic: string,
  batches: { ids: string[]; ts: (o: number) => number }[],
) {
  const l = new PartitionLedger({ storage: s, root, topic, partition: 0, writerId: `w-${root}` });
  await l.recover();
  let from = 0;
  for (const b of batches) {
    const next = from + b.ids.length;
    const times = b.ids.map((_, i) => b.ts(from + i));
    await l.commit({
      fromOffset: from,
      nextOffset: next,
      files: [
        {
          dt: DT,
          firstOffset: from,
          lastOffset: next - 1,
          rows: b.ids.length,
          bytes: file(topic, from, b.ids, b.ts),
        },
      ],
      deadLettered: [],
      skipped: [],
      timestamps: { min: Math.min(...times), max: Math.max(...times) },
    });
    from = next;
  }
}

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

test('DR rows production has are dropped by event id; the ones it lost are merged and recorded', async (t) => {
  const s = setup(t);
  // Production lost b-* (the primary lost them) and went on with c-*.
  await commit(s, '/raw', TOPIC, [
    { ids: ids('a', 10), ts: (o) => 1000 + o },
    { ids: ids('c', 10), ts: (o) => 5000 + o },
  ]);
  await commit(s, '/dr', MIRROR, [
    { ids: [...ids('a', 10), ...ids('b', 5)], ts: (o) => 1000 + o },
    // MirrorMaker keeps record timestamps: c-i has the timestamp production saw (5010 + i).
    { ids: ids('c', 3), ts: (o) => 4995 + o },
  ]);
  const report = await mergeMirroredTopic({
    storage: s,
    productionRoot: '/raw',
    drRoot: '/dr',
    topic: TOPIC,
    source: MIRROR,
    writerId: 'm',
    drActive: false,
    eventIdField: 'event_id',
    settleMs: 5,
  });
  assert.equal(report.mergedRows, 5);
  assert.equal(report.duplicates, 13);
  const merged = (await s.list(`/raw/topic=${TOPIC}/dt=${DT}`)).filter((e) =>
    e.name.startsWith(`${MIRROR}+`),
  );
  assert.equal(merged.length, 1);
  const bytes = await s.read(merged[0]?.path ?? '');
  assert.deepEqual(readStringColumn(bytes, 'event_id'), ids('b', 5));
  assert.deepEqual(readStringColumn(bytes, '_kafka_topic'), Array(5).fill(MIRROR));
  const records = await readMirrorMerges(s, '/raw', TOPIC, MIRROR, 0);
  assert.deepEqual(
    records.map((r) => [r.drSeq, r.fromOffset, r.nextOffset, r.duplicates]),
    [
      [2, 0, 15, 10],
      [3, 15, 18, 3],
    ],
  );
  // The DR tree is emptied, and a rerun changes nothing.
  assert.deepEqual(await s.list(`/dr/topic=${MIRROR}/dt=${DT}`), []);
  const again = await mergeMirroredTopic({
    storage: s,
    productionRoot: '/raw',
    drRoot: '/dr',
    topic: TOPIC,
    source: MIRROR,
    writerId: 'm2',
    drActive: false,
    eventIdField: 'event_id',
    settleMs: 5,
  });
  assert.equal(again.mergedRows + again.duplicates, 0);
});

test('a DR commit newer than production’s watermark waits: production may still write those events', async (t) => {
  const s = setup(t);
  await commit(s, '/raw', TOPIC, [{ ids: ids('a', 5), ts: (o) => 1000 + o }]);
  await commit(s, '/dr', MIRROR, [
    { ids: ids('a', 5), ts: (o) => 1000 + o },
    { ids: ids('b', 5), ts: (o) => 9000 + o },
  ]);
  const report = await mergeMirroredTopic({
    storage: s,
    productionRoot: '/raw',
    drRoot: '/dr',
    topic: TOPIC,
    source: MIRROR,
    writerId: 'm',
    drActive: false,
    eventIdField: 'event_id',
    settleMs: 0,
  });
  assert.equal(report.duplicates, 5);
  assert.equal(report.mergedRows, 0);
  assert.deepEqual(report.partitions[0]?.waiting, { drSeq: 3, drNewest: 9009, productionWatermark: 1004 });
  // The waiting commit's file is still in the DR tree.
  assert.equal((await readLedger(s, '/dr', MIRROR, 0)).filter((e) => e.fence !== true).length, 2);
  assert.equal((await s.list(`/dr/topic=${MIRROR}/dt=${DT}`)).length, 1);
});
