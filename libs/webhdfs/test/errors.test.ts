// RemoteException and HTTP status mapping: the table that decides every code and whether it is retriable.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  classifyHttpStatus,
  classifyRemoteException,
  errorFromNetwork,
  errorFromResponse,
  parseRemoteException,
  WebHdfsError,
} from '../src/errors.ts';
import type { WebHdfsErrorCode } from '../src/errors.ts';

const remoteCases: [
  exception: string,
  javaClassName: string,
  status: number,
  code: WebHdfsErrorCode,
  retriable: boolean,
][] = [
  ['FileNotFoundException', 'java.io.FileNotFoundException', 404, 'NOT_FOUND', false],
  [
    'AccessControlException',
    'org.apache.hadoop.security.AccessControlException',
    403,
    'ACCESS_DENIED',
    false,
  ],
  [
    'AuthorizationException',
    'org.apache.hadoop.security.authorize.AuthorizationException',
    403,
    'ACCESS_DENIED',
    false,
  ],
  [
    'InvalidToken',
    'org.apache.hadoop.security.token.SecretManager$InvalidToken',
    403,
    'ACCESS_DENIED',
    false,
  ],
  ['SecurityException', 'java.lang.SecurityException', 401, 'ACCESS_DENIED', false],
  [
    'FileAlreadyExistsException',
    'org.apache.hadoop.fs.FileAlreadyExistsException',
    403,
    'ALREADY_EXISTS',
    false,
  ],
  [
    'PathIsNotEmptyDirectoryException',
    'org.apache.hadoop.fs.PathIsNotEmptyDirectoryException',
    403,
    'NOT_EMPTY',
    false,
  ],
  [
    'ParentNotDirectoryException',
    'org.apache.hadoop.fs.ParentNotDirectoryException',
    403,
    'NOT_DIRECTORY',
    false,
  ],
  [
    'DSQuotaExceededException',
    'org.apache.hadoop.hdfs.protocol.DSQuotaExceededException',
    403,
    'QUOTA_EXCEEDED',
    false,
  ],
  [
    'NSQuotaExceededException',
    'org.apache.hadoop.hdfs.protocol.NSQuotaExceededException',
    403,
    'QUOTA_EXCEEDED',
    false,
  ],
  [
    'AlreadyBeingCreatedException',
    'org.apache.hadoop.hdfs.protocol.AlreadyBeingCreatedException',
    403,
    'LEASE_CONFLICT',
    false,
  ],
  [
    'LeaseExpiredException',
    'org.apache.hadoop.hdfs.server.namenode.LeaseExpiredException',
    403,
    'LEASE_CONFLICT',
    false,
  ],
  ['SafeModeException', 'org.apache.hadoop.hdfs.server.namenode.SafeModeException', 403, 'SAFE_MODE', true],
  ['StandbyException', 'org.apache.hadoop.ipc.StandbyException', 403, 'STANDBY', true],
  ['RetriableException', 'org.apache.hadoop.ipc.RetriableException', 403, 'RETRY_LATER', true],
  [
    'RecoveryInProgressException',
    'org.apache.hadoop.hdfs.protocol.RecoveryInProgressException',
    403,
    'RETRY_LATER',
    true,
  ],
  ['IllegalArgumentException', 'java.lang.IllegalArgumentException', 400, 'INVALID_ARGUMENT', false],
  ['InvalidPathException', 'org.apache.hadoop.fs.InvalidPathException', 400, 'INVALID_ARGUMENT', false],
  [
    'UnsupportedOperationException',
    'java.lang.UnsupportedOperationException',
    400,
    'INVALID_ARGUMENT',
    false,
  ],
  // Unknown classes: an IOException answered with 403 is not worth retrying, a server error is.
  ['IOException', 'java.io.IOException', 403, 'IO', false],
  ['IOException', 'java.io.IOException', 500, 'IO', true],
  ['NullPointerException', 'java.lang.NullPointerException', 500, 'IO', true],
  // Fully qualified names in `exception` are reduced to the simple name.
  ['org.apache.hadoop.ipc.StandbyException', 'org.apache.hadoop.ipc.StandbyException', 403, 'STANDBY', true],
  // A nested class known only by its javaClassName.
  [
    'SomethingElse',
    'org.apache.hadoop.security.token.SecretManager$InvalidToken',
    403,
    'ACCESS_DENIED',
    false,
  ],
];

for (const [exception, javaClassName, status, code, retriable] of remoteCases) {
  test(`${exception} with HTTP ${status} → ${code}${retriable ? ', retriable' : ''}`, () => {
    assert.deepEqual(classifyRemoteException({ exception, javaClassName }, status), { code, retriable });
  });
}

