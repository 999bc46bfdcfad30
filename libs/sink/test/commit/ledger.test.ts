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
  // Recovery takes the next sequence number with a fence before anything else.
  assert.deepEqual(await a.recover(), { nextOffset: null, seq: 1, rolledForward: 0, removedLeftovers: 0 });
  const entry = await a.commit(request(0, 10, { '2026-11-22': [0, 4], '2026-11-23': [5, 9] }));
  assert.equal(entry.seq, 2);
  assert.deepEqual(
    (await storage.list(`${ROOT}/topic=ads/dt=2026-11-23`)).map((e) => e.name),
    ['ads+3+00000000000000000005+00000000000000000009.parquet'],
  );
  assert.deepEqual(await storage.list(`${ROOT}/_tmp/topic=ads/partition=3`), []);

  const b = ledger(storage, 'w2');
  assert.deepEqual(await b.recover(), { nextOffset: 10, seq: 3, rolledForward: 0, removedLeftovers: 0 });
  await b.commit(request(10, 12, { '2026-11-23': [10, 11] }));
  assert.deepEqual(
    (await readLedger(storage, ROOT, 'ads', 3)).map((e) => [
      e.seq,
      e.fromOffset,
      e.nextOffset,
      e.writer,
      e.fence ?? false,
    ]),
    [
      [1, 0, 0, 'w1', true],
      [2, 0, 10, 'w1', false],
      [3, 10, 10, 'w2', true],
      [4, 10, 12, 'w2', false],
    ],
  );
});

test('crash before the ledger entry: nothing is committed, leftovers are removed, consumption resumes where it was', async (t) => {
  const storage = setup(t);
  const first = ledger(storage);
  await first.recover();
  await first.commit(request(0, 5, { '2026-11-23': [0, 4] }));

  // Entries so far: #1 fence, #2 commit; the crashing writer fences #3 and dies publishing #4.
  const crashing = ledger(failing(storage, 'rename', (p) => p.endsWith('00000000000000000004.json.tmp-w1')));
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
  // The commit's ledger rename (the second: the first is recovery's fence) goes through but reports failure,
  // as a lost HTTP answer would.
  const lossy = new Proxy(storage, {
    get(target, prop) {
      if (prop === 'rename') {
        return async (from: string, to: string) => {
          const done = await target.rename(from, to);
          if (from.includes('.json.tmp-') && calls++ === 1) throw new Error('connection reset');
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
  assert.equal(entry.seq, 2);
  assert.deepEqual(
    (await readLedger(storage, ROOT, 'ads', 3)).map((e) => e.fence ?? false),
    [true, false],
    'the fence and one commit',
  );
});

test('the previous owner is fenced by the new owner’s recovery: its next commit fails and publishes nothing', async (t) => {
  const storage = setup(t);
  const a = ledger(storage, 'a');
  const b = ledger(storage, 'b');
  await a.recover();
  await b.recover();
  await assert.rejects(a.commit(request(0, 5, { '2026-11-23': [0, 4] })), (error: unknown) => {
    assert.ok(error instanceof SinkError);
    assert.equal(error.code, 'COMMIT_CONFLICT');
    assert.match(error.message, /another writer \(b\) committed ads-3 #2 first/);
    return true;
  });
  await b.commit(request(0, 6, { '2026-11-23': [0, 5] }));
  assert.deepEqual(
    (await storage.list(`${ROOT}/topic=ads/dt=2026-11-23`)).map((e) => e.name),
    ['ads+3+00000000000000000000+00000000000000000005.parquet'],
    'only the new owner published',
  );
});

/** Storage whose writes of matching paths wait until the returned function is called. */
function gated(
  storage: Storage,
  match: (path: string) => boolean,
): { storage: Storage; open: () => void; reached: Promise<void> } {
  let open: () => void = () => undefined;
  let reach: () => void = () => undefined;
  const gate = new Promise<void>((r) => (open = r));
  const reached = new Promise<void>((r) => (reach = r));
  const wrapped = new Proxy(storage, {
    get(target, prop) {
      const value = Reflect.get(target, prop) as unknown;
      if (prop !== 'writeFile' || typeof value !== 'function')
        return typeof value === 'function' ? value.bind(target) : value;
      return async (p: string, bytes: Uint8Array) => {
        if (match(p)) {
          reach();
          await gate;
        }
        return target.writeFile(p, bytes);
      };
    },
  });
  return { storage: wrapped, open, reached };
}

/** Every file a commit entry names exists with its recorded length; commits continue each other. */
async function assertLedgerHolds(storage: Storage): Promise<void> {
  const commits = (await readLedger(storage, ROOT, 'ads', 3)).filter((e) => e.fence !== true);
  for (const [i, e] of commits.entries()) {
    if (i > 0)
      assert.equal(e.fromOffset, commits[i - 1]?.nextOffset, `#${e.seq} continues the previous commit`);
    for (const f of e.files) assert.equal((await storage.stat(f.path))?.length, f.length, f.path);
  }
}

test('race: an old owner’s commit in flight while a new owner recovers can never publish, and nothing committed is lost', async (t) => {
  const storage = setup(t);
  // The old owner's recovery fences #1 and it commits #2; its next commit writes its temp Parquet file and
  // is held before publishing ledger entry #3.
  const held = gated(storage, (p) => p.includes('00000000000000000003.json.tmp-old'));
  const owner = ledger(held.storage, 'old');
  await owner.recover();
  await owner.commit(request(0, 5, { '2026-11-23': [0, 4] }));
  const inFlight = owner.commit(request(5, 9, { '2026-11-23': [5, 8] }));
  await held.reached;

  const next = ledger(storage, 'new');
  const recovery = await next.recover();
  assert.equal(recovery.nextOffset, 5, 'the new owner resumes after the last published commit');
  held.open();
  await assert.rejects(
    inFlight,
    (error: unknown) => error instanceof SinkError && error.code === 'COMMIT_CONFLICT',
  );
  await next.commit(request(5, 7, { '2026-11-23': [5, 6] }));
  await assertLedgerHolds(storage);
  // A later owner recovers cleanly from what both left.
  assert.equal((await ledger(storage, 'later').recover()).nextOffset, 7);
});

test('race: an old owner that publishes just before the new owner’s fence keeps its commit, rolled forward', async (t) => {
  const storage = setup(t);
  let crash = false;
  const owner = ledger(
    failing(storage, 'rename', (p) => crash && p.endsWith('.parquet')),
    'old',
  );
  await owner.recover();
  await owner.commit(request(0, 5, { '2026-11-23': [0, 4] }));
  // The new owner lists the ledger (newest #2) and is held before publishing its fence #3.
  const held = gated(storage, (p) => p.includes('00000000000000000003.json.tmp-new'));
  const next = ledger(held.storage, 'new');
  const recovering = next.recover();
  await held.reached;
  // Meanwhile the old owner publishes #3 and dies before renaming its file into place.
  crash = true;
  await assert.rejects(owner.commit(request(5, 9, { '2026-11-23': [5, 8] })), /injected rename failure/);
  held.open();
  const recovery = await recovering;
  const entries = await readLedger(storage, ROOT, 'ads', 3);
  const published = entries.filter((e) => e.writer === 'old' && e.fence !== true).at(-1);
  assert.ok(published !== undefined);
  assert.equal(
    recovery.nextOffset,
    published.nextOffset,
    'the new owner resumes after the old owner’s last commit',
  );
  await assertLedgerHolds(storage);
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
