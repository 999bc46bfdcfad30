import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RecordFileWriter } from '../../src/buffer/partition-buffer.ts';
import { readLedger } from '../../src/commit/ledger.ts';
import { SinkTask } from '../../src/engine/sink-task.ts';
import type { DeadLetter, SinkRecord, SinkTaskOptions } from '../../src/engine/sink-task.ts';
import { DailyPartitioner } from '../../src/partition/daily.ts';
import { LocalStorage } from '../../src/storage/local.ts';
import type { Storage } from '../../src/storage/storage.ts';

const ROOT = '/lake';
const DAY = Date.UTC(2026, 10, 23);

/** Values are JSON `{ "t": <ms> }`; a value of `bad` cannot be decoded. Files hold JSON lines of offsets. */
function options(
  storage: Storage,
  overrides: Partial<SinkTaskOptions> = {},
): SinkTaskOptions & { letters: DeadLetter[] } {
  const letters: DeadLetter[] = [];
  const partitioner = new DailyPartitioner({ timestampField: 't', timezone: 'UTC' });
  return {
    letters,
    storage,
    root: ROOT,
    writerId: 'w1',
    decode: (_topic, value) => {
      const text = value?.toString() ?? '';
      if (text === 'bad') return { ok: false, code: 'DECODE_FAILED', reason: 'not JSON' };
      return { ok: true, value: JSON.parse(text) as unknown };
    },
    deadLetter: async (l) => {
      letters.push(...l);
    },
    place: (_topic, value, ts) => partitioner.place(value, ts),
    newWriter: (): RecordFileWriter => {
      const offsets: number[] = [];
      return {
        append: (_v, lineage) => offsets.push(lineage.offset),
        get rows() {
          return offsets.length;
        },
        get estimatedBytes() {
          return offsets.length * 100;
        },
        finish: () => new TextEncoder().encode(offsets.join('\n')),
      };
    },
    rotation: { maxRecords: 1000, maxFileBytes: 1 << 30, intervalMs: 60_000 },
    memoryBudgetBytes: 1 << 30,
    lowWatermark: async () => 0,
    log: { info: () => undefined, warn: () => undefined, error: () => undefined },
    retry: { initialDelayMs: 1, maxDelayMs: 5 },
    ...overrides,
  };
}

function records(
  from: number,
  to: number,
  value: (o: number) => string = (o) => JSON.stringify({ t: DAY + o }),
): SinkRecord[] {
  return Array.from({ length: to - from + 1 }, (_, i) => ({
    offset: from + i,
    timestamp: DAY,
    key: null,
    value: Buffer.from(value(from + i)),
    headers: {},
  }));
}

async function storedOffsets(storage: Storage, partition?: number): Promise<number[]> {
  const out: number[] = [];
  for (const day of await storage.list(`${ROOT}/topic=ads`)) {
    for (const f of await storage.list(day.path)) {
      if (partition !== undefined && !f.name.startsWith(`ads+${partition}+`)) continue;
      out.push(
        ...new TextDecoder()
          .decode(await storage.read(f.path))
          .split('\n')
          .map(Number),
      );
    }
  }
  return out.sort((a, b) => a - b);
}

