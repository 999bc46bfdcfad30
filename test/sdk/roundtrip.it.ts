// Typed round trip of every generated event class through the real broker and registry: producer and consumer
// of the SDK, the Confluent wire format on the topic, and schema ids found through Confluent references.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { AdClick, AdEngagement, AdImpression } from '@adlake/events';
import type { EventCodec } from '@adlake/events';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { COMPRESSIONS, createConsumer, createProducer, readSchemaId, SchemaIdCache } from '@adlake/sdk';
import type { ConsumedEvent } from '@adlake/sdk';
import {
  collector,
  kafka,
  kafkaBrokers,
  readRaw,
  registry,
  registryUrl,
  renamed,
  sampleClick,
  sampleEngagement,
  sampleImpression,
  Scratch,
} from './support.ts';
import { runPython } from '../support/python.ts';
import { uniqueName } from '../support/unique.ts';

const scratch = new Scratch();
after(() => scratch.cleanup());

async function roundTrip<V, I>(
  name: string,
  eventClass: EventCodec<V, I>,
  make: (i: number) => I,
): Promise<void> {
  const topic = await scratch.topic(name, 2);
  const cls = renamed(eventClass, scratch.subject(name), topic);
  const id = await registry.register(cls.subject, JSON.stringify(cls.schema));

  const producer = createProducer({ kafka, registry: { url: registryUrl }, lingerMs: 2 });
  const inputs = Array.from({ length: 5 }, (_, i) => make(i));
  await Promise.all(inputs.slice(0, 2).map((e) => producer.send(cls, e, { headers: { origin: 'it' } })));
  await producer.sendBatch(cls, inputs.slice(2), { headers: { origin: 'it' } });
  await producer.close();

  const raw = await readRaw(topic, inputs.length);
  for (const { message } of raw) {
    assert.ok(message.value !== null);
    assert.equal(message.value[0], 0, 'magic byte');
    assert.equal(readSchemaId(message.value), id, 'schema id after the magic byte');
  }

  const got = collector<ConsumedEvent<V>>(inputs.length);
  const consumer = createConsumer({ kafka, registry, groupId: uniqueName('sdk-rt') });
  consumer.subscribe(cls, (event) => got.push(event), { fromBeginning: true });
  await consumer.run();
  const events = await got.done.finally(() => consumer.close());

  const byKey = new Map(events.map((e) => [e.key?.toString(), e]));
  for (const input of inputs) {
    const key = (input as { event_id: string }).event_id;
    const event = byKey.get(key);
    assert.ok(event, `event ${key} consumed`);
    assert.deepEqual(event.value, cls.decode(cls.encode(input)), 'typed value with defaults filled');
    assert.equal(event.topic, topic);
    assert.equal(event.schemaId, id);
    assert.ok(event.partition === 0 || event.partition === 1);
    assert.match(event.offset, /^\d+$/);
    assert.ok(Number(event.timestamp) > 1_700_000_000_000);
    assert.equal(event.headers['origin']?.toString(), 'it');
  }
}

test(
  'AdImpression round-trips with its type, defaults, decimal, dates and headers',
  { timeout: 90_000 },
  () => roundTrip('impression', AdImpression, sampleImpression),
);

test('AdClick round-trips', { timeout: 90_000 }, () => roundTrip('click', AdClick, sampleClick));

test('AdEngagement round-trips', { timeout: 90_000 }, () =>
  roundTrip('engagement', AdEngagement, sampleEngagement),
);

test(
  'finds the id of a schema registered with Confluent references by canonical fingerprint',
  { timeout: 90_000 },
  async () => {
    const read = (file: string): string =>
      readFileSync(new URL(`../../schemas/com/acme/adserver/${file}`, import.meta.url), 'utf8');
    const references = [];
    for (const [name, file] of [
      ['com.acme.adserver.common.Placement', 'common/Placement.avsc'],
      ['com.acme.adserver.common.Device', 'common/Device.avsc'],
      ['com.acme.adserver.common.Geo', 'common/Geo.avsc'],
    ] as const) {
      const subject = scratch.subject(name.split('.').pop() ?? name);
      await registry.register(subject, read(file));
      references.push({ name, subject, version: 1 });
    }
    const topic = await scratch.topic('refs');
    const cls = renamed(AdImpression, scratch.subject('refs'), topic);
    const id = await registry.register(cls.subject, read('AdImpression.avsc'), references);

    const ids = new SchemaIdCache(registry);
    assert.equal(await ids.resolve(cls), id);
    assert.equal(ids.source(cls), 'fingerprint', 'the inlined text differs from the registered one');

    // And the consumer resolves the writer's references when it reads that id.
    const producer = createProducer({ kafka, registry, lingerMs: 0 });
    const input = sampleImpression();
    await producer.send(cls, input);
    await producer.close();
    const got = collector<ConsumedEvent<AdImpression>>(1);
    const consumer = createConsumer({ kafka, registry, groupId: uniqueName('sdk-refs') });
    consumer.subscribe(cls, (e) => got.push(e), { fromBeginning: true });
    await consumer.run();
    const [event] = await got.done.finally(() => consumer.close());
    assert.equal(event?.schemaId, id);
    assert.deepEqual(event?.value, cls.decode(cls.encode(input)));
  },
);

