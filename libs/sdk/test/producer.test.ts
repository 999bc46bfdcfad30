import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import diagnostics from 'node:diagnostics_channel';
import { test } from 'node:test';
import type { Kafka, ProducerBatch } from 'kafkajs';
import { AdClick } from '@adlake/events';
import type { AdClickInput } from '@adlake/events';
import { SdkError } from '../src/errors.ts';
import { CHANNEL_NAMES, collectMetrics } from '../src/instrumentation.ts';
import { createProducer } from '../src/producer.ts';
import { readSchemaId } from '../src/wire.ts';
import { MemoryRegistry } from './fakes.ts';

/** A kafkajs stand-in that records what would be sent; `failures` makes the next sendBatch calls throw. */
function fakeKafka(failures: unknown[] = []) {
  const batches: ProducerBatch[] = [];
  const state = { connected: 0, disconnected: 0, options: undefined as unknown };
  const kafka = {
    producer(options: unknown) {
      state.options = options;
      return {
        connect: async () => void state.connected++,
        disconnect: async () => void state.disconnected++,
        sendBatch: async (batch: ProducerBatch) => {
          const failure = failures.shift();
          if (failure !== undefined) throw failure;
          batches.push(batch);
          return [];
        },
      };
    },
  } as unknown as Kafka;
  return { kafka, batches, state };
}

function click(i: number): AdClickInput {
  return {
    event_id: randomUUID(),
    event_time: new Date(1_764_000_000_000 + i),
    request_id: randomUUID(),
    ad_id: i,
    campaign_id: 1,
    creative_id: 1,
    placement: 'BANNER',
    device: { device_type: 'PHONE', os: 'iOS' },
    click_url: 'https://example.com',
  };
}

function setup(options: Record<string, unknown> = {}, failures: unknown[] = []) {
  const registry = new MemoryRegistry();
  const id = registry.add(AdClick.subject, AdClick.schema);
  const fake = fakeKafka(failures);
  const producer = createProducer({
    kafka: fake.kafka,
    registry,
    lingerMs: 1,
    retry: { initialDelayMs: 1 },
    ...options,
  });
  return { producer, id, ...fake };
}

test('the event type is checked at compile time from the class', () => {
  // Never called: the assertions are the @ts-expect-error lines, checked by tsc.
  const typed = (producer: ReturnType<typeof createProducer>): void => {
    void producer.send(AdClick, click(0));
    // @ts-expect-error -- click_url is required by AdClickInput
    void producer.send(AdClick, { ...click(0), click_url: undefined });
    // @ts-expect-error -- ad_id is a number
    void producer.send(AdClick, { ...click(0), ad_id: '1' });
    // @ts-expect-error -- not an AdClick field
    void producer.sendBatch(AdClick, [{ ...click(0), nope: 1 }]);
  };
  assert.equal(typeof typed, 'function');
});

test('sends framed, keyed events in batches: concurrent sends within the linger share one request', async () => {
  const { producer, batches, id, state } = setup({ compression: 'gzip' });
  const events = [click(0), click(1), click(2)];
  await Promise.all(events.map((e) => producer.send(AdClick, e)));
  assert.equal(batches.length, 1);
  const [batch] = batches;
  assert.equal(batch?.acks, -1);
  assert.equal(batch?.compression, 1);
  const messages = batch?.topicMessages?.[0]?.messages ?? [];
  assert.equal(batch?.topicMessages?.[0]?.topic, 'adserver.clicks');
  assert.deepEqual(
    messages.map((m) => m.key),
    events.map((e) => e.event_id),
  );
  for (const m of messages) assert.equal(readSchemaId(m.value as Buffer), id);
  assert.deepEqual(state.options, {
    idempotent: true,
    maxInFlightRequests: 1,
    retry: { retries: 2, initialRetryTime: 100 },
    createPartitioner: (state.options as { createPartitioner: unknown }).createPartitioner,
  });
  await producer.close();
  assert.equal(state.disconnected, 1);
});

