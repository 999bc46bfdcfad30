// Hive users: the sink, with `parquet.timestamps=int96`, writes all three event types to HDFS; its own Hive
// DDL runs unchanged in a real Hive metastore (Hive 2.3.9 from pyspark), and Hive's ParquetHiveSerDe, Spark's
// native reader and DuckDB read back every column of every row alike, timestamps as sent, after the compactor
// has joined the small files. The audit proves the same files.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { AdClick, AdEngagement, AdImpression } from '@adlake/events';
import { createProducer, registerCompressionCodecs } from '@adlake/sdk';
import { AdServerSimulator } from '@adlake/simulator';
import type { SimulatedEvent } from '@adlake/simulator';
import { ddlPath } from '@adlake/sink';
import { runPython } from '../support/python.ts';
import {
  committedOffsets,
  createTopic,
  deleteTopic,
  hdfsStorage,
  highWatermarks,
  kafkaClient,
  sinkEnv,
  stack,
  startSink,
} from '../support/sink-harness.ts';
import { uniqueName } from '../support/unique.ts';

const base = uniqueName('hive');
const KINDS = {
  impression: { topic: `${base}.impressions`, cls: AdImpression, classTopic: 'adserver.impressions' },
  click: { topic: `${base}.clicks`, cls: AdClick, classTopic: 'adserver.clicks' },
  engagement: { topic: `${base}.engagements`, cls: AdEngagement, classTopic: 'adserver.engagements' },
} as const;
type Kind = keyof typeof KINDS;
const PARTITIONS = 2;
const EVENTS = 900;
const root = `${stack.hdfsLakeDir}/${base}`;
const storage = hdfsStorage();
const work = mkdtempSync(join(tmpdir(), 'adlake-hive-'));

after(async () => {
  for (const k of Object.values(KINDS)) await deleteTopic(k.topic).catch(() => undefined);
  await storage.delete(root, { recursive: true }).catch(() => false);
  rmSync(work, { recursive: true, force: true });
});

/** Sends simulated traffic of every kind through the SDK; returns each event's time by event id. */
async function produce(): Promise<Map<string, number>> {
  registerCompressionCodecs();
  const producer = createProducer({
    kafka: kafkaClient(),
    registry: { url: stack.registryUrl },
    autoRegister: true,
  });
  const sim = new AdServerSimulator({ seed: 17, days: 3, now: Date.now() });
  const times = new Map<string, number>();
  const byKind: Record<Kind, SimulatedEvent['value'][]> = { impression: [], click: [], engagement: [] };
  for (let i = 0; i < EVENTS; i++) {
    const e = sim.next();
    byKind[e.kind].push(e.value);
    times.set(e.value.event_id, new Date(e.value.event_time).getTime());
  }
  await producer.connect();
  try {
    for (const [kind, events] of Object.entries(byKind) as [Kind, SimulatedEvent['value'][]][]) {
      const { cls, topic } = KINDS[kind];
      await producer.sendBatch(cls as typeof AdImpression, events as never, { topic });
    }
    await producer.flush();
  } finally {
    await producer.close();
  }
  return times;
}

/** Row by row, so a difference names its row instead of printing two whole tables. */
function sameRows(
  actual: Record<string, unknown>[],
  expected: Record<string, unknown>[],
  what: string,
): void {
  assert.equal(actual.length, expected.length, `${what}: row count`);
  for (const [i, row] of expected.entries()) assert.deepEqual(actual[i], row, `${what}: row ${i}`);
}

interface Readback {
  hive: Record<string, unknown>[];
  spark: Record<string, unknown>[];
  duckdb: Record<string, unknown>[];
}

