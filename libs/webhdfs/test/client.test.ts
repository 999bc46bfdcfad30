// WebHdfsClient without a server: option checks and the URLs it would call (auth parameters included).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WebHdfsClient } from '../src/client.ts';
import { WebHdfsError } from '../src/errors.ts';

const invalid = (e: unknown) => e instanceof WebHdfsError && e.code === 'INVALID_ARGUMENT';

test('simple auth sends user.name and doas', () => {
  const client = new WebHdfsClient({ url: 'http://127.0.0.1:9870', user: 'svc', doAs: 'alice' });
  assert.equal(client.effectiveUser, 'alice');
  assert.equal(
    client.urlFor('/data/topic=x', 'GETFILESTATUS'),
    'http://127.0.0.1:9870/webhdfs/v1/data/topic%3Dx?op=GETFILESTATUS&user.name=svc&doas=alice',
  );
  client.close();
});

test('a delegation token replaces user.name', () => {
  const client = new WebHdfsClient({ url: 'http://nn:9870', user: 'ignored', delegationToken: 'tok+en/=' });
  assert.equal(
    client.urlFor('/a', 'OPEN', { offset: 1 }),
    'http://nn:9870/webhdfs/v1/a?op=OPEN&delegation=tok%2Ben%2F%3D&offset=1',
  );
  client.close();
});

test('bad options fail at construction, naming the option', () => {
  assert.throws(() => new WebHdfsClient({ url: 'nn:9870' }), invalid);
  assert.throws(
    () => new WebHdfsClient({ url: 'http://nn:9870', timeoutMs: 0 }),
    /timeoutMs must be an integer >= 1/,
  );
  assert.throws(
    () => new WebHdfsClient({ url: 'http://nn:9870', maxDataNodeSockets: 1.5 }),
    /maxDataNodeSockets/,
  );
});

test('bad arguments reject before any request', async () => {
  const client = new WebHdfsClient({ url: 'http://127.0.0.1:9', user: 'x' });
  await assert.rejects(client.mkdirs('relative'), invalid);
  await assert.rejects(client.rename('/a', 'b'), invalid);
  await assert.rejects(client.setPermission('/a', '999'), invalid);
  await assert.rejects(client.open('/a', { offset: -1 }), invalid);
  await assert.rejects(client.create('/a', new Uint8Array(1), { replication: 0 }), invalid);
  await assert.rejects(client.setOwner('/a', {}), invalid);
  client.close();
});

test('SETACL refuses an empty or malformed ACL spec before calling the NameNode', async () => {
  // Port 9 (discard) on loopback: a request that got through would fail with a connection error instead.
  const client = new WebHdfsClient({ url: 'http://127.0.0.1:9', user: 'svc' });
  await assert.rejects(client.setAcl('/data/lake', []), invalid);
  await assert.rejects(client.setAcl('/data/lake', ['group:analysts:read']), invalid);
  await assert.rejects(client.setAcl('/data/lake', ['group:analysts:r-x,other::rwx']), invalid);
  await assert.rejects(client.setAcl('/data/lake', ['owner:analysts:r-x']), invalid);
  client.close();
});
