import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Lease } from '../../src/commit/lease.ts';
import { SinkError } from '../../src/errors.ts';
import { LocalStorage } from '../../src/storage/local.ts';

function storage(t: { after: (fn: () => void) => void }): LocalStorage {
  const dir = mkdtempSync(path.join(tmpdir(), 'adlake-lease-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return new LocalStorage(dir, { fsync: false });
}

test('a second holder is fenced with a message naming the first; after release it may take the lease', async (t) => {
  const s = storage(t);
  const a = new Lease({ storage: s, root: '/lake', job: 'compact', owner: 'compact-a' });
  const b = new Lease({ storage: s, root: '/lake', job: 'compact', owner: 'compact-b' });
  await a.acquire();
  await assert.rejects(b.acquire(), (e: unknown) => {
    assert.ok(e instanceof SinkError && e.code === 'FENCED');
    assert.match(
      e.message,
      /another compact \(compact-a, pid \d+ on .+\) holds \/lake\/_locks\/compact\.json/,
    );
    return true;
  });
  await a.release();
  await b.acquire();
  assert.equal(b.held, true);
});

test('jobs do not fence each other: a merger and a compactor hold their own leases', async (t) => {
  const s = storage(t);
  await new Lease({ storage: s, root: '/lake', job: 'merge', owner: 'm' }).acquire();
  await new Lease({ storage: s, root: '/lake', job: 'compact', owner: 'c' }).acquire();
});

test('an expired lease, or one whose process on this host is gone, is taken over', async (t) => {
  const s = storage(t);
  let now = 1_000_000;
  const old = new Lease({
    storage: s,
    root: '/lake',
    job: 'merge',
    owner: 'old',
    ttlMs: 1000,
    now: () => now,
  });
  await old.acquire();
  now += 5000;
  const next = new Lease({ storage: s, root: '/lake', job: 'merge', owner: 'next', now: () => now });
  await next.acquire();
  // The old holder learns it lost the lease when it renews.
  await assert.rejects(old.renew(), /taken over by next/);

  const crashed = new Lease({
    storage: s,
    root: '/lake',
    job: 'compact',
    owner: 'crashed',
    alive: () => true,
  });
  await crashed.acquire();
  // Same host, another pid that is not alive: the lease file names our own pid, so pretend it is another.
  const body = JSON.parse(new TextDecoder().decode(await s.read('/lake/_locks/compact.json'))) as Record<
    string,
    unknown
  >;
  await s.writeFile(
    '/lake/_locks/compact.json',
    new TextEncoder().encode(JSON.stringify({ ...body, pid: 999_999_999 })),
  );
  const live = new Lease({ storage: s, root: '/lake', job: 'compact', owner: 'live', alive: () => true });
  await assert.rejects(live.acquire(), /FENCED|another compact/);
  const checking = new Lease({
    storage: s,
    root: '/lake',
    job: 'compact',
    owner: 'checking',
    alive: () => false,
  });
  await checking.acquire();
  assert.equal(checking.held, true);
});

test('the draft of a holder-to-be that died before its rename is removed by the next holder', async (t) => {
  const s = storage(t);
  // A compactor killed between writing its draft and renaming it: the draft stays, and no lease exists.
  await s.writeFile('/lake/_locks/compact.json.tmp-compact-1-dead', new TextEncoder().encode('{}'));
  await s.writeFile('/lake/_locks/merge.json.tmp-merge-1-other', new TextEncoder().encode('{}'));
  const next = new Lease({ storage: s, root: '/lake', job: 'compact', owner: 'compact-2-next' });
  await next.acquire();
  assert.deepEqual(
    (await s.list('/lake/_locks')).map((e) => e.name).sort(),
    ['compact.json', 'merge.json.tmp-merge-1-other'],
    'only this job’s drafts are its business',
  );
  await next.release();
  assert.deepEqual(
    (await s.list('/lake/_locks')).map((e) => e.name),
    ['merge.json.tmp-merge-1-other'],
  );
});
