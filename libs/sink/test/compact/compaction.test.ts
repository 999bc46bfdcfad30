import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CompactionLog, liveFiles, readCompactions } from '../../src/compact/compaction.ts';
import type { CompactedFile } from '../../src/compact/compaction.ts';
import type { LedgerEntry } from '../../src/commit/ledger.ts';
import { SinkError } from '../../src/errors.ts';
import { LocalStorage } from '../../src/storage/local.ts';
import type { Storage } from '../../src/storage/storage.ts';

const DAY = '/lake/topic=ads/dt=2026-11-20';
const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

function setup(t: { after: (fn: () => void) => void }): Storage {
  const dir = mkdtempSync(path.join(tmpdir(), 'adlake-compaction-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return new LocalStorage(dir, { fsync: false });
}

/** Three committed "files" (the log never parses them: it moves bytes). */
async function inputs(s: Storage): Promise<CompactedFile[]> {
  const out: CompactedFile[] = [];
  for (const [first, last] of [
    [0, 9],
    [10, 19],
    [20, 29],
  ] as const) {
    const p = `${DAY}/ads+0+${String(first).padStart(20, '0')}+${String(last).padStart(20, '0')}.parquet`;
    const body = enc(`<${first}-${last}>`);
    await s.writeFile(p, body);
    out.push({
      path: p,
      length: body.byteLength,
      rows: last - first + 1,
      firstOffset: first,
      lastOffset: last,
    });
  }
  return out;
}

function log(s: Storage, writerId = 'c1'): CompactionLog {
  return new CompactionLog({ storage: s, root: '/lake', topic: 'ads', partition: 0, writerId });
}

const names = async (s: Storage) => (await s.list(DAY)).map((e) => e.name);

test('a compaction joins the inputs and the footer into one file named by its offsets; nothing else is left', async (t) => {
  const s = setup(t);
  const files = await inputs(s);
  const l = log(s);
  await l.recover();
  const record = l.plan('2026-11-20', files, 4);
  await l.commit(record, enc('FOOT'));
  assert.deepEqual(await names(s), ['ads+0+00000000000000000000+00000000000000000029.parquet']);
  assert.equal(dec(await s.read(record.output.path)), '<0-9><10-19><20-29>FOOT');
  assert.equal(record.output.rows, 30);
  assert.deepEqual(
    (await readCompactions(s, '/lake', 'ads', 0)).map((r) => r.seq),
    [1],
  );
  assert.deepEqual((await s.list('/lake/_staging/compact/topic=ads/partition=0')).length, 0);
});

/** Wraps storage so that one call throws once, as a crash at that point would stop the compactor. */
function crashing(s: Storage, op: keyof Storage, nth: number): Storage {
  let calls = 0;
  return new Proxy(s, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      if (prop !== op) return value.bind(target);
      return async (...args: unknown[]) => {
        calls++;
        if (calls === nth)
          throw new SinkError('STORAGE_FAILED', `crash at ${String(op)} #${nth}`, { retriable: true });
        return (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
      };
    },
  });
}

for (const [op, nth] of [
  ['writeFile', 1],
  ['writeFile', 2],
  ['rename', 1],
  ['rename', 2],
  ['concat', 1],
  ['rename', 3],
  ['delete', 2],
  ['delete', 3],
] as const) {
  test(`a crash at ${op} #${nth} is finished (or undone) by the next compactor's recovery`, async (t) => {
    const s = setup(t);
    const files = await inputs(s);
    const before = dec(await s.read(files[0]?.path ?? ''));
    const broken = log(crashing(s, op, nth), 'dead');
    await broken.recover();
    const record = broken.plan('2026-11-20', files, 4);
    await assert.rejects(broken.commit(record, enc('FOOT')));
    const next = log(s, 'c2');
    await next.recover();
    const published = (await readCompactions(s, '/lake', 'ads', 0)).length === 1;
    if (published) {
      assert.deepEqual(await names(s), ['ads+0+00000000000000000000+00000000000000000029.parquet']);
      assert.equal(dec(await s.read(record.output.path)), '<0-9><10-19><20-29>FOOT');
    } else {
      // Never published: the inputs are untouched and the staged footer is gone.
      assert.equal((await names(s)).length, 3);
      assert.equal(dec(await s.read(files[0]?.path ?? '')), before);
    }
    assert.deepEqual(await s.list('/lake/_staging/compact/topic=ads/partition=0'), []);
  });
}

test('a second compactor that planned the same sequence number loses and changes nothing', async (t) => {
  const s = setup(t);
  const files = await inputs(s);
  const a = log(s, 'a');
  const b = log(s, 'b');
  await a.recover();
  await b.recover();
  const ra = a.plan('2026-11-20', files.slice(0, 2), 4);
  const rb = b.plan('2026-11-20', files.slice(1), 4);
  await a.commit(ra, enc('FOOT'));
  await assert.rejects(
    b.commit(rb, enc('FOOT')),
    (e: unknown) => e instanceof SinkError && e.code === 'COMMIT_CONFLICT',
  );
  assert.deepEqual(await names(s), [
    'ads+0+00000000000000000000+00000000000000000019.parquet',
    'ads+0+00000000000000000020+00000000000000000029.parquet',
  ]);
});

test('a joined file with an unexpected length is reported, not renamed', async (t) => {
  const s = setup(t);
  const files = await inputs(s);
  const l = log(s);
  await l.recover();
  const record = l.plan('2026-11-20', files, 4);
  // Someone appended to the target after the plan.
  await s.writeFile(files[0]?.path ?? '', enc('<0-9>!'));
  await assert.rejects(l.commit(record, enc('FOOT')), /has 6 bytes, expected 5 before or 23 after joining/);
});

test('liveFiles applies compactions to the ledger: inputs leave, the output arrives', () => {
  const entry = (seq: number, files: [number, number][]): LedgerEntry => ({
    version: 1,
    topic: 'ads',
    partition: 0,
    seq,
    fromOffset: files[0]?.[0] ?? 0,
    nextOffset: (files.at(-1)?.[1] ?? 0) + 1,
    files: files.map(([a, b]) => ({
      path: `${DAY}/f${a}`,
      temp: 't',
      dt: '2026-11-20',
      firstOffset: a,
      lastOffset: b,
      rows: b - a + 1,
      length: 10,
    })),
    deadLettered: [],
    skipped: [],
    writer: 'w',
    committedAt: '2026-11-20T00:00:00Z',
  });
  const live = liveFiles(
    [entry(1, [[0, 9]]), entry(2, [[10, 19]]), entry(3, [[20, 29]])],
    [
      {
        version: 1,
        kind: 'compaction',
        topic: 'ads',
        partition: 0,
        seq: 1,
        dt: '2026-11-20',
        inputs: [
          { path: `${DAY}/f0`, length: 10, rows: 10, firstOffset: 0, lastOffset: 9 },
          { path: `${DAY}/f10`, length: 10, rows: 10, firstOffset: 10, lastOffset: 19 },
        ],
        footer: { staged: 's', path: 'p', length: 3 },
        output: { path: `${DAY}/c`, length: 23, rows: 20, firstOffset: 0, lastOffset: 19 },
        writer: 'c',
        committedAt: '2026-11-21T00:00:00Z',
      },
    ],
  );
  assert.deepEqual([...live.keys()].sort(), [`${DAY}/c`, `${DAY}/f20`]);
  assert.deepEqual(live.get(`${DAY}/c`)?.from, { compaction: 1 });
});

/**
 * Two files whose offset ranges nest: an earlier compaction, run while a file in between was still in its
 * grace period, joined 0..9 and 20..29 into 0..29; the file in between (10..19) is joined into it later.
 * The output's name is then the first input's own name (found by bench/dr/latency.ts, where compact --watch
 * stopped with LEDGER_CORRUPT and left the record unfinished).
 */
async function nested(s: Storage): Promise<CompactedFile[]> {
  const out: CompactedFile[] = [];
  for (const [first, last, body] of [
    [0, 29, '<0-9><20-29>F1'],
    [10, 19, '<10-19>'],
  ] as const) {
    const p = `${DAY}/ads+0+${String(first).padStart(20, '0')}+${String(last).padStart(20, '0')}.parquet`;
    await s.writeFile(p, enc(body));
    out.push({ path: p, length: body.length, rows: 20, firstOffset: first, lastOffset: last });
  }
  return out;
}

test('a compaction whose output has its first input’s name joins in place', async (t) => {
  const s = setup(t);
  const files = await nested(s);
  const l = log(s);
  await l.recover();
  const record = l.plan('2026-11-20', files, 4);
  assert.equal(record.output.path, files[0]?.path);
  await l.commit(record, enc('FOOT'));
  assert.deepEqual(await names(s), ['ads+0+00000000000000000000+00000000000000000029.parquet']);
  assert.equal(dec(await s.read(record.output.path)), '<0-9><20-29>F1<10-19>FOOT');
});

for (const [op, nth] of [
  ['rename', 1],
  ['concat', 1],
  ['delete', 2],
] as const) {
  test(`a compaction in place interrupted at ${op} #${nth} is finished by the next compactor's recovery`, async (t) => {
    const s = setup(t);
    const files = await nested(s);
    const broken = log(crashing(s, op, nth), 'dead');
    await broken.recover();
    const record = broken.plan('2026-11-20', files, 4);
    await assert.rejects(broken.commit(record, enc('FOOT')));
    const next = log(s, 'c2');
    await next.recover();
    if ((await readCompactions(s, '/lake', 'ads', 0)).length === 1) {
      assert.deepEqual(await names(s), ['ads+0+00000000000000000000+00000000000000000029.parquet']);
      assert.equal(dec(await s.read(record.output.path)), '<0-9><20-29>F1<10-19>FOOT');
    } else assert.equal((await names(s)).length, 2);
  });
}
