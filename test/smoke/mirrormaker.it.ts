// Smoke: MirrorMaker 2 copies a topic of `kafka` to `kafka-dr` (as `mirroredTopic(topic)`) keeping each record's
// partition, key, value, headers and timestamp; and `down` stops the DR services. The DR services are optional
// (not in `npm test`'s default stack), so this file starts them and stops what it started.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { down, endpoints, loadStackConfig, silentLogger, status, up } from '@adlake/stack';
import type { ServiceName } from '@adlake/stack';
import { Kafka, logLevel } from 'kafkajs';
import type { Admin, IHeaders, KafkaMessage } from 'kafkajs';
import { uniqueName } from '../support/unique.ts';

const config = loadStackConfig();
const stack = endpoints(config);
const primary = new Kafka({ clientId: 'smoke-mm2', brokers: stack.kafkaBrokers, logLevel: logLevel.NOTHING });
const dr = new Kafka({ clientId: 'smoke-mm2', brokers: stack.kafkaDrBrokers, logLevel: logLevel.NOTHING });
// An ad topic name, so that the default pattern (adserver\..*) mirrors it.
const topic = uniqueName('adserver.smoke-mm2');
const remote = stack.mirroredTopic(topic);
const DR_SERVICES: readonly ServiceName[] = ['kafka-dr', 'mirrormaker'];

let started: ServiceName[] = [];
let primaryAdmin: Admin;

before(async () => {
  const result = await up(config, { services: ['mirrormaker'], log: silentLogger });
  started = result.started;
  primaryAdmin = primary.admin();
  await primaryAdmin.connect();
});

after(async () => {
  await primaryAdmin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await primaryAdmin.disconnect();
  if (started.length > 0) await down(config, { services: started, log: silentLogger });
});

interface Sent {
  readonly partition: number;
  readonly key: string;
  readonly value: string;
  readonly headers: Record<string, string>;
  readonly timestamp: string;
}

function headerText(headers: IHeaders | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers ?? {}).map(([name, value]) => [
      name,
      Buffer.from(value as Buffer).toString('utf8'),
    ]),
  );
}

async function waitForTopic(admin: Admin, name: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await admin.listTopics()).includes(name)) {
    if (Date.now() > deadline) assert.fail(`${name} did not appear on kafka-dr within ${timeoutMs} ms`);
    await sleep(250);
  }
}

test(
  'a 3-partition topic arrives on kafka-dr with partition, key, value, headers and timestamp per record',
  { timeout: 120_000 },
  async () => {
    assert.ok(
      new RegExp(`^(?:${stack.mirroredTopics})$`).test(topic),
      `ADLAKE_MIRRORMAKER_TOPICS (${stack.mirroredTopics}) must match ${topic} for this test`,
    );
    assert.equal(
      await primaryAdmin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true }),
      true,
    );
    // Timestamps far from now, so a copy stamped with the mirroring time would show.
    const base = Date.UTC(2024, 0, 15, 12, 0, 0);
    const sent: Sent[] = [];
    for (let partition = 0; partition < 3; partition++) {
      for (let i = 0; i < 4; i++) {
        sent.push({
          partition,
          key: `k-${partition}-${i}`,
          value: JSON.stringify({ partition, i, text: 'é€ ünïcode' }),
          headers: { 'ad-event': `e-${partition}-${i}`, trace: `t${i}` },
          timestamp: String(base + partition * 1_000 + i),
        });
      }
    }
    const producer = primary.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    try {
      await producer.send({ topic, acks: -1, messages: sent.map((m) => ({ ...m })) });
    } finally {
      await producer.disconnect();
    }

    const drAdmin = dr.admin();
    await drAdmin.connect();
    const consumer = dr.consumer({ groupId: uniqueName('smoke-mm2-group') });
    const received: { partition: number; message: KafkaMessage }[] = [];
    try {
      await waitForTopic(drAdmin, remote, 60_000);
      const metadata = await drAdmin.fetchTopicMetadata({ topics: [remote] });
      assert.equal(metadata.topics[0]?.partitions.length, 3, 'the mirrored topic has the same partitions');

      await consumer.connect();
      await consumer.subscribe({ topic: remote, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`only ${received.length} of ${sent.length} records arrived on ${remote}`)),
          60_000,
        );
        void consumer.run({
          eachMessage: async ({ partition, message }) => {
            received.push({ partition, message });
            if (received.length >= sent.length) {
              clearTimeout(timer);
              resolve();
            }
          },
        });
      });
    } finally {
      await consumer.disconnect();
      // The source topic goes first: MirrorMaker would create the mirrored one again while it exists.
      await primaryAdmin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await sleep(3_000);
      await drAdmin.deleteTopics({ topics: [remote] }).catch(() => undefined);
      await drAdmin.disconnect();
    }

    const byKey = new Map(received.map((r) => [r.message.key?.toString('utf8') ?? '', r]));
    assert.equal(received.length, sent.length, 'each record once');
    for (const expected of sent) {
      const got = byKey.get(expected.key);
      assert.ok(got !== undefined, `record ${expected.key} missing on ${remote}`);
      assert.deepEqual(
        {
          partition: got.partition,
          key: got.message.key?.toString('utf8'),
          value: got.message.value?.toString('utf8'),
          headers: headerText(got.message.headers),
          timestamp: got.message.timestamp,
        },
        { ...expected },
        `record ${expected.key}`,
      );
    }
    for (let partition = 0; partition < 3; partition++) {
      assert.deepEqual(
        received.filter((r) => r.partition === partition).map((r) => r.message.key?.toString('utf8')),
        sent.filter((m) => m.partition === partition).map((m) => m.key),
        `order within partition ${partition}`,
      );
    }
  },
);

test('down stops kafka-dr and mirrormaker', { timeout: 120_000 }, async (t) => {
  const ours = DR_SERVICES.filter((s) => started.includes(s));
  if (ours.length < DR_SERVICES.length) {
    t.skip(`${DR_SERVICES.filter((s) => !ours.includes(s)).join(', ')} ran before this test: left running`);
    return;
  }
  const before = await status(config, { services: DR_SERVICES });
  const pids = before.flatMap((s) => s.processes.map((p) => p.pid)).filter((p) => p !== undefined);
  assert.equal(pids.length, 2, 'one JVM each');
  const result = await down(config, { services: DR_SERVICES, log: silentLogger });
  started = started.filter((s) => !DR_SERVICES.includes(s));
  assert.deepEqual(result.stopped.sort(), [...DR_SERVICES].sort());
  const afterDown = await status(config, { services: DR_SERVICES });
  assert.deepEqual(
    afterDown.map((s) => s.state),
    ['stopped', 'stopped'],
  );
  // The JVMs are this process's children when this test started them: a stopped one lingers as a zombie
  // until Node reaps it, which can take a moment after `down` has seen it stop.
  for (const pid of pids) {
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; await sleep(100)) {
      try {
        process.kill(pid, 0);
      } catch {
        break;
      }
    }
    assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' }, `pid ${pid} is gone`);
  }
});
