import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { newestCommit, PartitionLedger, readLedger } from '../../src/commit/ledger.ts';
import type { CommitRequest } from '../../src/commit/ledger.ts';
import { ledgerDir, mergeCursorPath } from '../../src/layout.ts';
import { mergeTopic } from '../../src/merge/merger.ts';
import { LocalStorage } from '../../src/storage/local.ts';
import type { Storage } from '../../src/storage/storage.ts';

const PROD = '/lake/raw';
const DR = '/lake/dr';
const DT = '2026-11-20';

function setup(t: { after: (fn: () => void) => void }): Storage {
  const dir = mkdtempSync(path.join(tmpdir(), 'adlake-merge-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return new LocalStorage(dir, { fsync: false });
}

/** One file per commit; its bytes name the offsets (the merger moves whole files without reading them). */
function request(from: number, next: number): CommitRequest {
  return {
    fromOffset: from,
    nextOffset: next,
    files: [
      {
        dt: DT,
        firstOffset: from,
        lastOffset: next - 1,
        rows: next - from,
        bytes: new TextEncoder().encode(`${from}-${next - 1}`),
      },
    ],
    deadLettered: [],
    skipped: [],
  };
}

async function sink(
  s: Storage,
  root: string,
  writer: string,
  ranges: [number, number][],
): Promise<PartitionLedger> {
  const l = new PartitionLedger({ storage: s, root, topic: 'ads', partition: 0, writerId: writer });
  await l.recover();
  for (const [from, next] of ranges) await l.commit(request(from, next));
  return l;
}

const names = async (s: Storage, root: string) =>
  (await s.list(`${root}/topic=ads/dt=${DT}`)).map((e) =>
    e.name.replace('.parquet', '').split('+').slice(2).map(Number).join('-'),
  );

test('covered DR commits are dropped, the rest continue production’s ledger, the newest stays while DR is active', async (t) => {
  const s = setup(t);
  await sink(s, PROD, 'prod', [[0, 10]]);
  await sink(s, DR, 'dr', [
    [0, 10],
    [10, 20],
    [20, 30],
  ]);
  const events: string[] = [];
  const report = await mergeTopic({
    storage: s,
    productionRoot: PROD,
    drRoot: DR,
    topic: 'ads',
    writerId: 'm1',
    drActive: true,
    onHandled: (e) => events.push(`${e.action} #${e.drSeq} ${e.fromOffset}-${e.nextOffset}`),
  });
  assert.deepEqual(events, ['dropped #2 0-10', 'merged #3 10-20']);
  assert.equal(report.partitions[0]?.keptNewest, 4);
  assert.deepEqual(await names(s, PROD), ['0-9', '10-19']);
  assert.deepEqual(await names(s, DR), ['20-29']);
  const merged = (await readLedger(s, PROD, 'ads', 0)).filter((e) => e.fence !== true).at(-1);
  assert.deepEqual(merged?.merged, { root: DR, seqs: [3] });
  assert.equal(merged?.fromOffset, 10);
  // The production sink comes back after the merged range: neither rewriting nor skipping it.
  const back = new PartitionLedger({ storage: s, root: PROD, topic: 'ads', partition: 0, writerId: 'prod2' });
  assert.equal((await back.recover()).nextOffset, 20);
  // A rerun has nothing left to do.
  const again = await mergeTopic({
    storage: s,
    productionRoot: PROD,
    drRoot: DR,
    topic: 'ads',
    writerId: 'm2',
    drActive: true,
  });
  assert.equal(again.mergedCommits + again.droppedCommits, 0);
});

test('with the DR sink stopped the newest commit moves too, and a DR sink started later resumes without it', async (t) => {
  const s = setup(t);
  await sink(s, PROD, 'prod', [[0, 10]]);
  await sink(s, DR, 'dr', [
    [0, 10],
    [10, 20],
  ]);
  await mergeTopic({
    storage: s,
    productionRoot: PROD,
    drRoot: DR,
    topic: 'ads',
    writerId: 'm1',
    drActive: false,
  });
  assert.deepEqual(await names(s, PROD), ['0-9', '10-19']);
  assert.deepEqual(await names(s, DR), []);
  const drBack = new PartitionLedger({ storage: s, root: DR, topic: 'ads', partition: 0, writerId: 'dr2' });
  const recovered = await drBack.recover();
  assert.equal(recovered.nextOffset, 20);
  assert.equal(recovered.rolledForward, 0);
});

test('offsets production lacks that DR does not have either are reported, nothing is merged past them', async (t) => {
  const s = setup(t);
  await sink(s, PROD, 'prod', [[0, 5]]);
  const dr = new PartitionLedger({ storage: s, root: DR, topic: 'ads', partition: 0, writerId: 'dr' });
  await dr.recover();
  await dr.commit(request(8, 12));
  await dr.commit(request(12, 20));
  const report = await mergeTopic({
    storage: s,
    productionRoot: PROD,
    drRoot: DR,
    topic: 'ads',
    writerId: 'm',
    drActive: false,
  });
  assert.deepEqual(report.partitions[0]?.waitingFor, { from: 5, to: 7 });
  assert.equal(report.mergedCommits, 0);
  assert.deepEqual(await names(s, PROD), ['0-4']);
});

test('a merge interrupted after its production commit is finished by the production sink’s own recovery', async (t) => {
  const s = setup(t);
  await sink(s, PROD, 'prod', [[0, 10]]);
  await sink(s, DR, 'dr', [
    [0, 10],
    [10, 20],
    [20, 30],
  ]);
  // Crash right after the ledger entry: renames fail.
  const crashing = new Proxy(s, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      if (prop === 'rename')
        return async (from: string, to: string) => {
          if (to.includes('/topic=ads/dt=') && from.startsWith(DR)) throw new Error('crash');
          return (value as (a: string, b: string) => Promise<boolean>).call(target, from, to);
        };
      return value.bind(target);
    },
  });
  await assert.rejects(
    mergeTopic({
      storage: crashing,
      productionRoot: PROD,
      drRoot: DR,
      topic: 'ads',
      writerId: 'm1',
      drActive: true,
    }),
  );
  // A rerun of the merger must not drop the DR file the unfinished commit still needs.
  await mergeTopic({
    storage: s,
    productionRoot: PROD,
    drRoot: DR,
    topic: 'ads',
    writerId: 'm2',
    drActive: true,
  });
  assert.deepEqual(await names(s, PROD), ['0-9', '10-19']);
  const back = new PartitionLedger({ storage: s, root: PROD, topic: 'ads', partition: 0, writerId: 'prod2' });
  assert.equal((await back.recover()).nextOffset, 20);
});

