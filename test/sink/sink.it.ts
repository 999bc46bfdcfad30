// The sink on the real stack: poison records go to the dead-letter topic with their origin and are
// accounted for in the audit; an idle partition is closed by the rotation timer; the Hive DDL lands beside
// the data; metrics count what happened; SIGTERM commits and exits cleanly.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ddlPath } from '@adlake/sink';
import {
  committedOffsets,
  createTopic,
  deleteTopic,
  hdfsStorage,
  highWatermarks,
  kafkaClient,
  produceImpressions,
  simulatedImpressions,
  impressionSinkEnv,
  sinkEnv,
  startSink,
} from '../support/sink-harness.ts';
import { uniqueName } from '../support/unique.ts';

const topic = uniqueName('sinkit');
const dlq = `${topic}.dlq`;
const root = `/data/lake/test/${topic}`;
const storage = hdfsStorage();
const metricsPort = 39_100 + Math.floor(Math.random() * 800);

after(async () => {
  await deleteTopic(topic).catch(() => undefined);
  await deleteTopic(dlq).catch(() => undefined);
  await storage.delete(root, { recursive: true }).catch(() => false);
});

test(
  'poison records are dead-lettered with their origin, idle partitions close on the timer, DDL and metrics are there',
  { timeout: 5 * 60_000 },
  async () => {
    await createTopic(topic, 2);
    await produceImpressions(topic, 50, simulatedImpressions(5, 1));
    const raw = kafkaClient().producer();
    await raw.connect();
    await raw.send({
      topic,
      messages: [
        { value: Buffer.from('not avro at all'), partition: 0 },
        { value: Buffer.from([0, 0, 0, 0]), partition: 1 },
      ],
    });
    await raw.disconnect();
    const high = await highWatermarks(topic);

    const sink = startSink(
      'run',
      impressionSinkEnv(topic, root, {
        ADLAKE_SINK_DLQ_TOPIC: dlq,
        // Far more than will ever arrive: only the timer can close these files.
        ADLAKE_SINK_ROTATION_MAX_RECORDS: '1000000',
        ADLAKE_SINK_ROTATION_INTERVAL_MS: '1500',
        ADLAKE_SINK_METRICS_PORT: String(metricsPort),
      }),
    );
    const deadline = Date.now() + 120_000;
    for (;;) {
      const committed = await committedOffsets(storage, root, topic, 2);
      if ([...high].every(([p, h]) => (committed.get(p) ?? 0) >= h)) break;
      assert.ok(Date.now() < deadline, `not committed in time:\n${sink.output.join('').slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    const log = sink.output.join('');
    assert.match(
      log,
      /"event":"partition\.committed"[^\n]*"reason":"interval"/,
      'committed by the timer, not by size',
    );

    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    assert.match(metrics, /^adlake_sink_rows_total 50$/m);
    assert.match(metrics, /^adlake_sink_dead_lettered_total 2$/m);

    const ddl = new TextDecoder().decode(await storage.read(ddlPath(root, topic)));
    assert.match(ddl, /CREATE EXTERNAL TABLE/);
    assert.match(ddl, /PARTITIONED BY \(`?dt`? STRING\)/);
    assert.match(ddl, new RegExp(`LOCATION '[^']*${root}/topic=${topic}'`));

    const consumer = kafkaClient().consumer({ groupId: `${topic}-dlq-reader` });
    await consumer.connect();
    await consumer.subscribe({ topics: [dlq], fromBeginning: true });
    const letters: Record<string, string>[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`only ${letters.length} dead letters arrived`)),
        60_000,
      );
      void consumer.run({
        eachMessage: async ({ message }) => {
          letters.push(
            Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
          );
          if (letters.length === 2) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
    await consumer.disconnect();
    const origins = letters
      .map((h) => [
        h['adlake.dlq.origin.topic'],
        h['adlake.dlq.origin.partition'],
        h['adlake.dlq.error-code'],
      ])
      .sort();
    assert.deepEqual(origins, [
      [topic, '0', 'NOT_WIRE_FORMAT'],
      [topic, '1', 'NOT_WIRE_FORMAT'],
    ]);
    for (const h of letters) {
      assert.match(h['adlake.dlq.origin.offset'] ?? '', /^\d+$/);
      assert.ok((h['adlake.dlq.reason'] ?? '').length > 0);
    }

    sink.child.kill('SIGTERM');
    assert.equal(await sink.exited, 0, log.slice(-3000));

    const audit = startSink('audit', sinkEnv({ ADLAKE_SINK_TOPICS: topic, ADLAKE_SINK_OUTPUT_ROOT: root }), [
      '--topic',
      topic,
      '--format',
      'json',
    ]);
    assert.equal(await audit.exited, 0, audit.output.join('').slice(-2000));
    const report = JSON.parse(audit.output.join('')) as {
      ok: boolean;
      partitions: { rows: number; deadLettered: number; holes: unknown[] }[];
    };
    assert.equal(report.ok, true);
    assert.equal(
      report.partitions.reduce((n, p) => n + p.rows, 0),
      50,
    );
    assert.equal(
      report.partitions.reduce((n, p) => n + p.deadLettered, 0),
      2,
      'the dead-lettered offsets are accounted for, not holes',
    );
  },
);
