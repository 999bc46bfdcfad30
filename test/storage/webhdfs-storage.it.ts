// WebHdfsStorage against the real HDFS: the shared Storage contract (the same suite LocalStorage passes),
// and how a denied access reaches the sink.
import assert from 'node:assert/strict';
import * as nodeTest from 'node:test';
import { after, test } from 'node:test';
import { endpoints, loadStackConfig } from '@adlake/stack';
import { SinkError, storageContract, WebHdfsStorage } from '@adlake/sink';
import { WebHdfsClient, WebHdfsError } from '@adlake/webhdfs';
import { uniqueName } from '../support/unique.ts';

const { webhdfsUrl, hdfsUser, otherHdfsUser, hdfsHomeDir } = endpoints(loadStackConfig());
// The app builds the client and hands it to the storage; the storage never constructs one.
const client = new WebHdfsClient({ url: webhdfsUrl, user: hdfsUser });
const otherClient = new WebHdfsClient({ url: webhdfsUrl, user: otherHdfsUser });
const base = `${hdfsHomeDir}/${uniqueName('it-storage')}`;

after(async () => {
  await client.delete(base, { recursive: true });
  client.close();
  otherClient.close();
});

storageContract(nodeTest, {
  name: 'WebHdfsStorage',
  setup: async () => ({ storage: new WebHdfsStorage(client), base: `${base}/contract` }),
  cleanup: async (storage, dir) => {
    await storage.delete(dir, { recursive: true });
  },
});

test('description names the NameNode and the user', () => {
  assert.equal(new WebHdfsStorage(client).description, `webhdfs ${webhdfsUrl} as ${hdfsUser}`);
});

test(`${otherHdfsUser} writing or reading through WebHdfsStorage: STORAGE_FAILED, not retriable, cause ACCESS_DENIED`, async () => {
  const storage = new WebHdfsStorage(client, { directoryPermission: '750', filePermission: '640' });
  const dir = `${base}/private`;
  await storage.mkdirs(dir);
  await storage.writeFile(`${dir}/ledger.json`, new TextEncoder().encode('{}'));
  assert.equal((await client.getFileStatus(`${dir}/ledger.json`))?.permission, '640');

  const intruder = new WebHdfsStorage(otherClient);
  const attempts: [string, () => Promise<unknown>][] = [
    ['writeFile', () => intruder.writeFile(`${dir}/planted`, new Uint8Array(1))],
    ['read', () => intruder.read(`${dir}/ledger.json`)],
    ['list', () => intruder.list(dir)],
    ['stat', () => intruder.stat(`${dir}/ledger.json`)],
    ['rename', () => intruder.rename(`${dir}/ledger.json`, `${dir}/moved`)],
  ];
  for (const [operation, call] of attempts) {
    const started = Date.now();
    await assert.rejects(call(), (e: unknown) => {
      assert.ok(e instanceof SinkError, `${operation}: ${String(e)}`);
      assert.equal(e.retriable, false, operation);
      assert.ok(e.cause instanceof WebHdfsError, operation);
      assert.equal(e.cause.code, 'ACCESS_DENIED', operation);
      assert.match(
        e.message,
        new RegExp(`storage ${operation} ${dir}(/\\S+)? .*as ${otherHdfsUser}`),
        operation,
      );
      assert.match(e.message, new RegExp(`user=${otherHdfsUser}`), operation);
      return true;
    });
    // Not retriable means not retried: the answer comes at once, not after a backoff.
    assert.ok(Date.now() - started < 2_000, `${operation} took ${Date.now() - started} ms`);
  }
  assert.equal(await storage.exists(`${dir}/planted`), false);
});

test('rename returning false is surfaced: destination exists, nothing overwritten', async () => {
  const storage = new WebHdfsStorage(client);
  const dir = `${base}/publish`;
  await storage.writeFile(`${dir}/f.parquet`, new TextEncoder().encode('committed'));
  await storage.writeFile(`${dir}/f.parquet.tmp-w2`, new TextEncoder().encode('late writer'));
  assert.equal(await storage.rename(`${dir}/f.parquet.tmp-w2`, `${dir}/f.parquet`), false);
  assert.equal(new TextDecoder().decode(await storage.read(`${dir}/f.parquet`)), 'committed');
});
