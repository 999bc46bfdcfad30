import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PartitionLedger, readLedger } from '../../src/commit/ledger.ts';
import type { CommitRequest } from '../../src/commit/ledger.ts';
import { SinkError } from '../../src/errors.ts';
import { LocalStorage } from '../../src/storage/local.ts';
import type { Storage } from '../../src/storage/storage.ts';

const ROOT = '/lake';

function setup(t: { after: (fn: () => void) => void }): Storage {
  const dir = mkdtempSync(path.join(tmpdir(), 'adlake-ledger-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return new LocalStorage(dir);
}

function ledger(storage: Storage, writerId = 'w1'): PartitionLedger {
  return new PartitionLedger({ storage, root: ROOT, topic: 'ads', partition: 3, writerId });
}

function request(from: number, next: number, days: Record<string, [number, number]> = {}): CommitRequest {
  return {
    fromOffset: from,
    nextOffset: next,
    files: Object.entries(days).map(([dt, [first, last]]) => ({
      dt,
      firstOffset: first,
      lastOffset: last,
      rows: last - first + 1,
      bytes: new TextEncoder().encode(`${dt}:${first}-${last}`),
    })),
    deadLettered: [],
    skipped: [],
  };
}

/** Fails the n-th call of one operation, as a crash or a storage fault at that exact point would. */
function failing(storage: Storage, op: 'rename' | 'writeFile', when: (path: string) => boolean): Storage {
  return new Proxy(storage, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (prop !== op || typeof value !== 'function')
        return typeof value === 'function' ? value.bind(target) : value;
      return async (p: string, ...rest: unknown[]) => {
        if (when(p)) throw new Error(`injected ${op} failure at ${p}`);
        return (value as (...a: unknown[]) => Promise<unknown>).call(target, p, ...rest);
      };
    },
  });
}

test('a commit publishes offset-named files in daily partitions and recovery resumes after it', async (t) => {
  const storage = setup(t);
  const a = ledger(storage);
  assert.deepEqual(await a.recover(), { nextOffset: null, seq: 0, rolledForward: 0, removedLeftovers: 0 });
  const entry = await a.commit(request(0, 10, { '2026-11-22': [0, 4], '2026-11-23': [5, 9] }));
  assert.equal(entry.seq, 1);
  assert.deepEqual(
    (await storage.list(`${ROOT}/topic=ads/dt=2026-11-23`)).map((e) => e.name),
    ['ads+3+00000000000000000005+00000000000000000009.parquet'],
  );
  assert.deepEqual(await storage.list(`${ROOT}/_tmp/topic=ads/partition=3`), []);

  const b = ledger(storage, 'w2');
  assert.deepEqual(await b.recover(), { nextOffset: 10, seq: 1, rolledForward: 0, removedLeftovers: 0 });
  await b.commit(request(10, 12, { '2026-11-23': [10, 11] }));
  assert.deepEqual(
    (await readLedger(storage, ROOT, 'ads', 3)).map((e) => [e.seq, e.fromOffset, e.nextOffset, e.writer]),
    [
      [1, 0, 10, 'w1'],
      [2, 10, 12, 'w2'],
    ],
  );
});

test('crash before the ledger entry: nothing is committed, leftovers are removed, consumption resumes where it was', async (t) => {
  const storage = setup(t);
  const first = ledger(storage);
  await first.recover();
  await first.commit(request(0, 5, { '2026-11-23': [0, 4] }));

  const crashing = ledger(failing(storage, 'rename', (p) => p.endsWith('.json.tmp-w1')));
  await crashing.recover();
  await assert.rejects(crashing.commit(request(5, 9, { '2026-11-23': [5, 8] })), /injected rename failure/);

  const restarted = ledger(storage, 'w2');
  const recovery = await restarted.recover();
  assert.equal(recovery.nextOffset, 5);
  assert.equal(recovery.removedLeftovers, 2, 'the temp Parquet file and the ledger draft');
  assert.deepEqual((await storage.list(`${ROOT}/topic=ads/dt=2026-11-23`)).length, 1);
});

