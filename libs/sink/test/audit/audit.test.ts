import { test } from 'node:test';
import assert from 'node:assert/strict';
import { audit } from '../../src/audit/audit.ts';
import type { LedgerEntry } from '../../src/commit/ledger.ts';

function entry(seq: number, from: number, next: number, extra: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    version: 1,
    topic: 't',
    partition: 0,
    seq,
    fromOffset: from,
    nextOffset: next,
    files: [],
    deadLettered: [],
    skipped: [],
    writer: 'w',
    committedAt: '',
    ...extra,
  };
}
const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

test('every offset exactly once: one committed range, no duplicates, no holes, rows per day', () => {
  const report = audit({
    topic: 't',
    files: [
      { path: 'a', dt: '2026-11-22', partition: 0, offsets: [0, 2, 4] },
      { path: 'b', dt: '2026-11-23', partition: 0, offsets: [1, 3, 5, 6] },
      { path: 'c', dt: '2026-11-23', partition: 1, offsets: range(0, 9) },
    ],
    ledgers: [{ root: '/raw', entries: [entry(1, 0, 7)] }],
  });
  assert.equal(report.ok, true);
  assert.deepEqual(
    report.partitions.map((p) => [p.partition, p.committed, p.rows]),
    [
      [0, [{ from: 0, to: 6 }], 7],
      [1, [{ from: 0, to: 9 }], 10],
    ],
  );
  assert.deepEqual(report.rowsPerDay, { '2026-11-22': 3, '2026-11-23': 14 });
});

test('an offset stored twice is a duplicate, naming the offset and how often', () => {
  const report = audit({
    topic: 't',
    files: [
      { path: 'a', dt: 'd', partition: 0, offsets: range(0, 10) },
      { path: 'b', dt: 'd', partition: 0, offsets: range(8, 12) },
    ],
    ledgers: [],
  });
  assert.equal(report.ok, false);
  const [p] = report.partitions;
  assert.equal(p?.duplicateCount, 3);
  assert.deepEqual(p?.duplicates, [
    { offset: 8, count: 2 },
    { offset: 9, count: 2 },
    { offset: 10, count: 2 },
  ]);
});

test('a missing run of offsets is a hole, unless the ledger records it as dead-lettered or skipped', () => {
  const files = [
    { path: 'a', dt: 'd', partition: 0, offsets: range(0, 4) },
    { path: 'b', dt: 'd', partition: 0, offsets: range(8, 9) },
    { path: 'c', dt: 'd', partition: 0, offsets: range(20, 21) },
  ];
  const bare = audit({ topic: 't', files, ledgers: [] });
  assert.deepEqual(bare.partitions[0]?.holes, [
    { from: 5, to: 7 },
    { from: 10, to: 19 },
  ]);
  assert.equal(bare.ok, false);

  const explained = audit({
    topic: 't',
    files,
    ledgers: [
      {
        root: '/raw',
        entries: [
          entry(1, 0, 10, { deadLettered: [{ from: 5, to: 7, reason: 'DECODE_FAILED' }] }),
          entry(2, 10, 22, { skipped: [{ from: 10, to: 19, reason: 'OFFSET_OUT_OF_RANGE' }] }),
        ],
      },
    ],
  });
  assert.equal(explained.ok, true);
  assert.deepEqual(explained.partitions[0]?.committed, [{ from: 0, to: 21 }]);
  assert.equal(explained.partitions[0]?.deadLettered, 3);
  assert.equal(explained.partitions[0]?.skipped, 10);
});

test('a ledger entry that does not continue its predecessor is reported with its root', () => {
  const report = audit({
    topic: 't',
    files: [{ path: 'a', dt: 'd', partition: 0, offsets: range(0, 9) }],
    ledgers: [
      { root: '/raw', entries: [entry(2, 6, 10), entry(1, 0, 5)] },
      { root: '/dr', entries: [entry(1, 0, 10)] },
    ],
  });
  assert.deepEqual(report.partitions[0]?.ledgerBreaks, ['/raw: #2 starts at 6 but #1 ended before 5']);
  assert.equal(report.ok, false);
});

const file = (path: string, first: number, last: number, length: number) => ({
  path,
  temp: `${path}.tmp`,
  dt: 'd',
  firstOffset: first,
  lastOffset: last,
  rows: last - first + 1,
  length,
});

