// Smoke: a kafkajs produce/consume round trip on a topic the test creates and deletes.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { endpoints, loadStackConfig } from '@adlake/stack';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import type { Admin } from 'kafkajs';
import { uniqueName } from '../support/unique.ts';

const { kafkaBrokers } = endpoints(loadStackConfig());
const kafka = new Kafka({ clientId: 'smoke-kafka', brokers: kafkaBrokers, logLevel: logLevel.NOTHING });
const topic = uniqueName('smoke-kafka');
let admin: Admin;

before(async () => {
  admin = kafka.admin();
  await admin.connect();
});

after(async () => {
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
});

test('produces to and consumes from a topic it created', { timeout: 60_000 }, async () => {
  assert.equal(
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true }),
    true,
  );

  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const values = ['one', 'two', 'three'];
  await producer.send({ topic, messages: values.map((value, i) => ({ key: `k${i}`, value })) });
  await producer.disconnect();

  const consumer = kafka.consumer({ groupId: uniqueName('smoke-group') });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const received: string[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only got ${JSON.stringify(received)}`)), 30_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          received.push(message.value?.toString() ?? '');
          if (received.length === values.length) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  assert.deepEqual(received, values);
});

test('the broker does not auto-create topics', { timeout: 30_000 }, async () => {
  const missing = uniqueName('smoke-missing');
  await admin.fetchTopicMetadata({ topics: [missing] }).then(
    () => assert.fail('metadata for a missing topic should fail'),
    (error: unknown) => assert.match(String(error), /does not host this topic-partition|UNKNOWN_TOPIC/i),
  );
  const topics = await admin.listTopics();
  assert.equal(topics.includes(missing), false);
});
