import { test } from 'node:test';
import assert from 'node:assert/strict';
import { overBudget, PartitionBuffer, rotationDue } from '../../src/buffer/partition-buffer.ts';
import type { Lineage, RecordFileWriter } from '../../src/buffer/partition-buffer.ts';

/** A file writer that keeps JSON lines: enough to see what went where, and sized by its bytes. */
function jsonLines(bytesPerRow = 100): {
  factory: (topic: string, dt: string) => RecordFileWriter;
  seen: Map<string, Lineage[]>;
} {
  const seen = new Map<string, Lineage[]>();
  return {
    seen,
    factory: (_topic, dt) => {
      const rows: string[] = [];
      const lineage: Lineage[] = [];
      seen.set(dt, lineage);
      return {
        append(value, l) {
          rows.push(JSON.stringify(value));
          lineage.push(l);
        },
        get rows() {
          return rows.length;
        },
        get estimatedBytes() {
          return rows.length * bytesPerRow;
        },
        finish: () => new TextEncoder().encode(rows.join('\n')),
      };
    },
  };
}

test('records go to one file per day; the commit request accounts for every offset', async () => {
  const { factory, seen } = jsonLines();
  const b = new PartitionBuffer('ads', 2, 100, factory, 0);
  b.append(100, '2026-11-23', { n: 0 }, 1);
  b.append(101, '2026-11-22', { n: 1 }, 2);
  b.deadLetter(102, 'DECODE_FAILED');
  b.deadLetter(103, 'DECODE_FAILED');
  b.append(104, '2026-11-23', { n: 4 }, 3);
  b.skip(105, 109, 'OFFSET_OUT_OF_RANGE');
  b.append(110, '2026-11-23', { n: 10 }, 4);
  const r = await b.toCommitRequest();
  assert.equal(r.fromOffset, 100);
  assert.equal(r.nextOffset, 111);
  assert.deepEqual(
    r.files.map((f) => [f.dt, f.firstOffset, f.lastOffset, f.rows]),
    [
      ['2026-11-22', 101, 101, 1],
      ['2026-11-23', 100, 110, 3],
    ],
  );
  assert.deepEqual(r.deadLettered, [{ from: 102, to: 103, reason: 'DECODE_FAILED' }]);
  assert.deepEqual(r.skipped, [{ from: 105, to: 109, reason: 'OFFSET_OUT_OF_RANGE' }]);
  assert.deepEqual(
    seen.get('2026-11-23')?.map((l) => [l.offset, l.timestamp, l.partition]),
    [
      [100, 1, 2],
      [104, 3, 2],
      [110, 4, 2],
    ],
  );
});

test('an offset out of order is refused instead of silently reordering or skipping', () => {
  const b = new PartitionBuffer('ads', 0, 5, jsonLines().factory, 0);
  b.append(5, 'd', {}, 0);
  assert.throws(() => b.append(7, 'd', {}, 0), /got offset 7 where 6 was due/);
  assert.throws(() => b.append(5, 'd', {}, 0), /got offset 5 where 6 was due/);
});

test('rotation is due by records, by file bytes, by the interval, and never for an empty buffer', () => {
  const policy = { maxRecords: 3, maxFileBytes: 250, intervalMs: 1000 };
  const fresh = new PartitionBuffer('t', 0, 0, jsonLines(10).factory, 0);
  assert.equal(rotationDue(fresh, policy, 10_000), undefined, 'empty: nothing to close, however old');
  fresh.append(0, 'd', {}, 0);
  assert.equal(rotationDue(fresh, policy, 999), undefined);
  assert.equal(rotationDue(fresh, policy, 1000), 'interval');
  fresh.deadLetter(1, 'x');
  fresh.deadLetter(2, 'x');
  assert.equal(rotationDue(fresh, policy, 0), 'records');
  const big = new PartitionBuffer('t', 1, 0, jsonLines(200).factory, 0);
  big.append(0, 'a', {}, 0);
  big.append(1, 'b', {}, 0);
  assert.equal(rotationDue(big, policy, 0), undefined, 'two files of 200 bytes: neither reaches 250');
  big.append(2, 'a', {}, 0);
  assert.equal(rotationDue(big, policy, 0), 'records');
});

test('over the memory budget, the largest buffers are chosen until the total is back under the target', () => {
  const sized = (rows: number): PartitionBuffer => {
    const b = new PartitionBuffer('t', rows, 0, jsonLines(100).factory, 0);
    for (let i = 0; i < rows; i++) b.append(i, 'd', {}, 0);
    return b;
  };
  const buffers = [sized(1), sized(5), sized(3), new PartitionBuffer('t', 99, 0, jsonLines().factory, 0)];
  assert.deepEqual(overBudget(buffers, 1000), [], 'total 900 is under the budget');
  assert.deepEqual(
    overBudget(buffers, 800, 400).map((b) => b.partition),
    [5],
  );
  assert.deepEqual(
    overBudget(buffers, 800, 200).map((b) => b.partition),
    [5, 3],
  );
});
