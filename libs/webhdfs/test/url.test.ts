// URL building: path validation, per-segment encoding of HDFS names, and the query string.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WebHdfsError } from '../src/errors.ts';
import { buildUrl, checkPermission, encodePath, encodeQuery, normalizePath } from '../src/url.ts';

const encodings: [path: string, encoded: string][] = [
  ['/', '/'],
  ['/data/lake/raw', '/data/lake/raw'],
  ['/data/lake/raw/', '/data/lake/raw'],
  ['/raw/topic=adserver.impressions/dt=2026-11-23', '/raw/topic%3Dadserver.impressions/dt%3D2026-11-23'],
  ['/raw/adserver.impressions+3+100+199.parquet', '/raw/adserver.impressions%2B3%2B100%2B199.parquet'],
  ['/tmp/a b', '/tmp/a%20b'],
  ['/tmp/ü€😀', '/tmp/%C3%BC%E2%82%AC%F0%9F%98%80'],
  ['/tmp/semi;colon', '/tmp/semi%3Bcolon'],
  ['/tmp/pct%41', '/tmp/pct%2541'],
  ['/tmp/hash#q?x&y', '/tmp/hash%23q%3Fx%26y'],
  ["/tmp/qu'ote(1)*!~_-.", "/tmp/qu'ote(1)*!~_-."],
];

for (const [path, encoded] of encodings) {
  test(`encodePath ${JSON.stringify(path)} → ${encoded}`, () => {
    assert.equal(encodePath(path), encoded);
    // Decoding segment by segment gives the name back.
    assert.equal(encoded.split('/').map(decodeURIComponent).join('/'), normalizePath(path));
  });
}

for (const bad of ['', 'relative/path', '/a//b', '/a/./b', '/a/../b', '/a/\0b']) {
  test(`normalizePath rejects ${JSON.stringify(bad)}`, () => {
    assert.throws(
      () => normalizePath(bad),
      (e: unknown) => e instanceof WebHdfsError && e.code === 'INVALID_ARGUMENT',
    );
  });
}

test('encodeQuery encodes keys and values with %20, never +, and skips undefined', () => {
  assert.equal(
    encodeQuery({
      op: 'RENAME',
      'user.name': 'adlake',
      destination: '/a b/c+d=e&f',
      skipped: undefined,
      overwrite: false,
      length: 10,
    }),
    'op=RENAME&user.name=adlake&destination=%2Fa%20b%2Fc%2Bd%3De%26f&overwrite=false&length=10',
  );
});

test('buildUrl puts /webhdfs/v1 after the base, keeping a gateway prefix', () => {
  assert.equal(
    buildUrl('http://127.0.0.1:9870', '/raw/topic=x/dt=2026-11-23', 'LISTSTATUS', { 'user.name': 'adlake' }),
    'http://127.0.0.1:9870/webhdfs/v1/raw/topic%3Dx/dt%3D2026-11-23?op=LISTSTATUS&user.name=adlake',
  );
  assert.equal(
    buildUrl('https://gw.example:8443/gateway/default/', '/a', 'OPEN', { offset: 5 }),
    'https://gw.example:8443/gateway/default/webhdfs/v1/a?op=OPEN&offset=5',
  );
});

test('buildUrl rejects a base that is not an http(s) URL', () => {
  for (const base of ['127.0.0.1:9870', 'ftp://host/', 'not a url']) {
    assert.throws(
      () => buildUrl(base, '/', 'GETFILESTATUS'),
      (e: unknown) => e instanceof WebHdfsError && e.code === 'INVALID_ARGUMENT',
    );
  }
});

test('checkPermission accepts 3 octal digits and a leading sticky bit', () => {
  for (const ok of ['750', '644', '000', '1777']) assert.equal(checkPermission(ok), ok);
  for (const bad of ['75', '7777', '2755', '888', 'rwx', '0o750']) {
    assert.throws(
      () => checkPermission(bad),
      (e: unknown) => e instanceof WebHdfsError && e.code === 'INVALID_ARGUMENT',
    );
  }
});