test(
  'the sink’s DDL runs in a Hive metastore; Hive’s SerDe, Spark and DuckDB read every column of every event type alike',
  { timeout: 15 * 60_000 },
  async () => {
    for (const k of Object.values(KINDS)) await createTopic(k.topic, PARTITIONS);
    const sentAt = await produce();

    const topics = Object.values(KINDS).map((k) => k.topic);
    const sink = startSink(
      'run',
      sinkEnv({
        ADLAKE_SINK_TOPICS: topics.join(','),
        ADLAKE_SINK_TOPIC_CLASSES: Object.values(KINDS)
          .map((k) => `${k.topic}=${k.classTopic}`)
          .join(','),
        ADLAKE_SINK_OUTPUT_ROOT: root,
        ADLAKE_SINK_KAFKA_GROUP_ID: `${base}-sink`,
        ADLAKE_SINK_PARQUET_TIMESTAMPS: 'int96',
        ADLAKE_SINK_ROTATION_INTERVAL_MS: '1500',
        // Several commits per partition, so the compactor below has settled files to join.
        ADLAKE_SINK_ROTATION_MAX_RECORDS: '25',
        ADLAKE_SINK_METRICS_PORT: '0',
      }),
    );
    const deadline = Date.now() + 180_000;
    for (const topic of topics) {
      const high = await highWatermarks(topic);
      for (;;) {
        const committed = await committedOffsets(storage, root, topic, PARTITIONS);
        if ([...high].every(([p, h]) => (committed.get(p) ?? 0) >= h)) break;
        assert.ok(Date.now() < deadline, `not committed in time:\n${sink.output.join('').slice(-3000)}`);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    sink.child.kill('SIGTERM');
    assert.equal(await sink.exited, 0, sink.output.join('').slice(-3000));

    // The compactor joins the small files (HDFS CONCAT, a new footer over the unchanged pages): everything
    // below then reads compacted files, so Hive's SerDe (parquet-mr) and Spark witness the joined layout.
    const compact = startSink(
      'compact',
      sinkEnv({
        ADLAKE_SINK_TOPICS: topics.join(','),
        ADLAKE_SINK_OUTPUT_ROOT: root,
        ADLAKE_SINK_COMPACTION_GRACE_MS: '0',
      }),
    );
    assert.equal(await compact.exited, 0, compact.output.join('').slice(-3000));
    assert.match(compact.output.join(''), /"event":"compact\.committed"/, 'some files were joined');

    // The audit follows the setting too: it proves the offsets and reads the INT96 files back with DuckDB.
    for (const topic of topics) {
      const audit = startSink(
        'audit',
        sinkEnv({ ADLAKE_SINK_TOPICS: topic, ADLAKE_SINK_OUTPUT_ROOT: root }),
        ['--topic', topic, '--format', 'json'],
      );
      assert.equal(await audit.exited, 0, audit.output.join('').slice(-3000));
      const report = JSON.parse(audit.stdout.join('')) as {
        ok: boolean;
        partitions: { rows: number }[];
        duckdbRowsPerDay: Record<string, number>;
      };
      assert.equal(report.ok, true);
      const rows = report.partitions.reduce((n, p) => n + p.rows, 0);
      assert.equal(
        Object.values(report.duckdbRowsPerDay).reduce((n, r) => n + r, 0),
        rows,
        `${topic}: DuckDB's rows per day add up to the ledger's rows`,
      );
    }

    const tables = [];
    for (const topic of topics) {
      const ddl = new TextDecoder().decode(await storage.read(ddlPath(root, topic)));
      const name = /^CREATE EXTERNAL TABLE IF NOT EXISTS `([^`]+)`/.exec(ddl)?.[1];
      assert.ok(name !== undefined, ddl);
      tables.push({ name, ddl, location: `${root}/topic=${topic}` });
    }
    const spec = join(work, 'spec.json');
    writeFileSync(
      spec,
      JSON.stringify({ hdfs: stack.hdfsUri, webhdfs: stack.webhdfsUrl, user: stack.hdfsUser, tables }),
    );
    const out = JSON.parse(
      await runPython('hive_read.py', [work, spec], '', 10 * 60_000, {
        // Hive and Spark read HDFS as the lake's owner, and print timestamps in UTC.
        HADOOP_USER_NAME: stack.hdfsUser,
        TZ: 'UTC',
      }),
    ) as Record<string, Readback>;

    let rows = 0;
    for (const { name } of tables) {
      const read = out[name];
      assert.ok(read !== undefined, `no readback for ${name}`);
      rows += read.hive.length;
      assert.ok(read.hive.length > 0, `${name}: Hive read no rows`);
      // Every column of every row, in Kafka order.
      sameRows(read.spark, read.hive, `${name}: Spark's reader vs Hive's SerDe`);
      sameRows(read.duckdb, read.hive, `${name}: DuckDB vs Hive's SerDe`);
      for (const row of read.hive) {
        const id = row['event_id'] as string;
        // INT96 carries the instant: event_time (microseconds here) is what the producer sent, in ms.
        assert.equal(row['event_time'], (sentAt.get(id) ?? NaN) * 1000, `${name} ${id}: event_time`);
        assert.equal(typeof row['_kafka_timestamp'], 'number', `${name} ${id}: _kafka_timestamp`);
        assert.match(String(row['dt']), /^\d{4}-\d{2}-\d{2}$/);
      }
    }
    assert.equal(rows, EVENTS, 'every event, once');
    // The nested timestamps too: impressions carry viewability measurements, read by all three.
    const impressions = out[tables[0]?.name ?? '']?.hive ?? [];
    const measured = impressions.flatMap(
      (r) => (r['viewability'] as { measured_at: unknown }[] | null) ?? [],
    );
    assert.ok(measured.length > 0, 'some impressions carry viewability measurements');
    for (const m of measured) assert.equal(typeof m.measured_at, 'number');
  },
);
