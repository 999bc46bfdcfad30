// The Storage contract as a test suite, run against every backend (LocalStorage in the unit tests,
// WebHdfsStorage against the real HDFS in test/storage), so that both behave the same.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { SinkError } from '../errors.ts';
import type { Storage } from './storage.ts';

/** The parts of `node:test` the suite uses, passed in so that this module does not load a test runner. */
export interface TestRunner {
  readonly describe: (name: string, fn: () => void) => unknown;
  readonly test: (name: string, fn: () => Promise<void>) => unknown;
  readonly before: (fn: () => Promise<void>) => unknown;
  readonly after: (fn: () => Promise<void>) => unknown;
}

export interface StorageContractOptions {
  /** Shown in the suite's title. */
  readonly name: string;
  /**
   * Returns the storage under test and an absolute directory, not yet existing, that the suite may fill.
   * Called once, before the tests.
   */
  readonly setup: () => Promise<{ storage: Storage; base: string }>;
  /** Removes what the suite wrote; called once, after the tests. */
  readonly cleanup?: (storage: Storage, base: string) => Promise<void>;
  /** Size of the large round trip, bytes. Default 64 MiB. */
  readonly largeFileBytes?: number;
}

const text = (s: string) => new TextEncoder().encode(s);
const utf8 = text;
const decoded = (b: Uint8Array) => new TextDecoder().decode(b);
const decode = (b: Uint8Array) => new TextDecoder().decode(b);
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function isSinkError(code: string, retriable?: boolean) {
  return (error: unknown) => {
    assert.ok(error instanceof SinkError, `expected a SinkError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (retriable !== undefined) assert.equal(error.retriable, retriable, error.message);
    return true;
  };
}

/**
 * Registers the contract's tests for one backend: `storageContract(await import('node:test'), { … })`.
 */
export function storageContract(runner: TestRunner, options: StorageContractOptions): void {
  const { describe, test, before, after } = runner;
  describe(`Storage contract: ${options.name}`, () => {
    let storage: Storage;
    let base: string;
    let n = 0;
    /** A fresh directory per test, so that tests do not see each other's files. */
    const dir = () => `${base}/t${++n}`;

    before(async () => {
      ({ storage, base } = await options.setup());
    });
    after(async () => {
      if (storage !== undefined) await options.cleanup?.(storage, base);
    });

    test('writeFile then read returns the same bytes; writeFile overwrites; an empty file round-trips', async () => {
      const d = dir();
      await storage.writeFile(`${d}/a.bin`, text('first version, longer'));
      await storage.writeFile(`${d}/a.bin`, text('second'));
      assert.equal(decode(await storage.read(`${d}/a.bin`)), 'second');
      await storage.writeFile(`${d}/empty`, new Uint8Array(0));
      assert.equal((await storage.read(`${d}/empty`)).byteLength, 0);
    });

    test('writeFile creates missing parent directories', async () => {
      const d = dir();
      await storage.writeFile(`${d}/x/y/z/f.txt`, text('deep'));
      assert.equal((await storage.stat(`${d}/x/y`))?.type, 'directory');
      assert.equal(decode(await storage.read(`${d}/x/y/z/f.txt`)), 'deep');
    });

    test('names with spaces, unicode, =, + and ; round-trip through write, list, rename and read', async () => {
      const d = `${dir()}/topic=adserver.impressions/dt=2026-11-23`;
      const names = ['adserver.impressions+3+100+199.parquet', 'a b.txt', 'ü€😀', 'semi;colon', 'pct%41'];
      for (const name of names) await storage.writeFile(`${d}/${name}.tmp`, text(name));
      for (const name of names)
        assert.equal(await storage.rename(`${d}/${name}.tmp`, `${d}/${name}`), true, name);
      assert.deepEqual((await storage.list(d)).map((e) => e.name).sort(), [...names].sort());
      for (const name of names) assert.equal(decode(await storage.read(`${d}/${name}`)), name);
    });

    test('rename to a new name returns true and moves the file', async () => {
      const d = dir();
      await storage.writeFile(`${d}/a.tmp`, text('payload'));
      assert.equal(await storage.rename(`${d}/a.tmp`, `${d}/a.final`), true);
      assert.equal(await storage.stat(`${d}/a.tmp`), null);
      assert.equal(decode(await storage.read(`${d}/a.final`)), 'payload');
    });

    test('rename onto an existing file returns false and overwrites nothing', async () => {
      const d = dir();
      await storage.writeFile(`${d}/new`, text('new'));
      await storage.writeFile(`${d}/old`, text('old'));
      assert.equal(await storage.rename(`${d}/new`, `${d}/old`), false);
      assert.equal(decode(await storage.read(`${d}/old`)), 'old');
      assert.equal(decode(await storage.read(`${d}/new`)), 'new');
    });

    test('rename onto an existing directory returns false and moves nothing into it', async () => {
      const d = dir();
      await storage.writeFile(`${d}/f`, text('f'));
      await storage.mkdirs(`${d}/sub`);
      assert.equal(await storage.rename(`${d}/f`, `${d}/sub`), false);
      assert.deepEqual(await storage.list(`${d}/sub`), []);
      assert.equal(decode(await storage.read(`${d}/f`)), 'f');
    });

    test('rename of a missing source returns false', async () => {
      const d = dir();
      await storage.mkdirs(d);
      assert.equal(await storage.rename(`${d}/missing`, `${d}/b`), false);
      assert.equal(await storage.stat(`${d}/b`), null);
    });

    test('rename into a missing parent directory throws RENAME_FAILED naming the parent', async () => {
      const d = dir();
      await storage.writeFile(`${d}/f`, text('f'));
      await assert.rejects(storage.rename(`${d}/f`, `${d}/no/such/dir/f`), (e: unknown) => {
        isSinkError('RENAME_FAILED', false)(e);
        assert.match((e as Error).message, new RegExp(`${d}/no/such/dir`));
        return true;
      });
      assert.equal(decode(await storage.read(`${d}/f`)), 'f');
    });

    test('rename of a directory moves its contents', async () => {
      const d = dir();
      await storage.writeFile(`${d}/from/f`, text('f'));
      assert.equal(await storage.rename(`${d}/from`, `${d}/to`), true);
      assert.equal(decode(await storage.read(`${d}/to/f`)), 'f');
      assert.equal(await storage.exists(`${d}/from`), false);
    });

    test('delete: a file, then nothing, then a non-empty directory only with recursive', async () => {
      const d = dir();
      await storage.writeFile(`${d}/f`, text('f'));
      assert.equal(await storage.delete(`${d}/f`), true);
      assert.equal(await storage.delete(`${d}/f`), false);
      await storage.writeFile(`${d}/sub/g`, text('g'));
      await assert.rejects(storage.delete(`${d}/sub`), isSinkError('STORAGE_FAILED', false));
      assert.equal(await storage.exists(`${d}/sub/g`), true);
      assert.equal(await storage.delete(`${d}/sub`, { recursive: true }), true);
      assert.equal(await storage.exists(`${d}/sub`), false);
      await storage.mkdirs(`${d}/empty`);
      assert.equal(await storage.delete(`${d}/empty`), true);
    });

    test('list returns files and directories sorted by name with type, length and path', async () => {
      const d = dir();
      const names = ['b', 'B', 'a', '10', '9', 'topic=x', 'é', 'z'];
      for (const name of names) await storage.writeFile(`${d}/${name}`, text(name.repeat(3)));
      await storage.mkdirs(`${d}/dir`);
      const listed = await storage.list(d);
      assert.deepEqual(
        listed.map((e) => e.name),
        ['10', '9', 'B', 'a', 'b', 'dir', 'topic=x', 'z', 'é'],
      );
      const b = listed.find((e) => e.name === 'topic=x');
      assert.deepEqual(
        { ...b, modificationTime: 0 },
        { name: 'topic=x', path: `${d}/topic=x`, type: 'file', length: 21, modificationTime: 0 },
      );
      assert.equal(listed.find((e) => e.name === 'dir')?.type, 'directory');
      assert.equal(listed.find((e) => e.name === 'dir')?.length, 0);
      for (const e of listed)
        assert.ok(
          Math.abs(e.modificationTime - Date.now()) < 120_000,
          `${e.name} mtime ${e.modificationTime}`,
        );
    });

    test('list of a missing directory is empty; list of a file throws', async () => {
      const d = dir();
      assert.deepEqual(await storage.list(`${d}/missing`), []);
      await storage.writeFile(`${d}/f`, text('f'));
      await assert.rejects(storage.list(`${d}/f`), isSinkError('STORAGE_FAILED', false));
    });

    test('mkdirs creates nested directories, is idempotent, and fails over a file', async () => {
      const d = dir();
      await storage.mkdirs(`${d}/a/b/c`);
      await storage.mkdirs(`${d}/a/b/c`);
      for (const p of [`${d}/a`, `${d}/a/b`, `${d}/a/b/c`])
        assert.equal((await storage.stat(p))?.type, 'directory', p);
      await storage.writeFile(`${d}/file`, text('x'));
      await assert.rejects(storage.mkdirs(`${d}/file/sub`), isSinkError('STORAGE_FAILED', false));
    });

    test('stat and exists: a file, a directory, nothing', async () => {
      const d = dir();
      await storage.writeFile(`${d}/f.txt`, text('12345'));
      const f = await storage.stat(`${d}/f.txt`);
      assert.deepEqual(
        { ...f, modificationTime: 0 },
        { name: 'f.txt', path: `${d}/f.txt`, type: 'file', length: 5, modificationTime: 0 },
      );
      assert.equal((await storage.stat(d))?.type, 'directory');
      assert.equal(await storage.stat(`${d}/none`), null);
      assert.equal(await storage.stat(`${d}/none/deeper`), null);
      assert.equal(await storage.exists(`${d}/f.txt`), true);
      assert.equal(await storage.exists(`${d}/none`), false);
    });

    test('read of a missing file throws STORAGE_FAILED, not retriable, naming the path', async () => {
      const d = dir();
      await assert.rejects(storage.read(`${d}/missing`), (e: unknown) => {
        isSinkError('STORAGE_FAILED', false)(e);
        assert.match((e as Error).message, new RegExp(`${d}/missing`));
        return true;
      });
    });

    test('a relative path or a .. segment is refused', async () => {
      await assert.rejects(storage.writeFile('relative/f', text('x')), isSinkError('STORAGE_FAILED', false));
      await assert.rejects(storage.stat(`${base}/../escape`), isSinkError('STORAGE_FAILED', false));
    });

    const large = options.largeFileBytes ?? 64 * 1024 * 1024;
    test('readRange returns the bytes at an offset, fewer at the end of the file', async () => {
      const d = dir();
      await storage.writeFile(`${d}/r.bin`, utf8('0123456789'));
      assert.equal(decoded(await storage.readRange(`${d}/r.bin`, 2, 3)), '234');
      assert.equal(decoded(await storage.readRange(`${d}/r.bin`, 7, 100)), '789');
    });

    test('concat appends the sources to the target in order and removes them', async () => {
      const d = dir();
      await storage.writeFile(`${d}/t.bin`, utf8('aa'));
      await storage.writeFile(`${d}/_s1`, utf8('bbb'));
      await storage.writeFile(`${d}/s2.bin`, utf8('c'));
      await storage.concat(`${d}/t.bin`, [`${d}/_s1`, `${d}/s2.bin`]);
      assert.equal(decoded(await storage.read(`${d}/t.bin`)), 'aabbbc');
      assert.deepEqual(
        (await storage.list(d)).map((e) => e.name),
        ['t.bin'],
      );
    });

    test('concat refuses a source outside the target directory and changes nothing', async () => {
      const d = dir();
      await storage.writeFile(`${d}/t.bin`, utf8('aa'));
      await storage.writeFile(`${d}/sub/s.bin`, utf8('b'));
      await assert.rejects(storage.concat(`${d}/t.bin`, [`${d}/sub/s.bin`]), /must be another file/);
      assert.equal(decoded(await storage.read(`${d}/t.bin`)), 'aa');
    });

    test('concat of a missing source fails and leaves the target as it was', async () => {
      const d = dir();
      await storage.writeFile(`${d}/t.bin`, utf8('aa'));
      await assert.rejects(storage.concat(`${d}/t.bin`, [`${d}/missing.bin`]), (e: unknown) => {
        assert.ok(e instanceof SinkError && e.code === 'STORAGE_FAILED', String(e));
        return true;
      });
      assert.equal(decoded(await storage.read(`${d}/t.bin`)), 'aa');
    });

    test(`a ${Math.round(large / 1024 / 1024)} MiB file round-trips intact`, async () => {
      const d = dir();
      const bytes = randomBytes(large);
      await storage.writeFile(`${d}/large.bin.tmp`, bytes);
      assert.equal(await storage.rename(`${d}/large.bin.tmp`, `${d}/large.bin`), true);
      assert.equal((await storage.stat(`${d}/large.bin`))?.length, large);
      const back = await storage.read(`${d}/large.bin`);
      assert.equal(back.byteLength, large);
      assert.equal(sha256(back), sha256(bytes));
    });
  });
}
