import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { StackError } from '../src/errors.ts';
import { assertPortsFree, isPortFree } from '../src/ports.ts';

test('a port someone listens on is reported taken, and free again after close', async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  assert.ok(address !== null && typeof address === 'object');
  assert.equal(await isPortFree(address.port), false);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  assert.equal(await isPortFree(address.port), true);
});

test('a wildcard listener also blocks the loopback port', async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  const address = server.address();
  assert.ok(address !== null && typeof address === 'object');
  try {
    assert.equal(await isPortFree(address.port), false);
  } finally {
    server.close();
  }
});

test('PORT_TAKEN names the service, the port and the env var to change it', async () => {
  const probe = async (port: number) => port !== 9870;
  await assert.rejects(
    assertPortsFree(
      'hdfs',
      [
        { port: 8020, env: 'ADLAKE_HDFS_RPC_PORT' },
        { port: 9870, env: 'ADLAKE_HDFS_HTTP_PORT' },
      ],
      probe,
      {
        retryDelayMs: 1,
      },
    ),
    (error: unknown) => {
      assert.ok(error instanceof StackError);
      assert.equal(error.code, 'PORT_TAKEN');
      assert.equal(error.service, 'hdfs');
      assert.equal(error.context.port, 9870);
      assert.match(error.message, /^hdfs: port 9870 .*ADLAKE_HDFS_HTTP_PORT=<port>/s);
      return true;
    },
  );
  await assertPortsFree('npm', [{ port: 4873, env: 'ADLAKE_NPM_PORT' }], async () => true);
});

test('a port freed during the grace period is accepted', async () => {
  let calls = 0;
  await assertPortsFree('kafka', [{ port: 9092, env: 'ADLAKE_KAFKA_PORT' }], async () => ++calls > 2, {
    retryDelayMs: 1,
  });
  assert.equal(calls, 3);
});