test('an invalid event rejects the whole call before anything is sent, with field paths', async () => {
  const { producer, batches } = setup();
  const { metrics, stop } = collectMetrics();
  try {
    await assert.rejects(
      producer.sendBatch(AdClick, [
        click(0),
        { ...click(1), ad_id: 1.5, device: null } as unknown as AdClickInput,
      ]),
      (error: unknown) => {
        assert.ok(error instanceof SdkError);
        assert.equal(error.code, 'INVALID_EVENT');
        assert.deepEqual(
          error.errors.map((e) => `${e.index} ${e.path}`),
          ['1 ad_id', '1 device'],
        );
        return true;
      },
    );
    await assert.rejects(
      producer.send(AdClick, { ...click(0), event_id: undefined } as unknown as AdClickInput),
      /event_id/,
    );
    await producer.flush();
    assert.equal(batches.length, 0);
    assert.equal(metrics.rejected, 2);
  } finally {
    stop();
  }
  await producer.close();
});

test("once the class is known, each event is checked and written in one pass: the bytes are avsc's", async () => {
  const { producer, batches, id } = setup({ lingerMs: 0 });
  await producer.send(AdClick, click(0)); // resolves the id and connects: later sends take the one-pass path
  const events = Array.from({ length: 50 }, (_, i) => ({
    ...click(i),
    ad_id: i * 2 ** 40 - 2 ** 52,
    device: { device_type: 'TABLET' as const, os: `Ö ${i} 😀` },
    click_url: 'https://example.com/'.padEnd(60 + i, 'x'),
  }));
  await producer.sendBatch(AdClick, events);
  const messages = batches.at(-1)?.topicMessages?.[0]?.messages ?? [];
  assert.equal(messages.length, events.length);
  messages.forEach((m, i) => {
    const header = Buffer.from([0, (id >>> 24) & 255, (id >>> 16) & 255, (id >>> 8) & 255, id & 255]);
    assert.deepEqual(m.value, Buffer.concat([header, AdClick.type.toBuffer(events[i])]));
  });
  await producer.close();
});

test('once the class is known, an invalid event still rejects the whole call with every field path', async () => {
  const { producer, batches } = setup({ lingerMs: 0 });
  await producer.send(AdClick, click(0));
  await assert.rejects(
    producer.sendBatch(AdClick, [
      click(1),
      { ...click(2), ad_id: 1.5, device: null } as unknown as AdClickInput,
      { ...click(3), event_id: 'not-a-uuid' },
      { ...click(4), event_id: 7 } as unknown as AdClickInput,
    ]),
    (error: unknown) => {
      assert.ok(error instanceof SdkError);
      assert.equal(error.code, 'INVALID_EVENT');
      assert.deepEqual(
        error.errors.map((e) => `${e.index} ${e.path}`),
        ['1 ad_id', '1 device', '2 event_id', '3 event_id'],
      );
      return true;
    },
  );
  assert.equal(batches.length, 1, 'only the first send went out');
  await producer.close();
});

test('a value avsc accepts only by coercion (an enum symbol as a String object) is still sent, as avsc writes it', async () => {
  const { producer, batches } = setup({ lingerMs: 0 });
  await producer.send(AdClick, click(0));
  const event = { ...click(1), placement: new String('BANNER') } as unknown as AdClickInput;
  assert.equal(AdClick.isValid(event), true);
  await producer.send(AdClick, event);
  const value = batches.at(-1)?.topicMessages?.[0]?.messages[0]?.value as Buffer;
  assert.deepEqual(value.subarray(5), AdClick.type.toBuffer(event));
  await producer.close();
});

test('a large sendBatch is split by batchSize', async () => {
  const { producer, batches } = setup({ batchSize: 4 });
  await producer.sendBatch(
    AdClick,
    Array.from({ length: 10 }, (_, i) => click(i)),
  );
  assert.deepEqual(
    batches.map((b) => b.topicMessages?.[0]?.messages.length),
    [4, 4, 2],
  );
  await producer.close();
});

test('retriable failures are retried; the metrics see sent counts and latency', async () => {
  const transient = Object.assign(new Error('not leader'), { name: 'KafkaJSProtocolError', retriable: true });
  const { producer, batches } = setup({}, [transient, transient]);
  const { metrics, stop } = collectMetrics();
  try {
    await producer.send(AdClick, click(0));
    assert.equal(batches.length, 1);
    assert.equal(metrics.retries, 2);
    assert.equal(metrics.sent, 1);
    assert.equal(metrics.sendLatencyMs.flushes, 1);
  } finally {
    stop();
  }
  await producer.close();
});

