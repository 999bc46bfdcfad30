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