test(
  'accepts a @kafkajs/confluent-schema-registry SchemaRegistry built by the application',
  { timeout: 60_000 },
  async () => {
    const topic = await scratch.topic('lib');
    const cls = renamed(AdClick, scratch.subject('lib'), topic);
    const id = await registry.register(cls.subject, JSON.stringify(cls.schema));
    const producer = createProducer({
      kafka,
      registry: new SchemaRegistry({ host: registryUrl }),
      lingerMs: 0,
    });
    assert.equal(await producer.schemaId(cls), id);
    await producer.send(cls, sampleClick());
    await producer.close();
    const [record] = await readRaw(topic, 1);
    assert.equal(readSchemaId(record?.message.value ?? Buffer.alloc(0)), id);
  },
);

test(
  'a class whose schema is not registered fails with the subject, the fingerprint and how to register',
  { timeout: 30_000 },
  async () => {
    const topic = await scratch.topic('unregistered');
    const cls = renamed(AdClick, scratch.subject('unregistered'), topic);
    const producer = createProducer({ kafka, registry, lingerMs: 0 });
    await assert.rejects(
      producer.send(cls, sampleClick()),
      (error: Error & { code?: string; retriable?: boolean }) => {
        assert.equal(error.code, 'SCHEMA_NOT_REGISTERED');
        assert.equal(error.retriable, false);
        assert.match(error.message, new RegExp(`subject ${cls.subject}`));
        assert.match(error.message, /canonical SHA-256 [0-9a-f]{64}/);
        assert.match(error.message, /avro-gov register|autoRegister/);
        return true;
      },
    );
    await producer.close();

    // Opt-in auto-registration (local development) registers it.
    const dev = createProducer({ kafka, registry, lingerMs: 0, autoRegister: true });
    await dev.send(cls, sampleClick());
    await dev.close();
    assert.equal((await registry.versions(cls.subject))?.length, 1);
  },
);

test(
  'every Kafka codec: what the SDK producer compresses, the typed consumer and Confluent’s client both read',
  { timeout: 240_000 },
  async () => {
    for (const compression of COMPRESSIONS) {
      const topic = await scratch.topic(`codec-${compression}`);
      const cls = renamed(AdImpression, scratch.subject(`codec-${compression}`), topic);
      await registry.register(cls.subject, JSON.stringify(cls.schema));
      const producer = createProducer({ kafka, registry: { url: registryUrl }, compression, lingerMs: 5 });
      const inputs = Array.from({ length: 50 }, (_, i) => sampleImpression(i));
      await producer.sendBatch(cls, inputs);
      await producer.close();

      const got = collector<ConsumedEvent<AdImpression>>(inputs.length);
      const consumer = createConsumer({ kafka, registry, groupId: uniqueName(`sdk-${compression}`) });
      consumer.subscribe(cls, (e) => got.push(e), { fromBeginning: true });
      await consumer.run();
      const events = await got.done.finally(() => consumer.close());
      assert.deepEqual(
        events.map((e) => e.value.event_id).sort(),
        inputs.map((e) => e.event_id).sort(),
        `${compression}: typed consumer`,
      );

      const lines = await runPython('consume.py', [
        kafkaBrokers.join(','),
        registryUrl,
        topic,
        String(inputs.length),
      ]);
      const witnessed = lines
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as { event_id: string; ad_id: number });
      assert.deepEqual(
        witnessed.map((v) => `${v.event_id}/${v.ad_id}`).sort(),
        inputs.map((e) => `${e.event_id}/${e.ad_id}`).sort(),
        `${compression}: Confluent's Python client`,
      );
    }
  },
);
