import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Lifecycle } from '../src/lifecycle.ts';
import { jsonLogger } from '../src/log.ts';

function setup(timeoutMs = 5_000) {
  const events: Record<string, unknown>[] = [];
  const log = jsonLogger('sink', 'debug', (l) => events.push(JSON.parse(l) as Record<string, unknown>));
  return { events, lifecycle: new Lifecycle(log, timeoutMs) };
}

test('a fatal error turns health red with its reason, stops once and releases', async () => {
  const { events, lifecycle } = setup();
  const calls: string[] = [];
  lifecycle.onStop(
    async () => void calls.push('stop'),
    async () => void calls.push('release'),
  );
  assert.deepEqual(lifecycle.health(), { status: 'ok' });
  lifecycle.fail('consumer crashed', { message: 'KafkaJSNotImplemented' });
  lifecycle.fail('tick failed');
  await lifecycle.stop();
  assert.deepEqual(lifecycle.health(), { status: 'failing', reason: 'consumer crashed' });
  assert.equal(lifecycle.fatal, 'consumer crashed');
  assert.deepEqual(calls, ['stop', 'release']);
  assert.deepEqual(
    events.filter((e) => e['event'] === 'sink.fatal').map((e) => e['reason']),
    ['consumer crashed', 'tick failed'],
  );
});

test('a stop that cannot finish (storage down) is abandoned after the timeout, and release still runs', async () => {
  const { events, lifecycle } = setup(50);
  let released = false;
  lifecycle.onStop(
    () => new Promise<void>(() => undefined),
    async () => {
      released = true;
    },
  );
  const started = Date.now();
  await lifecycle.stop();
  assert.ok(Date.now() - started < 2_000);
  assert.ok(released);
  assert.ok(events.some((e) => e['event'] === 'sink.stop-timeout'));
  assert.equal(lifecycle.fatal, undefined, 'a requested stop is not a failure');
});

test('a failure before the sink is up stops it as soon as it is', async () => {
  const { lifecycle } = setup();
  lifecycle.fail('assignment failed');
  let stopped = false;
  lifecycle.onStop(
    async () => {
      stopped = true;
    },
    async () => undefined,
  );
  await lifecycle.stop();
  assert.ok(stopped);
});

test('health turns red while commits have failed for longer than the outage threshold, green again after', () => {
  const { lifecycle } = setup();
  const outageMs = 60_000;
  assert.deepEqual(lifecycle.health({ failingSince: undefined, outageMs, now: 1_000_000 }), { status: 'ok' });
  assert.deepEqual(lifecycle.health({ failingSince: 950_000, outageMs, now: 1_000_000 }), { status: 'ok' });
  assert.deepEqual(lifecycle.health({ failingSince: 900_000, outageMs, now: 1_000_000 }), {
    status: 'failing',
    reason: 'commits failing for 100 s',
  });
  lifecycle.fail('consumer crashed');
  assert.deepEqual(lifecycle.health({ failingSince: undefined, outageMs, now: 1_000_000 }), {
    status: 'failing',
    reason: 'consumer crashed',
  });
});