function setup(t: { after: (fn: () => void) => void }): Storage {
  const dir = mkdtempSync(path.join(tmpdir(), 'adlake-task-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return new LocalStorage(dir, { fsync: false });
}

test('a restarted task skips what was committed and continues, so every offset is stored once', async (t) => {
  const storage = setup(t);
  const first = new SinkTask(
    options(storage, { rotation: { maxRecords: 10, maxFileBytes: 1 << 30, intervalMs: 60_000 } }),
  );
  assert.equal(await first.assign('ads', 0), null);
  await first.process('ads', 0, records(0, 24)); // commits at 10 and 20 offsets; 20..24 stay buffered
  // Crash: the buffered 20..24 are lost with the process. The consumer replays from Kafka's offset 0.
  const second = new SinkTask(
    options(storage, {
      writerId: 'w2',
      rotation: { maxRecords: 10, maxFileBytes: 1 << 30, intervalMs: 60_000 },
    }),
  );
  assert.equal(await second.assign('ads', 0), 20);
  await second.process('ads', 0, records(0, 29));
  assert.equal(second.stats.skippedAlreadyCommitted, 20);
  await second.flushAll();
  assert.deepEqual(
    await storedOffsets(storage),
    Array.from({ length: 30 }, (_, i) => i),
  );
});

test('undecodable and untimed records are dead-lettered, counted, and accounted for in the ledger', async (t) => {
  const storage = setup(t);
  const o = options(storage);
  const task = new SinkTask(o);
  await task.assign('ads', 0);
  const batch = records(0, 4).map((r) =>
    r.offset === 1
      ? { ...r, value: Buffer.from('bad') }
      : r.offset === 3
        ? { ...r, value: Buffer.from('{}'), timestamp: -1 }
        : r,
  );
  await task.process('ads', 0, batch);
  await task.flushAll();
  assert.deepEqual(
    o.letters.map((l) => [l.record.offset, l.code]),
    [
      [1, 'DECODE_FAILED'],
      [3, 'NO_TIMESTAMP'],
    ],
  );
  assert.equal(task.stats.deadLettered, 2);
  const [entry] = (await readLedger(storage, ROOT, 'ads', 0)).filter((e) => e.fence !== true);
  assert.deepEqual(entry?.deadLettered, [
    { from: 1, to: 1, reason: 'DECODE_FAILED' },
    { from: 3, to: 3, reason: 'NO_TIMESTAMP' },
  ]);
  assert.deepEqual(await storedOffsets(storage), [0, 2, 4]);
});

test('a record without its own time is placed by the Kafka timestamp, and that is counted', async (t) => {
  const storage = setup(t);
  const task = new SinkTask(options(storage));
  await task.assign('ads', 0);
  await task.process('ads', 0, [
    { offset: 0, timestamp: Date.UTC(2026, 0, 2), key: null, value: Buffer.from('{}'), headers: {} },
  ]);
  await task.flushAll();
  assert.equal(task.stats.timestampFromKafka, 1);
  assert.deepEqual(
    (await storage.list(`${ROOT}/topic=ads`)).map((e) => e.name),
    ['dt=2026-01-02'],
  );
});

test('offsets Kafka no longer has are recorded as a gap; offsets it still has make the consumer seek back', async (t) => {
  const storage = setup(t);
  let low = 0;
  const task = new SinkTask(options(storage, { lowWatermark: async () => low }));
  await task.assign('ads', 0);
  await task.process('ads', 0, records(0, 4));
  assert.deepEqual(
    await task.process('ads', 0, records(8, 9)),
    { seekTo: 5 },
    'Kafka still has 5..7: read them',
  );
  low = 8;
  assert.deepEqual(await task.process('ads', 0, records(8, 9)), {});
  await task.flushAll();
  const [entry] = (await readLedger(storage, ROOT, 'ads', 0)).filter((e) => e.fence !== true);
  assert.deepEqual(entry?.skipped, [{ from: 5, to: 7, reason: 'OFFSET_OUT_OF_RANGE' }]);
  assert.equal(entry?.nextOffset, 10);
});

/** Storage whose next `outage.failures` writes fail as HDFS in safe mode does (retriable). */
function safeModeFor(storage: Storage, outage: { failures: number }): Storage {
  return new Proxy(storage, {
    get(target, prop) {
      const value = Reflect.get(target, prop) as unknown;
      if (prop === 'writeFile') {
        return async (p: string, b: Uint8Array) => {
          if (outage.failures-- > 0)
            throw Object.assign(new Error('HDFS is in safe mode'), { retriable: true });
          return target.writeFile(p, b);
        };
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

test('a storage outage stalls the commit and retries until it works, losing and skipping nothing', async (t) => {
  const storage = setup(t);
  const outage = { failures: 0 };
  const flaky = safeModeFor(storage, outage);
  const task = new SinkTask(
    options(flaky, { rotation: { maxRecords: 5, maxFileBytes: 1 << 30, intervalMs: 60_000 } }),
  );
  await task.assign('ads', 0);
  outage.failures = 3;
  await task.process('ads', 0, records(0, 4));
  assert.equal(task.stats.commitFailures, 3);
  assert.equal(task.stats.commits, 1);
  assert.deepEqual(await storedOffsets(storage), [0, 1, 2, 3, 4]);
});

test('a failure that will not pass by itself is still retried, but logged as an error for an operator', async (t) => {
  const storage = setup(t);
  let failures = 0;
  const denied = new Proxy(storage, {
    get(target, prop) {
      const value = Reflect.get(target, prop) as unknown;
      if (prop === 'writeFile') {
        return async (p: string, b: Uint8Array) => {
          if (failures-- > 0) {
            throw Object.assign(new Error('Permission denied'), { retriable: false, code: 'STORAGE_FAILED' });
          }
          return target.writeFile(p, b);
        };
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const logged: { level: string; event: string; fields: Record<string, unknown> }[] = [];
  const log = (level: string) => (event: string, fields: Record<string, unknown>) =>
    void logged.push({ level, event, fields });
  const task = new SinkTask({
    ...options(denied, { rotation: { maxRecords: 5, maxFileBytes: 1 << 30, intervalMs: 60_000 } }),
    log: { info: () => undefined, warn: log('warn'), error: log('error') },
  });
  await task.assign('ads', 0);
  failures = 2;
  await task.process('ads', 0, records(0, 4));
  assert.equal(task.stats.commits, 1);
  assert.equal(task.stats.commitFailures, 2);
  assert.deepEqual(
    logged.map(({ level, event, fields }) => [
      level,
      event,
      fields['attempt'],
      fields['transient'],
      fields['code'],
    ]),
    [
      ['error', 'commit.failed', 1, false, 'STORAGE_FAILED'],
      ['error', 'commit.failed', 2, false, 'STORAGE_FAILED'],
    ],
  );
  for (const { fields } of logged) {
    assert.equal(fields['topic'], 'ads');
    assert.equal(fields['partition'], 0);
    assert.match(String(fields['message']), /Permission denied/);
    const delayMs = fields['delayMs'];
    assert.ok(typeof delayMs === 'number' && delayMs >= 0 && delayMs <= 5, `delayMs ${String(delayMs)}`);
  }
  assert.deepEqual(await storedOffsets(storage), [0, 1, 2, 3, 4]);
});

test('a backoff that cannot work is refused when the task is built, naming the setting', (t) => {
  const storage = setup(t);
  assert.throws(() => new SinkTask(options(storage, { retry: { multiplier: 0 } })), {
    name: 'SinkError',
    code: 'CONFIG_INVALID',
    context: { configKey: 'retry.multiplier' },
  });
});

test('the timer closes an idle partition once its interval has passed', async (t) => {
  const storage = setup(t);
  let now = 0;
  const task = new SinkTask(
    options(storage, {
      now: () => now,
      rotation: { maxRecords: 1000, maxFileBytes: 1 << 30, intervalMs: 1000 },
    }),
  );
  await task.assign('ads', 0);
  await task.process('ads', 0, records(0, 2));
  await task.tick();
  assert.equal(task.stats.commits, 0);
  now = 1000; // no new records arrive
  await task.tick();
  assert.equal(task.stats.commits, 1);
  assert.deepEqual(await storedOffsets(storage), [0, 1, 2]);
});

test('over the memory budget, the largest partition is committed first', async (t) => {
  const storage = setup(t);
  const committed: number[] = [];
  const task = new SinkTask(options(storage, { memoryBudgetBytes: 1500 }));
  task.onCommit = (entry) => {
    committed.push(entry.partition);
  };
  await task.assign('ads', 0);
  await task.assign('ads', 1);
  await task.process('ads', 0, records(0, 3)); // 400 bytes
  await task.process('ads', 1, records(0, 9)); // 1000 bytes: total 1400
  assert.deepEqual(committed, []);
  await task.process('ads', 0, records(4, 5)); // total 1600 > 1500: partition 1 is the largest
  assert.deepEqual(committed, [1]);
});

test('regression: a batch racing the rebalance callback waits for recovery instead of restarting at offset 0', async (t) => {
  const storage = setup(t);
  const first = new SinkTask(options(storage));
  await first.assign('ads', 1);
  await first.process('ads', 1, records(0, 9));
  await first.flushAll();
  // A new process: the group callback and the first fetched batch (replayed from 0) arrive together.
  const second = new SinkTask(options(storage, { writerId: 'w2' }));
  // The callback starts recovery first; the batch must queue behind it, not see an unrecovered ledger.
  const [seekFromJoin] = await Promise.all([
    second.assign('ads', 1),
    second.process('ads', 1, records(0, 11)),
    second.assign('ads', 1),
  ]);
  assert.equal(seekFromJoin, 10);
  assert.equal(second.stats.skippedAlreadyCommitted, 10);
  await second.flushAll();
  assert.deepEqual(
    await storedOffsets(storage, 1),
    Array.from({ length: 12 }, (_, i) => i),
  );
});

test('a commit waiting out a storage outage keeps heartbeating through each backoff, not only after it', async (t) => {
  const storage = setup(t);
  const outage = { failures: 0 };
  const flaky = safeModeFor(storage, outage);
  let beats = 0;
  let failingDuringOutage: number | undefined;
  const task: SinkTask = new SinkTask({
    ...options(flaky, { rotation: { maxRecords: 5, maxFileBytes: 1 << 30, intervalMs: 60_000 } }),
    retry: { initialDelayMs: 200, maxDelayMs: 200 },
    heartbeatEveryMs: 10,
    heartbeat: async () => {
      beats++;
      failingDuringOutage ??= task.failingSince;
    },
  });
  await task.assign('ads', 0);
  outage.failures = 1;
  await task.process('ads', 0, records(0, 4));
  assert.equal(task.stats.commits, 1);
  // One backoff of 100 to 200 ms in 10 ms slices.
  assert.ok(beats >= 9, `${beats} heartbeats`);
  assert.ok(failingDuringOutage !== undefined, 'the outage is visible while it lasts');
  assert.equal(task.failingSince, undefined, 'and cleared by the successful commit');
});

test('a slow commit that never fails still heartbeats while it runs', async (t) => {
  const storage = setup(t);
  const slow = new Proxy(storage, {
    get(target, prop) {
      const value = Reflect.get(target, prop) as unknown;
      if (prop === 'writeFile') {
        return async (p: string, b: Uint8Array) => {
          await new Promise((r) => setTimeout(r, 60));
          return target.writeFile(p, b);
        };
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  let beats = 0;
  const task = new SinkTask({
    ...options(slow, { rotation: { maxRecords: 5, maxFileBytes: 1 << 30, intervalMs: 60_000 } }),
    heartbeatEveryMs: 10,
    heartbeat: async () => {
      beats++;
    },
  });
  await task.assign('ads', 0);
  const before = beats;
  await task.process('ads', 0, records(0, 4));
  assert.equal(task.stats.commitFailures, 0);
  assert.ok(beats - before >= 5, `${beats - before} heartbeats during a commit of three slow writes`);
});
