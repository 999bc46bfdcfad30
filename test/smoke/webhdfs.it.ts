// Smoke: WebHDFS create/read/rename/list/delete as the service user, and a denied read as another user.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { endpoints, loadStackConfig } from '@adlake/stack';
import { WebHdfsError } from '@adlake/webhdfs';
import { uniqueName } from '../support/unique.ts';
import { recordingClient } from '../support/webhdfs.ts';

const { webhdfsUrl, hdfsUser, otherHdfsUser } = endpoints(loadStackConfig());
const dir = `/user/${hdfsUser}/${uniqueName('smoke-webhdfs')}`;
const service = recordingClient(webhdfsUrl, hdfsUser);
const other = recordingClient(webhdfsUrl, otherHdfsUser);

after(async () => {
  await service.client.delete(dir, { recursive: true });
  service.client.close();
  other.client.close();
});

test('create, read, rename, list and delete as the service user', async () => {
  const { client, redirects } = service;
  assert.equal(await client.mkdirs(dir), true);

  const content = Buffer.from(`hello from ${hdfsUser} ${Date.now()}\n`);
  await client.create(`${dir}/a.txt`, content, { overwrite: false });
  assert.deepEqual(Buffer.from(await client.open(`${dir}/a.txt`)), content);
  // Both two-step operations were sent to a DataNode every local client can reach.
  assert.deepEqual(
    redirects.map((r) => r.hostname),
    ['127.0.0.1', '127.0.0.1'],
  );

  assert.equal(await client.rename(`${dir}/a.txt`, `${dir}/b.txt`), true);
  const listing = await client.listStatus(dir);
  assert.deepEqual(
    listing.map((f) => [f.pathSuffix, f.owner, f.length]),
    [['b.txt', hdfsUser, content.length]],
  );

  assert.equal(await client.delete(`${dir}/b.txt`), true);
  assert.equal(await client.getFileStatus(`${dir}/b.txt`), null);
});

test(`${otherHdfsUser} is denied reading the service user's files`, async () => {
  const path = `${dir}/secret.txt`;
  await service.client.create(path, Buffer.from('secret'), { overwrite: true });

  await assert.rejects(other.client.open(path), (e: unknown) => {
    assert.ok(e instanceof WebHdfsError, String(e));
    assert.equal(e.code, 'ACCESS_DENIED');
    assert.equal(e.context.httpStatus, 403);
    assert.equal(e.context.remote?.exception, 'AccessControlException');
    assert.match(e.context.remote?.message ?? '', new RegExp(`user=${otherHdfsUser}`));
    return true;
  });
  assert.equal(other.redirects.length, 0, 'the NameNode refused before any redirect');
});
