// Path helpers shared by the backends: validation, parent/name/child, and HDFS's name order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SinkError } from '../../src/errors.ts';
import { childOf, compareNames, nameOf, normalizeStoragePath, parentOf } from '../../src/storage/storage.ts';

test('normalizeStoragePath keeps absolute paths, drops a trailing slash, refuses the rest', () => {
  assert.equal(normalizeStoragePath('/'), '/');
  assert.equal(normalizeStoragePath('/a/topic=x/'), '/a/topic=x');
  for (const bad of ['', 'a', '/a//b', '/a/./b', '/a/../b', '/a\0']) {
    assert.throws(
      () => normalizeStoragePath(bad),
      (e: unknown) => e instanceof SinkError && e.code === 'STORAGE_FAILED',
      bad,
    );
  }
});

test('parentOf, nameOf and childOf', () => {
  assert.equal(parentOf('/a/b/c'), '/a/b');
  assert.equal(parentOf('/a'), '/');
  assert.equal(parentOf('/'), '/');
  assert.equal(nameOf('/a/b/c'), 'c');
  assert.equal(nameOf('/'), '');
  assert.equal(childOf('/', 'a'), '/a');
  assert.equal(childOf('/a', 'b'), '/a/b');
});

test('compareNames orders by UTF-8 bytes, as HDFS lists', () => {
  // UTF-16 order would put U+FF5E before U+1F600; UTF-8 byte order puts it after.
  assert.deepEqual(['😀', '～', 'é', 'Z', 'a', '10', '9'].sort(compareNames), [
    '10',
    '9',
    'Z',
    'a',
    'é',
    '～',
    '😀',
  ]);
});
