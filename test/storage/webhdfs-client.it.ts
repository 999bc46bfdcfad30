// WebHdfsClient against the real HDFS: every operation, denied access as another user, RENAME's false,
// not-found answers, encoded names, connection reuse and network failures.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { createServer } from 'node:net';
import type { Socket } from 'node:net';
import { userInfo } from 'node:os';
import { after, before, test } from 'node:test';
import { endpoints, loadStackConfig } from '@adlake/stack';
import { WebHdfsClient, WebHdfsError, withRetry } from '@adlake/webhdfs';
import { uniqueName } from '../support/unique.ts';

const { webhdfsUrl, hdfsUser, otherHdfsUser, hdfsHomeDir } = endpoints(loadStackConfig());
const client = new WebHdfsClient({ url: webhdfsUrl, user: hdfsUser });
const other = new WebHdfsClient({ url: webhdfsUrl, user: otherHdfsUser });
/** The stack runs HDFS as the OS user, which makes that user HDFS's superuser (tools/stack). */
const superuser = new WebHdfsClient({ url: webhdfsUrl, user: userInfo().username });
const home = `${hdfsHomeDir}/${uniqueName('it-webhdfs')}`;
/** /tmp is 1777: another user can traverse it, so a denial there is about the directory's own mode. */
const shared = `/tmp/${uniqueName('it-webhdfs')}`;
const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

