// Smoke: who may do what in the lake (/data/lake). The service user owns it and writes; the analyst group
// reads everything the service user writes, through the lake's default ACL, and can change nothing; any
// other user cannot even list it. The files here are written the way the sink writes them (default modes).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { endpoints, loadStackConfig } from '@adlake/stack';
import { WebHdfsClient, WebHdfsError } from '@adlake/webhdfs';
import { uniqueName } from '../support/unique.ts';

const stack = endpoints(loadStackConfig());
const service = new WebHdfsClient({ url: stack.webhdfsUrl, user: stack.hdfsUser });
const analyst = new WebHdfsClient({ url: stack.webhdfsUrl, user: stack.analystHdfsUser });
const other = new WebHdfsClient({ url: stack.webhdfsUrl, user: stack.otherHdfsUser });
const table = `${stack.hdfsLakeDir}/${uniqueName('smoke-acl')}`;
const day = `${table}/dt=2026-11-29`;
const file = `${day}/part-0.parquet`;
const content = Buffer.from('PAR1 not really, but bytes all the same');

const denied = (user: string) => (error: unknown) => {
  assert.ok(error instanceof WebHdfsError, String(error));
  assert.equal(error.code, 'ACCESS_DENIED');
  assert.equal(error.retriable, false);
  assert.match(error.context.remote?.message ?? '', new RegExp(`user=${user}`));
  return true;
};

before(async () => {
  await service.mkdirs(day);
  await service.create(file, content, { overwrite: false });
});

after(async () => {
  await service.delete(table, { recursive: true });
  for (const client of [service, analyst, other]) client.close();
});

test("the lake is the service user's, mode 750, with read-only ACLs for the analyst group", async () => {
  const status = await service.getAclStatus(stack.hdfsLakeDir);
  assert.equal(status.owner, stack.hdfsUser);
  assert.equal(status.permission, '750');
  assert.ok(status.entries.includes(`group:${stack.analystHdfsGroup}:r-x`), status.entries.join(','));
  assert.ok(status.entries.includes(`default:group:${stack.analystHdfsGroup}:r-x`));
});

test('what the service user writes inherits the rule: the analyst group reads, others get nothing', async () => {
  const status = await service.getAclStatus(file);
  assert.ok(status.entries.includes(`group:${stack.analystHdfsGroup}:r-x`), status.entries.join(','));
  assert.equal(status.permission.at(-1), '0', `others' bits of ${file}: ${status.permission}`);
});

test('an analyst lists and reads the lake', async () => {
  const listing = await analyst.listStatus(day);
  assert.deepEqual(
    listing.map((f) => f.pathSuffix),
    ['part-0.parquet'],
  );
  assert.deepEqual(Buffer.from(await analyst.open(file)), content);
});

test('an analyst can neither write, rename, nor delete in the lake', async () => {
  const user = stack.analystHdfsUser;
  await assert.rejects(analyst.create(`${day}/forged.parquet`, Buffer.from('x')), denied(user));
  await assert.rejects(analyst.mkdirs(`${table}/dt=2026-11-30`), denied(user));
  await assert.rejects(analyst.rename(file, `${day}/moved.parquet`), denied(user));
  await assert.rejects(analyst.delete(file), denied(user));
  await assert.rejects(analyst.delete(table, { recursive: true }), denied(user));
  assert.deepEqual(Buffer.from(await service.open(file)), content, 'the file is untouched');
});

test('a user outside the analyst group cannot list or read the lake', async () => {
  const user = stack.otherHdfsUser;
  await assert.rejects(other.listStatus(stack.hdfsLakeDir), denied(user));
  await assert.rejects(other.open(file), denied(user));
});
