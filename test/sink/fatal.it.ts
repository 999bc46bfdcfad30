// A sink that can no longer do its job exits non-zero and says why, with /health red before it: here a
// partition whose newest committed file has vanished from HDFS, which recovery cannot repair; and a
// consumer crash kafkajs will not restart (the group refuses the sink's protocol).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { AssignerProtocol } from 'kafkajs';
import type { PartitionAssigner } from 'kafkajs';
import { readLedger } from '@adlake/sink';
import {
  createTopic,
  deleteTopic,
  hdfsStorage,
  kafkaClient,
  produceImpressions,
  simulatedImpressions,
  impressionSinkEnv,
  startSink,
} from '../support/sink-harness.ts';
import { uniqueName } from '../support/unique.ts';

const topic = uniqueName('fatal');
const root = `/data/lake/test/${topic}`;
const storage = hdfsStorage();

after(async () => {
  await deleteTopic(topic).catch(() => undefined);
  await deleteTopic(`${topic}.dlq`).catch(() => undefined);
  await storage.delete(root, { recursive: true }).catch(() => false);
});

function env(metricsPort: number): Record<string, string> {
  return impressionSinkEnv(topic, root, {
    ADLAKE_SINK_DLQ_TOPIC: `${topic}.dlq`,
    ADLAKE_SINK_ROTATION_INTERVAL_MS: '1000',
    ADLAKE_SINK_METRICS_PORT: String(metricsPort),
  });
}

test(
  'an unrecoverable partition turns /health red and the sink exits 1, naming the cause',
  { timeout: 180_000 },
  async () => {
    await createTopic(topic, 1);
    await produceImpressions(topic, 20, simulatedImpressions(11, 1));

    const first = startSink('run', env(0));
    const deadline = Date.now() + 90_000;
    while (((await readLedger(storage, root, topic, 0)).at(-1)?.nextOffset ?? 0) < 20) {
      assert.ok(Date.now() < deadline, `not committed:\n${first.output.join('').slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 300));
    }
    first.child.kill('SIGTERM');
    assert.equal(await first.exited, 0, 'a requested stop exits 0');

    const newest = (await readLedger(storage, root, topic, 0)).filter((e) => e.fence !== true).at(-1);
    for (const file of newest?.files ?? []) await storage.delete(file.path);

    const port = 39_900 + Math.floor(Math.random() * 90);
    const second = startSink('run', env(port));
    let sawRed: unknown;
    let code: number | null | undefined;
    void second.exited.then((c) => (code = c));
    const limit = Date.now() + 90_000;
    while (code === undefined) {
      assert.ok(Date.now() < limit, `still running:\n${second.output.join('').slice(-3000)}`);
      const health = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined);
      if (health?.status === 503) sawRed ??= await health.json();
      await new Promise((r) => setTimeout(r, 20));
    }
    const log = second.output.join('');
    assert.equal(code, 1, log.slice(-3000));
    assert.match(log, /"event":"sink\.fatal"[^\n]*"reason":"assignment failed"[^\n]*RECOVERY_FAILED/);
    assert.deepEqual(
      sawRed,
      { status: 'failing', reason: 'assignment failed' },
      'red /health before the exit',
    );
  },
);

/** A group member that speaks only an assignor of its own, so no other member's protocol can join. */
const foreignAssigner: PartitionAssigner = () => ({
  name: 'ForeignAssigner',
  version: 1,
  async assign({ members, topics }) {
    return members.map((m) => ({
      memberId: m.memberId,
      memberAssignment: AssignerProtocol.MemberAssignment.encode({
        version: 1,
        assignment: Object.fromEntries(topics.map((t) => [t, []])),
        userData: Buffer.alloc(0),
      }),
    }));
  },
  protocol({ topics }) {
    return {
      name: 'ForeignAssigner',
      metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData: Buffer.alloc(0) }),
    };
  },
});

test(
  'a consumer crash kafkajs will not restart turns /health red and the sink exits 1',
  { timeout: 120_000 },
  async () => {
    const crashTopic = `${topic}.crash`;
    await createTopic(crashTopic, 1);
    const group = `${topic}-crash-group`;
    const squatter = kafkaClient().consumer({ groupId: group, partitionAssigners: [foreignAssigner] });
    await squatter.connect();
    await squatter.subscribe({ topics: [crashTopic] });
    await squatter.run({ eachMessage: async () => undefined });
    try {
      const port = 39_900 + Math.floor(Math.random() * 90);
      const sink = startSink('run', {
        ...env(port),
        ADLAKE_SINK_TOPICS: crashTopic,
        ADLAKE_SINK_TOPIC_CLASSES: `${crashTopic}=adserver.impressions`,
        ADLAKE_SINK_KAFKA_GROUP_ID: group,
      });
      let sawRed: unknown;
      let code: number | null | undefined;
      void sink.exited.then((c) => (code = c));
      const limit = Date.now() + 90_000;
      while (code === undefined) {
        assert.ok(Date.now() < limit, `still running:\n${sink.output.join('').slice(-3000)}`);
        const health = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined);
        if (health?.status === 503) sawRed ??= await health.json();
        await new Promise((r) => setTimeout(r, 20));
      }
      const log = sink.output.join('');
      assert.equal(code, 1, log.slice(-3000));
      const crash = /"event":"consumer\.crashed"[^\n]*"restart":false[^\n]*/.exec(log);
      assert.ok(crash !== null, `kafkajs reported a crash it will not restart:\n${log.slice(-3000)}`);
      console.log(`the crash: ${crash[0]}`);
      assert.match(log, /"event":"sink\.fatal"[^\n]*"reason":"consumer crashed"/);
      assert.deepEqual(
        sawRed,
        { status: 'failing', reason: 'consumer crashed' },
        'red /health before the exit',
      );
    } finally {
      await squatter.disconnect();
      await deleteTopic(crashTopic).catch(() => undefined);
    }
  },
);