test('a cursor cut short by a merger killed while writing it only costs going over the DR commits again', async (t) => {
  const s = setup(t);
  await sink(s, PROD, 'prod', [[0, 10]]);
  await sink(s, DR, 'dr', [
    [0, 10],
    [10, 20],
    [20, 30],
  ]);
  const merge = (writerId: string) =>
    mergeTopic({ storage: s, productionRoot: PROD, drRoot: DR, topic: 'ads', writerId, drActive: false });
  await merge('m1');
  await s.writeFile(mergeCursorPath(DR, 'ads', 0), new TextEncoder().encode('{"drSeq":'));
  const again = await merge('m2');
  assert.equal(again.mergedCommits, 0, 'nothing merged twice');
  assert.deepEqual(await names(s, PROD), ['0-9', '10-19', '20-29']);
  assert.deepEqual(await names(s, DR), []);
  const ledger = (await readLedger(s, PROD, 'ads', 0)).filter((e) => e.fence !== true);
  assert.deepEqual(
    ledger.map((e) => [e.fromOffset, e.nextOffset]),
    [
      [0, 10],
      [10, 20],
      [20, 30],
    ],
  );
});

test('a DR sink that died between its newest commit and the renames: the merger finishes them, then merges', async (t) => {
  const s = setup(t);
  await sink(s, PROD, 'prod', [[0, 10]]);
  await sink(s, DR, 'dr', [[0, 10]]);
  // The DR sink's next commit is published, but its file stays under the temporary name.
  const dying = new Proxy(s, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      if (prop === 'rename')
        return async (from: string, to: string) => {
          if (from.includes('/_tmp/')) throw new Error('killed');
          return (value as (a: string, b: string) => Promise<boolean>).call(target, from, to);
        };
      return value.bind(target);
    },
  });
  const dr = new PartitionLedger({ storage: dying, root: DR, topic: 'ads', partition: 0, writerId: 'dr2' });
  await dr.recover();
  await assert.rejects(dr.commit(request(10, 20)));
  const report = await mergeTopic({
    storage: s,
    productionRoot: PROD,
    drRoot: DR,
    topic: 'ads',
    writerId: 'm',
    drActive: false,
  });
  assert.equal(report.mergedRows, 10);
  assert.deepEqual(await names(s, PROD), ['0-9', '10-19']);
  // The DR sink, started again, resumes after the handed-over commit without looking for its files.
  const back = new PartitionLedger({ storage: s, root: DR, topic: 'ads', partition: 0, writerId: 'dr3' });
  assert.equal((await back.recover()).nextOffset, 20);
});

test('dropping covered DR commits reads production’s ledger a bounded number of times, not once per entry per commit', async (t) => {
  const s = setup(t);
  const commits = Array.from({ length: 40 }, (_, i): [number, number] => [i * 10, (i + 1) * 10]);
  await sink(s, PROD, 'prod', commits);
  await sink(s, DR, 'dr', commits);
  const prodLedger = ledgerDir(PROD, 'ads', 0);
  let ledgerReads = 0;
  // A proxy that counts reads of production's ledger entries; LocalStorage's private fields need the real
  // instance as the receiver.
  const counting = new Proxy(s, {
    get(target, key) {
      if (key === 'read')
        return (p: string) => {
          if (p.startsWith(`${prodLedger}/`)) ledgerReads++;
          return target.read(p);
        };
      const value: unknown = Reflect.get(target, key);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  const report = await mergeTopic({
    storage: counting,
    productionRoot: PROD,
    drRoot: DR,
    topic: 'ads',
    writerId: 'm1',
    drActive: false,
  });
  assert.equal(report.droppedCommits, 40);
  assert.equal(report.mergedCommits, 0);
  // Production's end is read once per partition, plus the check for an unfinished merge (it was 40 x 40).
  assert.ok(ledgerReads <= 2 * 40, `${ledgerReads} reads of production's ledger entries`);
});

test('newestCommit skips fences and finds where the ledger ends', async (t) => {
  const s = setup(t);
  assert.equal(await newestCommit(s, PROD, 'ads', 0), undefined);
  await sink(s, PROD, 'prod', [
    [0, 10],
    [10, 25],
  ]);
  // A new owner's recovery publishes a fence after the last commit.
  await new PartitionLedger({
    storage: s,
    root: PROD,
    topic: 'ads',
    partition: 0,
    writerId: 'other',
  }).recover();
  const all = await readLedger(s, PROD, 'ads', 0);
  assert.equal(all.at(-1)?.fence, true);
  const newest = await newestCommit(s, PROD, 'ads', 0);
  assert.equal(newest?.nextOffset, 25);
  assert.equal(newest?.fence, undefined);
});