test('crash after the ledger entry: recovery rolls the renames forward, so the commit holds', async (t) => {
  const storage = setup(t);
  const crashing = ledger(failing(storage, 'rename', (p) => p.endsWith('.parquet')));
  await crashing.recover();
  await assert.rejects(
    crashing.commit(request(0, 10, { '2026-11-22': [0, 4], '2026-11-23': [5, 9] })),
    /injected rename failure/,
  );
  assert.equal(crashing.nextOffset, 10, 'the ledger entry is the commit point');

  const restarted = ledger(storage, 'w2');
  const recovery = await restarted.recover();
  assert.equal(recovery.nextOffset, 10);
  assert.equal(recovery.rolledForward, 2);
  assert.equal((await storage.list(`${ROOT}/topic=ads/dt=2026-11-22`)).length, 1);
  assert.equal((await storage.list(`${ROOT}/topic=ads/dt=2026-11-23`)).length, 1);
});

test('the same writer finishes its own half-done commit before the next one', async (t) => {
  const storage = setup(t);
  let failRenames = true;
  const flaky = ledger(failing(storage, 'rename', (p) => failRenames && p.endsWith('.parquet')));
  await flaky.recover();
  await assert.rejects(flaky.commit(request(0, 5, { '2026-11-23': [0, 4] })));
  failRenames = false;
  await flaky.commit(request(5, 8, { '2026-11-23': [5, 7] }));
  assert.equal((await storage.list(`${ROOT}/topic=ads/dt=2026-11-23`)).length, 2);
});

test('retrying a commit whose ledger entry did get published (answer lost) is recognised as ours', async (t) => {
  const storage = setup(t);
  let calls = 0;
  // The first ledger rename goes through but reports failure, as a lost HTTP answer would.
  const lossy = new Proxy(storage, {
    get(target, prop) {
      if (prop === 'rename') {
        return async (from: string, to: string) => {
          const done = await target.rename(from, to);
          if (from.includes('.json.tmp-') && calls++ === 0) throw new Error('connection reset');
          return done;
        };
      }
      const value = Reflect.get(target, prop) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const l = ledger(lossy);
  await l.recover();
  const req = request(0, 5, { '2026-11-23': [0, 4] });
  await assert.rejects(l.commit(req), /connection reset/);
  const entry = await l.commit(req);
  assert.equal(entry.seq, 1);
  assert.equal((await readLedger(storage, ROOT, 'ads', 3)).length, 1);
});

test('a second writer for the same partition loses the race and is told to recover', async (t) => {
  const storage = setup(t);
  const a = ledger(storage, 'a');
  const b = ledger(storage, 'b');
  await a.recover();
  await b.recover();
  await a.commit(request(0, 5, { '2026-11-23': [0, 4] }));
  await assert.rejects(b.commit(request(0, 6, { '2026-11-23': [0, 5] })), (error: unknown) => {
    assert.ok(error instanceof SinkError);
    assert.equal(error.code, 'COMMIT_CONFLICT');
    assert.match(error.message, /another writer \(a\) committed ads-3 #1 first/);
    return true;
  });
  assert.deepEqual(
    (await storage.list(`${ROOT}/topic=ads/dt=2026-11-23`)).map((e) => e.name),
    ['ads+3+00000000000000000000+00000000000000000004.parquet'],
    'the loser published nothing',
  );
});

test('a commit that does not continue the last one, or holds offsets outside its range, is refused', async (t) => {
  const storage = setup(t);
  const l = ledger(storage);
  await l.recover();
  await l.commit(request(0, 5));
  await assert.rejects(l.commit(request(6, 9)), /starts at offset 6 but the last commit ended before 5/);
  await assert.rejects(l.commit(request(5, 9, { '2026-11-23': [5, 9] })), /outside \[5, 9\)/);
  await assert.rejects(
    new PartitionLedger({ storage, root: ROOT, topic: 'x', partition: 0, writerId: 'w' }).commit(
      request(0, 1),
    ),
    /before recovery/,
  );
});

test('a committed file deleted behind the sink stops recovery with the path, instead of skipping it', async (t) => {
  const storage = setup(t);
  const crashing = ledger(failing(storage, 'rename', (p) => p.endsWith('.parquet')));
  await crashing.recover();
  await assert.rejects(crashing.commit(request(0, 5, { '2026-11-23': [0, 4] })));
  await storage.delete(`${ROOT}/_tmp`, { recursive: true });
  await assert.rejects(ledger(storage, 'w2').recover(), (error: unknown) => {
    assert.ok(error instanceof SinkError);
    assert.equal(error.code, 'RECOVERY_FAILED');
    assert.match(error.message, /ads\+3\+00000000000000000000\+00000000000000000004\.parquet is missing/);
    return true;
  });
});