const statusCases: [status: number, code: WebHdfsErrorCode, retriable: boolean][] = [
  [400, 'INVALID_ARGUMENT', false],
  [401, 'ACCESS_DENIED', false],
  [403, 'ACCESS_DENIED', false],
  [404, 'NOT_FOUND', false],
  [405, 'HTTP', false],
  [408, 'HTTP', true],
  [429, 'HTTP', true],
  [500, 'HTTP', true],
  [502, 'HTTP', true],
  [503, 'HTTP', true],
];

for (const [status, code, retriable] of statusCases) {
  test(`HTTP ${status} without a RemoteException → ${code}${retriable ? ', retriable' : ''}`, () => {
    assert.deepEqual(classifyHttpStatus(status), { code, retriable });
  });
}

test('parseRemoteException reads the documented shape and nothing else', () => {
  assert.deepEqual(
    parseRemoteException(
      '{"RemoteException":{"exception":"FileNotFoundException","javaClassName":"java.io.FileNotFoundException","message":"File does not exist: /x"}}',
    ),
    {
      exception: 'FileNotFoundException',
      javaClassName: 'java.io.FileNotFoundException',
      message: 'File does not exist: /x',
    },
  );
  assert.equal(parseRemoteException('<html>Bad gateway</html>'), undefined);
  assert.equal(parseRemoteException('{"boolean":false}'), undefined);
  assert.equal(parseRemoteException('{"RemoteException":{"message":"no class"}}'), undefined);
  assert.equal(parseRemoteException('null'), undefined);
});

test('errorFromResponse names operation, path and user, and drops a Java stack trace from the message', () => {
  const body = JSON.stringify({
    RemoteException: {
      exception: 'AccessControlException',
      javaClassName: 'org.apache.hadoop.security.AccessControlException',
      message:
        'Permission denied: user=intruder, access=WRITE, inode="/user/adlake":adlake:adlake:drwxr-x---\n\tat org.apache.hadoop.X.check(X.java:1)\n',
    },
  });
  const error = errorFromResponse(403, body, {
    operation: 'CREATE',
    path: '/user/adlake/a b',
    user: 'intruder',
  });
  assert.ok(error instanceof WebHdfsError);
  assert.equal(error.code, 'ACCESS_DENIED');
  assert.equal(error.retriable, false);
  assert.equal(
    error.message,
    'WebHDFS CREATE /user/adlake/a b as intruder failed: AccessControlException: Permission denied: user=intruder, access=WRITE, inode="/user/adlake":adlake:adlake:drwxr-x---',
  );
  assert.equal(error.context.httpStatus, 403);
  assert.equal(error.context.remote?.exception, 'AccessControlException');
});

test('errorFromResponse without a RemoteException keeps a snippet of the body', () => {
  const error = errorFromResponse(502, '<html>Bad Gateway</html>', {
    operation: 'LISTSTATUS',
    path: '/data',
  });
  assert.equal(error.code, 'HTTP');
  assert.equal(error.retriable, true);
  assert.equal(error.message, 'WebHDFS LISTSTATUS /data failed: HTTP 502: <html>Bad Gateway</html>');
});

test('errorFromNetwork: refused connections are UNREACHABLE, broken ones CONNECTION, both retriable', () => {
  const refused = Object.assign(new TypeError('fetch failed'), {
    cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }),
  });
  const reset = Object.assign(new TypeError('fetch failed'), {
    cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
  });
  const signals = { timedOut: false, aborted: false };
  const ctx = { operation: 'MKDIRS', path: '/x', url: 'http://127.0.0.1:9870/webhdfs/v1/x?op=MKDIRS' };
  const a = errorFromNetwork(refused, ctx, signals);
  assert.deepEqual([a.code, a.retriable], ['UNREACHABLE', true]);
  assert.match(a.message, /MKDIRS \/x: cannot connect \(127\.0\.0\.1:9870\): ECONNREFUSED/);
  const b = errorFromNetwork(reset, ctx, signals);
  assert.deepEqual([b.code, b.retriable], ['CONNECTION', true]);
  assert.equal(b.cause, reset);
});

test('errorFromNetwork: the client timeout is retriable, the caller abort is not', () => {
  const ctx = { operation: 'OPEN', path: '/x' };
  const timeout = errorFromNetwork(new DOMException('t', 'TimeoutError'), ctx, {
    timedOut: true,
    aborted: false,
    timeoutMs: 50,
  });
  assert.deepEqual([timeout.code, timeout.retriable], ['TIMEOUT', true]);
  assert.match(timeout.message, /timed out after 50 ms/);
  const aborted = errorFromNetwork(new DOMException('a', 'AbortError'), ctx, {
    timedOut: false,
    aborted: true,
  });
  assert.deepEqual([aborted.code, aborted.retriable], ['ABORTED', false]);
});
