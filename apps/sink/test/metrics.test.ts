import { createServer } from 'node:net';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderMetrics, serveMetrics } from '../src/metrics.ts';

/** A port nothing listens on now (port 0 means "off" to serveMetrics, so the test asks the OS first). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return typeof address === 'object' && address !== null ? address.port : 0;
}

test('counters and gauges in the Prometheus text format', () => {
  assert.equal(
    renderMetrics({ rows_total: 5, buffered_bytes: 1024 }),
    '# TYPE adlake_sink_rows_total counter\nadlake_sink_rows_total 5\n# TYPE adlake_sink_buffered_bytes gauge\nadlake_sink_buffered_bytes 1024\n',
  );
});

test('port 0 serves nothing; a port serves /metrics and /health on loopback', async () => {
  assert.equal(await serveMetrics(0, () => ({})), undefined);
  let rows = 1;
  const server = await serveMetrics(await freePort(), () => ({
    rows_total: rows,
  }));
  assert.ok(server);
  try {
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    rows = 7;
    assert.match(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text(), /adlake_sink_rows_total 7/);
    assert.equal((await fetch(`http://127.0.0.1:${port}/health`)).status, 200);
    assert.equal((await fetch(`http://127.0.0.1:${port}/nope`)).status, 404);
  } finally {
    server.close();
  }
});

test('/health answers 503 with the reason once the sink cannot do its job', async () => {
  let health: { status: 'ok' | 'failing'; reason?: string } = { status: 'ok' };
  const server = await serveMetrics(
    await freePort(),
    () => ({}),
    () => health,
  );
  assert.ok(server);
  try {
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    assert.equal((await fetch(`http://127.0.0.1:${port}/health`)).status, 200);
    health = { status: 'failing', reason: 'consumer crashed' };
    const response = await fetch(`http://127.0.0.1:${port}/health`);
    assert.equal(response.status, 503);
    assert.deepEqual(await response.json(), { status: 'failing', reason: 'consumer crashed' });
  } finally {
    server.close();
  }
});