test('retriable failures are retried until deliveryTimeoutMs, each retry published as { retry, delayMs, error }', async () => {
  const transient = Object.assign(new Error('connection refused'), {
    name: 'KafkaJSConnectionError',
    retriable: true,
  });
  // More failures than 40 ms of backoff can use: only the delivery timeout ends the retrying.
  const failures = Array.from({ length: 1000 }, () => transient);
  const { producer, batches } = setup(
    { deliveryTimeoutMs: 40, retry: { initialDelayMs: 5, jitter: 0 } },
    failures,
  );
  const published: { retry: number; delayMs: number; error: unknown }[] = [];
  const listener = (message: unknown) => published.push(message as (typeof published)[number]);
  diagnostics.subscribe(CHANNEL_NAMES.retry, listener);
  try {
    await assert.rejects(producer.send(AdClick, click(0)), (e: unknown) => {
      assert.ok(e instanceof SdkError);
      assert.equal(e.code, 'SEND_FAILED');
      assert.equal(e.retriable, true, 'a timed-out retriable failure may succeed later');
      assert.equal(e.cause, transient);
      return true;
    });
  } finally {
    diagnostics.unsubscribe(CHANNEL_NAMES.retry, listener);
  }
  assert.equal(batches.length, 0);
  assert.ok(published.length >= 2, `${published.length} retries`);
  assert.deepEqual(
    published.map((p) => p.retry),
    published.map((_, i) => i + 1),
  );
  assert.deepEqual(published[0], { retry: 1, delayMs: 5, error: transient });
  const waited = published.reduce((n, p) => n + p.delayMs, 0);
  assert.ok(waited <= 40, `the waits (${waited} ms) end by the delivery timeout`);
  await producer.close();
});

test('a non-retriable failure fails every send of the batch at once with SEND_FAILED', async () => {
  const fatal = Object.assign(new Error('record too large'), {
    name: 'KafkaJSProtocolError',
    retriable: false,
  });
  const { producer } = setup({}, [fatal]);
  const results = await Promise.allSettled([
    producer.send(AdClick, click(0)),
    producer.send(AdClick, click(1)),
  ]);
  for (const r of results) {
    assert.equal(r.status, 'rejected');
    assert.equal((r as PromiseRejectedResult).reason.code, 'SEND_FAILED');
    assert.equal((r as PromiseRejectedResult).reason.retriable, false);
  }
  await producer.close();
});

test('flush sends what lingers; close rejects later sends', async () => {
  const { producer, batches } = setup({ lingerMs: 60_000 });
  const sent = producer.send(AdClick, click(0));
  await producer.flush();
  await sent;
  assert.equal(batches.length, 1);
  await producer.close();
  await assert.rejects(producer.send(AdClick, click(1)), { code: 'CLIENT_CLOSED' });
});

test('options are validated at start-up and name the key', () => {
  const { kafka } = fakeKafka();
  const registry = new MemoryRegistry();
  const table: [Record<string, unknown>, RegExp][] = [
    [{ lingerMs: -1 }, /\/options\/lingerMs must be an integer/],
    [
      { compression: 'brotli' },
      /\/options\/compression must be one of "none", "gzip", "snappy", "lz4", "zstd", got "brotli"/,
    ],
    [{ acks: 1 }, /\/options\/acks must be -1 when \/options\/idempotent is true/],
    [{ lingerMS: 5 }, /\/options\/lingerMS is not an option/],
    [{ registry: {} }, /\/options\/registry must be/],
    [{ kafka: {} }, /\/options\/kafka must be/],
    [
      { retry: { maxAttempts: 0 } },
      /\/options\/retry\/maxAttempts: retry maxAttempts must be an integer >= 1/,
    ],
    [{ retry: { jitter: [1, 0] } }, /\/options\/retry\/jitter/],
  ];
  for (const [options, message] of table) {
    assert.throws(
      () => createProducer({ kafka, registry, ...options } as Parameters<typeof createProducer>[0]),
      message,
    );
  }
});