function rejectsWith(code: string, retriable = false) {
  return (error: unknown) => {
    assert.ok(error instanceof WebHdfsError, `expected a WebHdfsError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    assert.equal(error.retriable, retriable, error.message);
    return true;
  };
}

before(async () => {
  assert.equal(await client.mkdirs(home, { permission: '750' }), true);
  assert.equal(await client.mkdirs(shared, { permission: '755' }), true);
});

after(async () => {
  await client.delete(home, { recursive: true });
  await client.delete(shared, { recursive: true });
  for (const c of [client, other, superuser]) c.close();
});

test('CREATE (two steps) then OPEN, whole and by offset/length; overwrite and permission honoured', async () => {
  const path = `${home}/create/a.txt`;
  await client.create(path, bytes('0123456789'), { permission: '640' });
  assert.equal(text(await client.open(path)), '0123456789');
  assert.equal(text(await client.open(path, { offset: 3, length: 4 })), '3456');
  assert.equal(text(await client.open(path, { offset: 8 })), '89');
  const status = await client.getFileStatus(path);
  assert.equal(status?.permission, '640');
  assert.equal(status?.owner, hdfsUser);
  await assert.rejects(client.create(path, bytes('again')), rejectsWith('ALREADY_EXISTS'));
  await client.create(path, bytes('replaced'), { overwrite: true });
  assert.equal(text(await client.open(path)), 'replaced');
});

test('a 64 MiB CREATE and OPEN round-trip intact', async () => {
  const data = randomBytes(64 * 1024 * 1024);
  const path = `${home}/large.bin`;
  await client.create(path, data, { overwrite: true });
  assert.equal((await client.getFileStatus(path))?.length, data.byteLength);
  const back = await client.open(path);
  assert.equal(
    createHash('sha256').update(back).digest('hex'),
    createHash('sha256').update(data).digest('hex'),
  );
  assert.equal(await client.delete(path), true);
});

test('RENAME returns true, and false — not an error — when it did not rename', async () => {
  const dir = `${home}/rename`;
  await client.create(`${dir}/a`, bytes('a'));
  await client.create(`${dir}/b`, bytes('b'));
  assert.equal(await client.rename(`${dir}/a`, `${dir}/c`), true);
  assert.equal(await client.rename(`${dir}/c`, `${dir}/b`), false, 'destination file exists');
  assert.equal(await client.rename(`${dir}/missing`, `${dir}/d`), false, 'source missing');
  assert.equal(await client.rename(`${dir}/c`, `${dir}/no/parent/d`), false, 'destination parent missing');
  assert.equal(text(await client.open(`${dir}/b`)), 'b');
  // The legacy semantics move a file *into* an existing directory and say true.
  await client.mkdirs(`${dir}/into`);
  assert.equal(await client.rename(`${dir}/c`, `${dir}/into`), true);
  assert.deepEqual(
    (await client.listStatus(`${dir}/into`)).map((s) => s.pathSuffix),
    ['c'],
  );
});

test('strict RENAME refuses an existing destination and a missing source with errors', async () => {
  const dir = `${home}/rename-strict`;
  await client.create(`${dir}/a`, bytes('a'));
  await client.create(`${dir}/b`, bytes('b'));
  await assert.rejects(client.renameStrict(`${dir}/a`, `${dir}/b`), rejectsWith('ALREADY_EXISTS'));
  await assert.rejects(client.renameStrict(`${dir}/missing`, `${dir}/x`), rejectsWith('NOT_FOUND'));
  await client.renameStrict(`${dir}/a`, `${dir}/b`, { overwrite: true });
  assert.equal(text(await client.open(`${dir}/b`)), 'a');
  await client.renameStrict(`${dir}/b`, `${dir}/c`);
  assert.equal(await client.getFileStatus(`${dir}/b`), null);
});

test('DELETE: true, then false; a non-empty directory needs recursive (NOT_EMPTY)', async () => {
  const dir = `${home}/delete`;
  await client.create(`${dir}/sub/f`, bytes('f'));
  await assert.rejects(client.delete(dir), rejectsWith('NOT_EMPTY'));
  assert.equal(await client.delete(`${dir}/sub/f`), true);
  assert.equal(await client.delete(`${dir}/sub/f`), false);
  assert.equal(await client.delete(dir, { recursive: true }), true);
  assert.equal(await client.getFileStatus(dir), null);
});

test('MKDIRS nested with a permission; over a file it fails', async () => {
  const dir = `${home}/mkdirs/a/b/c`;
  assert.equal(await client.mkdirs(dir, { permission: '700' }), true);
  assert.equal(await client.mkdirs(dir), true, 'idempotent');
  const status = await client.getFileStatus(dir);
  assert.equal(status?.type, 'DIRECTORY');
  assert.equal(status?.permission, '700');
  await client.create(`${home}/mkdirs/file`, bytes('x'));
  await assert.rejects(
    client.mkdirs(`${home}/mkdirs/file/sub`),
    (e: unknown) => e instanceof WebHdfsError && !e.retriable,
  );
});

test('LISTSTATUS, GETFILESTATUS (null when missing) and NOT_FOUND for a missing directory', async () => {
  const dir = `${home}/list`;
  for (const name of ['b', 'a', 'c']) await client.create(`${dir}/${name}`, bytes(name.repeat(2)));
  await client.mkdirs(`${dir}/d`);
  const listed = await client.listStatus(dir);
  assert.deepEqual(
    listed.map((s) => [s.pathSuffix, s.type, s.length]),
    [
      ['a', 'FILE', 2],
      ['b', 'FILE', 2],
      ['c', 'FILE', 2],
      ['d', 'DIRECTORY', 0],
    ],
  );
  assert.equal(await client.getFileStatus(`${dir}/missing`), null);
  await assert.rejects(client.listStatus(`${dir}/missing`), rejectsWith('NOT_FOUND'));
  await assert.rejects(client.open(`${dir}/missing`), (e: unknown) => {
    rejectsWith('NOT_FOUND')(e);
    assert.match((e as Error).message, new RegExp(`OPEN ${dir}/missing as ${hdfsUser}`));
    return true;
  });
});

test('LISTSTATUS_BATCH pages through a directory bigger than dfs.ls.limit (1000)', async () => {
  const dir = `${home}/batch`;
  const names = Array.from({ length: 1005 }, (_, i) => `d${String(i).padStart(4, '0')}`);
  for (let i = 0; i < names.length; i += 25) {
    await Promise.all(names.slice(i, i + 25).map((n) => client.mkdirs(`${dir}/${n}`)));
  }
  const first = await client.listStatusBatch(dir);
  assert.equal(first.entries.length, 1000);
  assert.equal(first.remainingEntries, 5);
  const all: string[] = [];
  for await (const status of client.listStatusIterator(dir)) all.push(status.pathSuffix);
  assert.deepEqual(all, names);
  assert.equal((await client.listStatus(dir)).length, 1005);
});

test('GETCONTENTSUMMARY counts files, directories and bytes', async () => {
  const dir = `${home}/summary`;
  await client.create(`${dir}/a`, bytes('12345'));
  await client.create(`${dir}/sub/b`, bytes('678'));
  const summary = await client.getContentSummary(dir);
  assert.deepEqual(
    [summary.fileCount, summary.directoryCount, summary.length, summary.quota, summary.spaceQuota],
    [2, 2, 8, -1, -1],
  );
});

test('SETPERMISSION; SETOWNER as the superuser, refused to anyone else', async () => {
  const path = `${shared}/owned`;
  await client.create(path, bytes('x'));
  await client.setPermission(path, '600');
  assert.equal((await client.getFileStatus(path))?.permission, '600');
  await assert.rejects(client.setOwner(path, { owner: otherHdfsUser }), rejectsWith('ACCESS_DENIED'));
  await superuser.setOwner(path, { owner: otherHdfsUser, group: otherHdfsUser });
  const status = await client.getFileStatus(path);
  assert.deepEqual([status?.owner, status?.group], [otherHdfsUser, otherHdfsUser]);
  await superuser.setOwner(path, { owner: hdfsUser, group: hdfsUser });
});

test(`${otherHdfsUser} writing or reading in the service user's 750 home is ACCESS_DENIED, not retriable, naming path and user`, async () => {
  const secret = `${home}/secret.txt`;
  await client.create(secret, bytes('secret'));
  for (const [operation, call] of [
    ['OPEN', () => other.open(secret)],
    ['CREATE', () => other.create(`${home}/planted.txt`, bytes('x'))],
    ['LISTSTATUS', () => other.listStatus(home)],
    ['DELETE', () => other.delete(secret)],
  ] as const) {
    await assert.rejects(call(), (e: unknown) => {
      rejectsWith('ACCESS_DENIED')(e);
      const error = e as WebHdfsError;
      assert.match(
        error.message,
        new RegExp(
          `^WebHDFS ${operation} ${home}(/\\S+)? as ${otherHdfsUser} failed: AccessControlException: Permission denied: user=${otherHdfsUser}`,
        ),
      );
      assert.equal(error.context.user, otherHdfsUser);
      assert.equal(error.context.httpStatus, 403);
      return true;
    });
  }
  assert.equal(text(await client.open(secret)), 'secret');
});

test(`${otherHdfsUser} may read a 755 directory but writing into it is ACCESS_DENIED (access=WRITE)`, async () => {
  const dir = `${shared}/readable`;
  await client.mkdirs(dir, { permission: '755' });
  await client.create(`${dir}/f`, bytes('f'), { permission: '644' });
  assert.equal(text(await other.open(`${dir}/f`)), 'f');
  await assert.rejects(other.create(`${dir}/g`, bytes('g')), (e: unknown) => {
    rejectsWith('ACCESS_DENIED')(e);
    assert.match(
      (e as Error).message,
      new RegExp(`CREATE ${dir}/g as ${otherHdfsUser} failed: .*access=WRITE`),
    );
    return true;
  });
  await assert.rejects(other.rename(`${dir}/f`, `${dir}/h`), rejectsWith('ACCESS_DENIED'));
  await client.setPermission(dir, '700');
  await assert.rejects(other.open(`${dir}/f`), rejectsWith('ACCESS_DENIED'));
});

test('names with spaces, unicode, =, +, ;, % and # survive the URL encoding', async () => {
  const dir = `${home}/names/topic=adserver.impressions/dt=2026-11-23`;
  const names = [
    'adserver.impressions+3+100+199.parquet',
    'a b',
    'ü€😀',
    'semi;colon',
    'pct%41',
    'hash#q?x&y=z',
  ];
  for (const name of names) await client.create(`${dir}/${name}`, bytes(name));
  assert.deepEqual((await client.listStatus(dir)).map((s) => s.pathSuffix).sort(), [...names].sort());
  for (const name of names) {
    assert.equal(text(await client.open(`${dir}/${name}`)), name);
    assert.equal(await client.rename(`${dir}/${name}`, `${dir}/${name} renamed`), true, name);
    assert.equal((await client.getFileStatus(`${dir}/${name} renamed`))?.length, bytes(name).byteLength);
  }
});

test('NameNode connections are reused across calls; the DataNode closes each one', async () => {
  const opened: string[] = [];
  const onSocket = ({ socket }: { socket: Socket }) => {
    socket.once('connect', () => opened.push(String(socket.remotePort)));
  };
  const channel = 'net.client.socket';
  subscribe(channel, onSocket as (message: unknown) => void);
  try {
    const dir = `${home}/reuse`;
    await client.mkdirs(dir);
    for (let i = 0; i < 10; i++) {
      await client.create(`${dir}/f${i}`, bytes(`file ${i}`));
      await client.getFileStatus(`${dir}/f${i}`);
      assert.equal(text(await client.open(`${dir}/f${i}`)), `file ${i}`);
    }
    await client.listStatus(dir);
  } finally {
    unsubscribe(channel, onSocket as (message: unknown) => void);
  }
  const namenodePort = new URL(webhdfsUrl).port;
  const toNameNode = opened.filter((p) => p === namenodePort).length;
  const toDataNode = opened.length - toNameNode;
  console.log(
    `# sockets opened for 32 NameNode and 20 DataNode requests: NameNode ${toNameNode}, DataNode ${toDataNode}`,
  );
  assert.ok(toNameNode <= 2, `NameNode sockets: ${toNameNode}`);
  assert.ok(toDataNode <= 20, `DataNode sockets: ${toDataNode}`);
});

test('a NameNode that is not listening is UNREACHABLE and retriable; the retry helper gives up', async () => {
  const port = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
  const nowhere = new WebHdfsClient({ url: `http://127.0.0.1:${port}`, user: hdfsUser });
  let attempts = 0;
  await assert.rejects(
    withRetry(
      () => {
        attempts++;
        return nowhere.mkdirs('/x');
      },
      { maxAttempts: 3, initialDelayMs: 10 },
    ),
    (e: unknown) => {
      rejectsWith('UNREACHABLE', true)(e);
      assert.match(
        (e as Error).message,
        new RegExp(`MKDIRS /x as ${hdfsUser}: cannot connect \\(127\\.0\\.0\\.1:${port}\\): ECONNREFUSED`),
      );
      return true;
    },
  );
  assert.equal(attempts, 3);
  nowhere.close();
});

test('a per-call timeout is TIMEOUT (retriable); the caller aborting is ABORTED (not)', async () => {
  await assert.rejects(client.listStatus(home, { timeoutMs: 1 }), rejectsWith('TIMEOUT', true));
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(client.listStatus(home, { signal: controller.signal }), rejectsWith('ABORTED', false));
});
