// LocalStorage: the shared Storage contract on a temporary directory, plus what only a local backend has.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nodeTest from 'node:test';
import { test } from 'node:test';
import { SinkError } from '../../src/errors.ts';
import { storageContract } from '../../src/storage/contract.ts';
import { LocalStorage } from '../../src/storage/local.ts';

storageContract(nodeTest, {
  name: 'LocalStorage',
  setup: async () => {
    const root = mkdtempSync(join(tmpdir(), 'adlake-storage-'));
    return { storage: new LocalStorage(root), base: '/data/lake/contract' };
  },
  cleanup: async (storage) => rmSync((storage as LocalStorage).root, { recursive: true, force: true }),
});

function temp(t: { after: (fn: () => void) => void }): LocalStorage {
  const root = mkdtempSync(join(tmpdir(), 'adlake-local-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  return new LocalStorage(root);
}

test('storage paths map under the root directory', async (t) => {
  const storage = temp(t);
  await storage.writeFile('/data/lake/raw/topic=x/dt=2026-11-23/f.parquet', new Uint8Array([1, 2, 3]));
  const file = join(storage.root, 'data/lake/raw/topic=x/dt=2026-11-23/f.parquet');
  assert.deepEqual([...readFileSync(file)], [1, 2, 3]);
  assert.equal(storage.localPath('/'), storage.root);
  assert.equal(storage.description, `local ${storage.root}`);
});

test('.. cannot escape the root', async (t) => {
  const storage = temp(t);
  assert.throws(() => storage.localPath('/../outside'), SinkError);
  await assert.rejects(storage.writeFile('/a/../../outside', new Uint8Array(1)), SinkError);
  assert.equal(existsSync(join(storage.root, '..', 'outside')), false);
});

test('rename of a file keeps its inode: link then unlink, no copy', async (t) => {
  const storage = temp(t);
  await storage.writeFile('/a.tmp', new Uint8Array(10));
  const before = statSync(storage.localPath('/a.tmp')).ino;
  assert.equal(await storage.rename('/a.tmp', '/a'), true);
  const after = statSync(storage.localPath('/a'));
  assert.equal(after.ino, before);
  assert.equal(after.nlink, 1);
});

test(
  'a permission failure is STORAGE_FAILED, not retriable, with the fs error as cause',
  { skip: process.getuid?.() === 0 && 'root ignores file modes' },
  async (t) => {
    const storage = temp(t);
    await storage.mkdirs('/locked');
    const { chmodSync } = await import('node:fs');
    chmodSync(storage.localPath('/locked'), 0o500);
    t.after(() => chmodSync(storage.localPath('/locked'), 0o700));
    await assert.rejects(storage.writeFile('/locked/f', new Uint8Array(1)), (e: unknown) => {
      assert.ok(e instanceof SinkError);
      assert.equal(e.code, 'STORAGE_FAILED');
      assert.equal(e.retriable, false);
      assert.equal((e.cause as { code?: string }).code, 'EACCES');
      assert.match(e.message, /writeFile \/locked\/f on local /);
      return true;
    });
  },
);