test('every file a commit names must be stored with its length and row count; fences are skipped', () => {
  const ledgers = [
    {
      root: '/raw',
      entries: [
        entry(1, 0, 0, { fence: true }),
        entry(2, 0, 10, {
          files: [
            file('/raw/topic=t/dt=d/t+0+0+4.parquet', 0, 4, 100),
            file('/raw/topic=t/dt=d/t+0+5+9.parquet', 5, 9, 120),
          ],
        }),
        entry(3, 10, 10, { fence: true }),
        entry(4, 10, 13, { files: [file('/raw/topic=t/dt=d/t+0+10+12.parquet', 10, 12, 90)] }),
      ],
    },
  ];
  const files = [
    { path: '/raw/topic=t/dt=d/t+0+0+4.parquet', dt: 'd', partition: 0, offsets: range(0, 4) },
    { path: '/raw/topic=t/dt=d/t+0+5+9.parquet', dt: 'd', partition: 0, offsets: range(5, 8) },
  ];
  const report = audit({
    topic: 't',
    files,
    ledgers,
    stored: [
      { path: '/raw/topic=t/dt=d/t+0+0+4.parquet', length: 100 },
      { path: '/raw/topic=t/dt=d/t+0+5+9.parquet', length: 120 },
    ],
  });
  assert.equal(report.ok, false);
  assert.deepEqual(report.partitions[0]?.ledgerBreaks, [], 'fences do not break the chain');
  assert.deepEqual(report.partitions[0]?.missingFiles, [
    '/raw/topic=t/dt=d/t+0+5+9.parquet (ledger #2): 4 rows, the ledger says 5',
    '/raw/topic=t/dt=d/t+0+10+12.parquet (ledger #4): missing',
  ]);
  const resized = audit({
    topic: 't',
    files: files.slice(0, 1),
    ledgers: [
      {
        root: '/raw',
        entries: [entry(1, 0, 5, { files: [file('/raw/topic=t/dt=d/t+0+0+4.parquet', 0, 4, 100)] })],
      },
    ],
    stored: [{ path: '/dr/topic=t/dt=d/t+0+0+4.parquet', length: 99 }],
  });
  assert.deepEqual(resized.partitions[0]?.missingFiles, [
    '/raw/topic=t/dt=d/t+0+0+4.parquet (ledger #1): 99 bytes, the ledger says 100',
  ]);
});

test('held against Kafka: a missing start is a hole, the uncommitted tail is lag, and too much lag fails', () => {
  const base = {
    topic: 't',
    files: [{ path: 'a', dt: 'd', partition: 0, offsets: range(5, 9) }],
    ledgers: [{ root: '/raw', entries: [entry(1, 5, 10)] }],
  };
  const behind = audit({
    ...base,
    kafka: new Map([
      [0, { low: 5, high: 25 }],
      [1, { low: 0, high: 3 }],
    ]),
  });
  assert.equal(behind.ok, true, 'lag alone is not a failure without a limit');
  assert.deepEqual(
    behind.partitions.map((p) => [p.partition, p.lag, p.holes]),
    [
      [0, 15, []],
      [1, 3, []],
    ],
    'partition 1 has nothing committed yet: all of it is lag',
  );
  assert.equal(audit({ ...base, kafka: new Map([[0, { low: 5, high: 25 }]]), maxLag: 14 }).ok, false);
  const gap = audit({ ...base, kafka: new Map([[0, { low: 2, high: 10 }]]) });
  assert.equal(gap.ok, false);
  assert.deepEqual(
    gap.partitions[0]?.holes,
    [{ from: 2, to: 4 }],
    'Kafka still has 2..4 and nothing accounts for them',
  );
});

test('offsets accounted for past Kafka’s end fail the audit: the topic was made again, or the root is another cluster’s', () => {
  const base = {
    topic: 't',
    files: [{ path: 'a', dt: 'd', partition: 0, offsets: range(0, 9) }],
    ledgers: [{ root: '/raw', entries: [entry(1, 0, 10)] }],
  };
  // Kafka ends exactly where the ledger does: all of it is real.
  const exact = audit({ ...base, kafka: new Map([[0, { low: 0, high: 10 }]]) });
  assert.equal(exact.ok, true);
  assert.equal(exact.partitions[0]?.beyondKafka, undefined);
  // A recreated topic holding 4 records: offsets 4..9 in the tree were never written by this log.
  const recreated = audit({ ...base, kafka: new Map([[0, { low: 0, high: 4 }]]) });
  assert.equal(recreated.ok, false);
  assert.deepEqual(recreated.partitions[0]?.beyondKafka, { from: 4, to: 9 });
});
