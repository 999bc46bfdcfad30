// storageFailure: which backend failures become retriable SinkErrors, and what their message says.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WebHdfsError } from '@adlake/webhdfs';
import { SinkError } from '../../src/errors.ts';
import { backendCode, storageFailure } from '../../src/storage/failure.ts';

const fsError = (code: string) => Object.assign(new Error(`${code}: something`), { code });

test('fs error codes: transient ones are retriable, permissions and full disks are not', () => {
  for (const code of ['EAGAIN', 'EBUSY', 'EMFILE', 'ENFILE', 'EINTR', 'ETIMEDOUT', 'EIO']) {
    assert.equal(storageFailure('read', '/a', 'local /x', fsError(code)).retriable, true, code);
  }
  for (const code of ['EACCES', 'EPERM', 'ENOSPC', 'EDQUOT', 'EROFS', 'ENOENT', 'EISDIR', 'ENOTEMPTY']) {
    assert.equal(storageFailure('read', '/a', 'local /x', fsError(code)).retriable, false, code);
  }
});

test('a WebHdfsError keeps its retriable flag and code, as the cause', () => {
  const denied = new WebHdfsError(
    'ACCESS_DENIED',
    'WebHDFS CREATE /a as bob failed: AccessControlException: Permission denied',
  );
  const e = storageFailure('writeFile', '/a', 'webhdfs http://nn:9870 as bob', denied);
  assert.equal(e.code, 'STORAGE_FAILED');
  assert.equal(e.retriable, false);
  assert.equal(e.cause, denied);
  assert.equal(backendCode(e.cause), 'ACCESS_DENIED');
  assert.deepEqual(e.context, { path: '/a' });
  assert.equal(
    e.message,
    'storage writeFile /a on webhdfs http://nn:9870 as bob failed: WebHDFS CREATE /a as bob failed: AccessControlException: Permission denied',
  );
  assert.equal(
    storageFailure('read', '/a', 'd', new WebHdfsError('SAFE_MODE', 'x', { retriable: true })).retriable,
    true,
  );
});

test('a SinkError passes through unchanged; the code can be RENAME_FAILED', () => {
  const original = new SinkError('LEDGER_CORRUPT', 'x');
  assert.equal(storageFailure('read', '/a', 'd', original), original);
  assert.equal(
    storageFailure('rename', '/a -> /b', 'd', fsError('EXDEV'), 'RENAME_FAILED').code,
    'RENAME_FAILED',
  );
});
