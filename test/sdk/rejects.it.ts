// What must never reach a topic or stop a consumer: invalid events are rejected with every bad field path and
// nothing is produced; poison records (raw bytes written with plain kafkajs) go to the dead-letter topic with
// their origin in headers, and the consumer carries on with the good records after them.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { AdImpression } from '@adlake/events';
import type { AdImpressionInput } from '@adlake/events';
import { createConsumer, createProducer, DLQ_HEADERS, SdkError } from '@adlake/sdk';
import type { ConsumedEvent, DecodeErrorReport } from '@adlake/sdk';
import {
  collector,
  kafka,
  produceRaw,
  readRaw,
  recordCount,
  registry,
  renamed,
  sampleImpression,
  Scratch,
} from './support.ts';
import { uniqueName } from '../support/unique.ts';

const scratch = new Scratch();
after(() => scratch.cleanup());

test(
  'invalid events are rejected with every bad field path, and nothing is sent',
  { timeout: 60_000 },
  async () => {
    const topic = await scratch.topic('invalid');
    const cls = renamed(AdImpression, scratch.subject('invalid'), topic);
    await registry.register(cls.subject, JSON.stringify(cls.schema));
    const producer = createProducer({ kafka, registry, lingerMs: 0 });

    const bad = {
      ...sampleImpression(),
      ad_id: 'not a number',
      placement: 'SIDEWAYS',
      device: { device_type: 'PHONE', os: 42 },
      segment_ids: [1, 2.5],
      attributes: { genre: 7 },
    } as unknown as AdImpressionInput;
    const error = await producer.send(cls, bad).then(
      () => assert.fail('send should reject'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof SdkError);
    assert.equal(error.code, 'INVALID_EVENT');
    assert.equal(error.retriable, false);
    assert.deepEqual(
      error.errors.map((e) => e.path),
      ['ad_id', 'placement', 'device.os', 'segment_ids[1]', 'attributes["genre"]'],
    );
    const adId = error.errors.find((e) => e.path === 'ad_id');
    assert.match(adId?.expected ?? '', /^long/);
    assert.equal(adId?.actual, 'string "not a number"');
    assert.match(error.message, /placement: expected enum com\.acme\.adserver\.common\.Placement/);

    // In a batch, one bad event stops the whole batch; errors carry the event's index.
    const batchError = await producer
      .sendBatch(cls, [
        sampleImpression(1),
        { ...sampleImpression(2), price_micros: undefined } as unknown as AdImpressionInput,
      ])
      .then(
        () => assert.fail('sendBatch should reject'),
        (e: unknown) => e as SdkError,
      );
    assert.deepEqual(
      batchError.errors.map((e) => [e.index, e.path]),
      [[1, 'price_micros']],
    );
    assert.match(batchError.message, /1 of 2 .* events are invalid; nothing was sent/);

    await producer.flush();
    await producer.close();
    assert.equal(await recordCount(await scratch.admin(), topic), 0, 'nothing on the topic');
  },
);

test(
  'poison records go to the dead-letter topic with reason and origin headers; the consumer keeps going',
  { timeout: 120_000 },
  async () => {
    const topic = await scratch.topic('poison');
    const dlq = await scratch.topic('poison-dlq');
    const cls = renamed(AdImpression, scratch.subject('poison'), topic);
    const id = await registry.register(cls.subject, JSON.stringify(cls.schema));

    // A valid framed record to cut short, produced by the SDK first (offset 0 is a good record).
    const producer = createProducer({ kafka, registry, lingerMs: 0 });
    const good = [sampleImpression(0), sampleImpression(1)];
    await producer.send(cls, good[0] as AdImpressionInput);
    await producer.close();
    const [first] = await readRaw(topic, 1);
    const framed = first?.message.value ?? Buffer.alloc(0);

    const unknownId = Buffer.from(framed);
    unknownId.writeUInt32BE(0x7ffffff0, 1);
    await produceRaw(
      topic,
      [
        Buffer.from('{"json":"not avro"}'), // offset 1: not the wire format
        unknownId, // offset 2: an id the registry never issued
        framed.subarray(0, framed.length - 20), // offset 3: truncated body
        Buffer.from([0, 0, 0]), // offset 4: shorter than the header
        null, // offset 5: tombstone
      ],
      { trace: 'abc' },
    );
    const producer2 = createProducer({ kafka, registry, lingerMs: 0 });
    await producer2.send(cls, good[1] as AdImpressionInput); // offset 6: good again
    await producer2.close();

    const handled = collector<ConsumedEvent<AdImpression>>(2);
    const reports: DecodeErrorReport[] = [];
    const consumer = createConsumer({
      kafka,
      registry,
      groupId: uniqueName('sdk-poison'),
      deadLetterTopic: dlq,
      onDecodeError: (r) => reports.push(r),
    });
    consumer.subscribe(cls, (e) => handled.push(e), { fromBeginning: true });
    await consumer.run();
    const events = await handled.done.finally(() => consumer.close());
    assert.deepEqual(
      events.map((e) => e.offset),
      ['0', '6'],
      'both good records handled, in order, around the poison',
    );

    assert.deepEqual(
      reports.map((r) => [r.offset, r.code, r.deadLetterTopic]),
      [
        ['1', 'NOT_WIRE_FORMAT', dlq],
        ['2', 'UNKNOWN_SCHEMA_ID', dlq],
        ['3', 'TRUNCATED', dlq],
        ['4', 'NOT_WIRE_FORMAT', dlq],
        ['5', 'NOT_WIRE_FORMAT', dlq],
      ],
    );

    const dead = await readRaw(dlq, 5);
    dead.sort((a, b) => Number(a.message.offset) - Number(b.message.offset));
    const header = (i: number, name: string): string | undefined =>
      dead[i]?.message.headers?.[name]?.toString();
    for (let i = 0; i < 5; i++) {
      assert.equal(header(i, DLQ_HEADERS.originTopic), topic);
      assert.equal(header(i, DLQ_HEADERS.originPartition), '0');
      assert.equal(header(i, DLQ_HEADERS.originOffset), String(i + 1));
      assert.match(header(i, DLQ_HEADERS.originTimestamp) ?? '', /^\d{13}$/);
      assert.ok((header(i, DLQ_HEADERS.reason) ?? '').length > 0);
      assert.equal(header(i, 'trace'), 'abc', 'original headers kept');
      assert.equal(dead[i]?.message.key?.toString(), `raw-${i}`, 'original key kept');
    }
    assert.equal(header(0, DLQ_HEADERS.errorCode), 'NOT_WIRE_FORMAT');
    assert.equal(header(1, DLQ_HEADERS.errorCode), 'UNKNOWN_SCHEMA_ID');
    assert.equal(header(1, DLQ_HEADERS.schemaId), String(0x7ffffff0));
    assert.equal(header(2, DLQ_HEADERS.errorCode), 'TRUNCATED');
    assert.equal(header(2, DLQ_HEADERS.schemaId), String(id));
    assert.deepEqual(dead[0]?.message.value, Buffer.from('{"json":"not avro"}'), 'value kept byte for byte');
    assert.equal(dead[4]?.message.value, null, 'tombstone kept as null');
  },
);
