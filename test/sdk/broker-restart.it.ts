// The SDK rides out a broker restart: while 300,000 events are sent, the broker is SIGKILLed and started
// again, and later frozen (SIGSTOP) for 20 s. Every send must succeed (retried within the delivery timeout)
// and every event must be on the topic: the distinct event ids read back equal the events sent.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { AdImpression } from '@adlake/events';
import { createProducer } from '@adlake/sdk';
import { loadStackConfig, silentLogger, status, up } from '@adlake/stack';
import { createTopic, deleteTopic, highWatermarks, kafkaClient, stack } from '../support/sink-harness.ts';
import { sampleImpression } from './support.ts';
import { uniqueName } from '../support/unique.ts';

const EVENTS = Number(process.env['ADLAKE_RESTART_EVENTS'] ?? 300_000);
const BATCH = 1000;
const topic = uniqueName('restart');
const config = loadStackConfig();

after(async () => {
  await deleteTopic(topic).catch(() => undefined);
});

async function kafkaPid(): Promise<number> {
  const [kafka] = await status(config, { services: ['kafka'] });
  const pid = kafka?.processes[0]?.pid;
  assert.ok(pid !== undefined, 'the broker is running');
  return pid;
}

test(
  `${EVENTS} events while the broker is SIGKILLed and restarted, then frozen for 20 s: all delivered, none rejected`,
  { timeout: 15 * 60_000 },
  async () => {
    await createTopic(topic, 3);
    const producer = createProducer({
      kafka: kafkaClient(),
      registry: { url: stack.registryUrl },
      autoRegister: true,
      lingerMs: 5,
    });
    let sent = 0;
    let rejected = 0;
    const sending = (async () => {
      for (let i = 0; i < EVENTS; i += BATCH) {
        const events = Array.from({ length: Math.min(BATCH, EVENTS - i) }, (_, j) => sampleImpression(i + j));
        try {
          await producer.sendBatch(AdImpression, events, { topic });
          sent += events.length;
        } catch (error) {
          rejected += events.length;
          console.log(`rejected: ${String(error)}`);
        }
      }
      await producer.flush();
    })();

    const until = async (n: number): Promise<void> => {
      while (sent + rejected < n) await new Promise((r) => setTimeout(r, 20));
    };
    await until(EVENTS / 6);
    const pid = await kafkaPid();
    process.kill(pid, 'SIGKILL');
    const killedAt = Date.now();
    await up(config, { services: ['kafka'], log: silentLogger });
    console.log(`broker SIGKILLed at ${EVENTS / 6} events and back after ${Date.now() - killedAt} ms`);

    await until((EVENTS * 2) / 3);
    const frozen = await kafkaPid();
    process.kill(frozen, 'SIGSTOP');
    await new Promise((r) => setTimeout(r, 20_000));
    process.kill(frozen, 'SIGCONT');
    console.log(`broker frozen for 20 s at ${(EVENTS * 2) / 3} events`);

    await sending;
    await producer.close();
    assert.equal(rejected, 0, 'no send rejected');
    assert.equal(sent, EVENTS);

    const high = await highWatermarks(topic);
    const total = [...high.values()].reduce((a, b) => a + b, 0);
    const ids = new Set<string>();
    const consumer = kafkaClient().consumer({ groupId: `${topic}-reader` });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let read = 0;
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachBatch: async ({ batch }) => {
          for (const m of batch.messages) ids.add(m.key?.toString() ?? '');
          read += batch.messages.length;
          if (read >= total) resolve();
        },
      });
    });
    await consumer.disconnect();
    console.log(
      `${total} records on the topic, ${ids.size} distinct event ids, ${total - ids.size} duplicates`,
    );
    assert.equal(ids.size, EVENTS, 'every event is on the topic');
  },
);
