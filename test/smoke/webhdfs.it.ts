// Smoke: WebHDFS create/read/rename/list/delete as the service user, and a denied read as another user.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { endpoints, loadStackConfig } from '@adlake/stack';
import { uniqueName } from '../support/unique.ts';
import { opUrl, putBytes } from '../support/webhdfs.ts';

const { webhdfsUrl, hdfsUser, otherHdfsUser } = endpoints(loadStackConfig());
const dir = `/user/${hdfsUser}/${uniqueName('smoke-webhdfs')}`;
const url = (path: string, op: string, user = hdfsUser, extra: Record<string, string> = {}) =>
  opUrl(webhdfsUrl, path, op, user, extra);

after(async () => {
  await fetch(url(dir, 'DELETE', hdfsUser, { recursive: 'true' }), { method: 'DELETE' });
});

test('create, read, rename, list and delete as the service user', async () => {
  const mkdirs = await fetch(url(dir, 'MKDIRS'), { method: 'PUT' });
  assert.deepEqual(await mkdirs.json(), { boolean: true });

  const content = Buffer.from(`hello from ${hdfsUser} ${Date.now()}\n`);
  const create = await fetch(url(`${dir}/a.txt`, 'CREATE', hdfsUser, { overwrite: 'false' }), {
    method: 'PUT',
    redirect: 'manual',
  });
  assert.equal(create.status, 307);
  const location = create.headers.get('location');
  assert.ok(location !== null);
  assert.equal(new URL(location).hostname, '127.0.0.1', `redirect ${location}`);
  const written = await putBytes(location, content);
  assert.equal(written.status, 201, written.text);

  const open = await fetch(url(`${dir}/a.txt`, 'OPEN'), { redirect: 'manual' });
  assert.equal(open.status, 307);
  const read = await fetch(open.headers.get('location') ?? '');
  assert.equal(read.status, 200);
  assert.deepEqual(Buffer.from(await read.arrayBuffer()), content);

  const rename = await fetch(url(`${dir}/a.txt`, 'RENAME', hdfsUser, { destination: `${dir}/b.txt` }), {
    method: 'PUT',
  });
  assert.deepEqual(await rename.json(), { boolean: true });

  const list = await fetch(url(dir, 'LISTSTATUS'));
  const listing = (await list.json()) as {
    FileStatuses: { FileStatus: { pathSuffix: string; owner: string; length: number }[] };
  };
  assert.deepEqual(
    listing.FileStatuses.FileStatus.map((f) => [f.pathSuffix, f.owner, f.length]),
    [['b.txt', hdfsUser, content.length]],
  );

  const del = await fetch(url(`${dir}/b.txt`, 'DELETE'), { method: 'DELETE' });
  assert.deepEqual(await del.json(), { boolean: true });
  const gone = await fetch(url(`${dir}/b.txt`, 'GETFILESTATUS'));
  assert.equal(gone.status, 404);
});

test(`${otherHdfsUser} is denied reading the service user's files`, async () => {
  const path = `${dir}/secret.txt`;
  const create = await fetch(url(path, 'CREATE', hdfsUser, { overwrite: 'true' }), {
    method: 'PUT',
    redirect: 'manual',
  });
  assert.equal((await putBytes(create.headers.get('location') ?? '', Buffer.from('secret'))).status, 201);

  const denied = await fetch(url(path, 'OPEN', otherHdfsUser), { redirect: 'manual' });
  assert.equal(denied.status, 403);
  const body = (await denied.json()) as { RemoteException: { exception: string; message: string } };
  assert.equal(body.RemoteException.exception, 'AccessControlException');
  assert.match(body.RemoteException.message, new RegExp(`user=${otherHdfsUser}`));
});
