// Smoke: the secured cluster (`kafka-secure`) speaks only TLS + SCRAM-SHA-512, and its ACLs give each principal
// exactly its rights: the producer writes the ad topics, the sink reads them with its group and writes its
// dead letters, another service reaches none of that. The service is optional, so this file starts it and
// stops what it started.
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { down, endpoints, loadStackConfig, silentLogger, up } from '@adlake/stack';
import type { ServiceName } from '@adlake/stack';
import { Kafka, logLevel } from 'kafkajs';
import type { Admin, KafkaConfig } from 'kafkajs';
import { uniqueName } from '../support/unique.ts';

const config = loadStackConfig();
const secure = endpoints(config).secureKafka;
type Principal = keyof typeof secure.users;

const adTopic = uniqueName('adserver.smoke-secure');
const otherTopic = uniqueName('other.smoke-secure');
const deadLetters = uniqueName('adlake.sink.dlq');

let started: ServiceName[] = [];
let admin: Admin;

function client(principal: Principal, overrides: Partial<KafkaConfig> = {}): Kafka {
  const user = secure.users[principal];
  return new Kafka({
    clientId: `smoke-secure-${principal}`,
    brokers: secure.brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 5_000,
    retry: { retries: 0 },
    ssl: { ca: [readFileSync(secure.caFile, 'utf8')] },
    sasl: {
      mechanism: secure.mechanism,
      username: user.username,
      password: readFileSync(user.passwordFile, 'utf8').trim(),
    },
    ...overrides,
  });
}

async function send(principal: Principal, topic: string, value: string): Promise<void> {
  const producer = client(principal, { retry: { retries: 2 } }).producer({
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: [{ value }] });
  } finally {
    await producer.disconnect();
  }
}

/**
 * Reads every record of a one-partition topic as `principal` with `groupId`. kafkajs reports a refused group
 * as "Failed to find group coordinator", dropping the broker's error code; its debug log keeps it, so a
 * failure is rethrown with the codes the broker sent.
 */
async function readAll(
  principal: Principal,
  topic: string,
  groupId: string,
  count: number,
): Promise<string[]> {
  const codes = new Set<string>();
  const consumer = client(principal, {
    // Retries: the first group on a fresh cluster waits for __consumer_offsets to get a leader.
    retry: { retries: 5 },
    logLevel: logLevel.DEBUG,
    logCreator: () => (entry) => {
      const type = (entry.log['error'] as { type?: unknown } | undefined)?.type;
      if (typeof type === 'string') codes.add(type);
    },
  }).consumer({ groupId });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    const values: string[] = [];
    await new Promise<void>((resolve, reject) => {
      consumer.on(consumer.events.CRASH, (event) => reject(event.payload.error));
      void consumer
        .run({
          eachMessage: async ({ message }) => {
            values.push(message.value?.toString('utf8') ?? '');
            if (values.length >= count) resolve();
          },
        })
        .catch(reject);
    });
    return values;
  } catch (error) {
    throw new Error(`${String(error)} (broker error codes: ${[...codes].join(', ') || 'none'})`, {
      cause: error,
    });
  } finally {
    await consumer.disconnect();
  }
}

before(async () => {
  const result = await up(config, { services: ['kafka-secure'], log: silentLogger });
  started = result.started;
  admin = client('admin').admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [adTopic, otherTopic, deadLetters].map((topic) => ({ topic, numPartitions: 1 })),
  });
});

after(async () => {
  await admin.deleteTopics({ topics: [adTopic, otherTopic, deadLetters] }).catch(() => undefined);
  await admin.disconnect();
  if (started.length > 0) await down(config, { services: started, log: silentLogger });
});

test('each password file is readable by its owner only', () => {
  for (const user of Object.values(secure.users)) {
    const mode = statSync(user.passwordFile).mode & 0o777;
    assert.equal(mode & 0o077, 0, `${user.passwordFile} is mode ${mode.toString(8)}`);
  }
});

test('a client without TLS, or with TLS but no SASL, is not let in', async () => {
  const plain = client('admin', { ssl: false, sasl: undefined }).admin();
  await assert.rejects(plain.connect().then(() => plain.listTopics()));
  await plain.disconnect().catch(() => undefined);
  const anonymous = client('admin', { sasl: undefined }).admin();
  await assert.rejects(anonymous.connect().then(() => anonymous.listTopics()));
  await anonymous.disconnect().catch(() => undefined);
});

test('a client that does not trust the stack CA refuses the broker', async () => {
  // Node's default roots: the stack's self-made CA is not among them.
  const untrusting = client('producer', { ssl: true }).admin();
  await assert.rejects(untrusting.connect(), /self[- ]signed|unable to verify|certificate/i);
  await untrusting.disconnect().catch(() => undefined);
});

test('a wrong password is an authentication error', async () => {
  const wrong = client('producer', {
    sasl: { mechanism: secure.mechanism, username: secure.users.producer.username, password: 'not-it' },
  }).admin();
  await assert.rejects(wrong.connect(), (error: Error) => error.name === 'KafkaJSSASLAuthenticationError');
  await wrong.disconnect().catch(() => undefined);
});

test('the producer writes the ad topics and nothing else', async () => {
  await send('producer', adTopic, 'impression-1');
  await assert.rejects(send('producer', otherTopic, 'x'), /authoriz/i);
  await assert.rejects(send('producer', deadLetters, 'x'), /authoriz/i);
});

test('the sink reads the ad topics with its group and writes its dead letters', async () => {
  await send('producer', adTopic, 'impression-2');
  const values = await readAll('sink', adTopic, uniqueName('adlake-hdfs-sink'), 2);
  assert.deepEqual(values, ['impression-1', 'impression-2']);
  await send('sink', deadLetters, 'dead');
  // Its group prefix is its own: a group of another name is refused even on a topic it may read.
  await assert.rejects(readAll('sink', adTopic, uniqueName('other.group'), 1), /GROUP_AUTHORIZATION_FAILED/);
  await assert.rejects(send('sink', adTopic, 'forged'), /authoriz/i);
});

test("another service's credentials reach neither the ad topics nor the sink's group", async () => {
  await assert.rejects(
    readAll('other', adTopic, uniqueName('other.reader'), 1),
    /TOPIC_AUTHORIZATION_FAILED|not authorized to access topics/i,
  );
  await assert.rejects(
    readAll('other', otherTopic, uniqueName('adlake-hdfs-sink'), 1),
    /GROUP_AUTHORIZATION_FAILED/,
  );
  await send('other', otherTopic, 'its own');
  assert.deepEqual(await readAll('other', otherTopic, uniqueName('other.reader'), 1), ['its own']);
});
