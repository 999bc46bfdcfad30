// The failover drill on the real stack, for both DR sources. The production sink is stopped for a stretch
// while events keep arriving and the DR sink ingests them; the merger runs; production comes back; the
// last merge runs with DR stopped; the compactor joins the small files; the audit of production's tree
// must prove every offset exactly once and DuckDB must count every event sent, once.
//
// Same cluster: the merge runs while production is down, so production's ledger is continued with DR's
// files and the restarted production sink resumes after them (it neither rewrites nor skips them).
// Mirrored (MirrorMaker 2 to a second cluster): while production is down, the primary loses a stretch of
// records (deleted, as retention or a disaster would); production records that gap and moves on, and
// only the DR copy, matched by event id, can fill it.
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { down, endpoints, loadStackConfig, silentLogger, up } from '@adlake/stack';
import type { ServiceName } from '@adlake/stack';
import { Kafka, logLevel } from 'kafkajs';
import {
  createTopic,
  deleteTopic,
  hdfsStorage,
  highWatermarks,
  impressionSinkEnv,
  kafkaClient,
  produceImpressions,
  simulatedImpressions,
  runSinkToEnd,
  startSink,
  stopSink,
  drConfigFile,
  waitCommitted,
} from '../support/sink-harness.ts';
import { uniqueName } from '../support/unique.ts';

const PARTITIONS = 3;
const storage = hdfsStorage();
const config = loadStackConfig();
const urls = endpoints(config);
const FAST = {
  ADLAKE_SINK_ROTATION_MAX_RECORDS: '3000',
  ADLAKE_SINK_ROTATION_INTERVAL_MS: '1000',
  ADLAKE_SINK_KAFKA_SESSION_TIMEOUT_MS: '6000',
};

interface AuditJson {
  ok: boolean;
  files: number;
  partitions: {
    partition: number;
    rows: number;
    skipped: number;
    duplicateCount: number;
    holes: unknown[];
    fromDr: { rows: number; commits: number };
    compacted: { inputs: number; outputs: number };
  }[];
  duckdbRowsPerDay: Record<string, number>;
  mirrored: { rows: number; duplicateCount: number; droppedAsDuplicates: number; missingFiles: string[] }[];
}

function total(a: AuditJson): number {
  return Object.values(a.duckdbRowsPerDay).reduce((n, x) => n + x, 0);
}

describe('failover drill', { timeout: 20 * 60_000 }, () => {
  test('same cluster: DR carries the load, the merger continues production’s ledger, exactly once', async () => {
    const topic = uniqueName('failover');
    const prodRoot = `/data/lake/test/${topic}/raw`;
    const drRoot = `/data/lake/test/${topic}/dr`;
    after(async () => {
      await deleteTopic(topic).catch(() => undefined);
      await storage.delete(`/data/lake/test/${topic}`, { recursive: true }).catch(() => false);
    });
    await createTopic(topic, PARTITIONS);
    const prodEnv = impressionSinkEnv(topic, prodRoot, FAST);
    const drEnv = impressionSinkEnv(topic, drRoot, {
      ...FAST,
      ADLAKE_SINK_SINK_ROLE: 'dr',
      ADLAKE_SINK_KAFKA_GROUP_ID: `${topic}-dr`,
    });
    const drFile = drConfigFile({
      'output.root': drRoot,
      'kafka.brokers': urls.kafkaBrokers,
      'kafka.groupId': `${topic}-dr`,
      topics: [topic],
    });
    const impression = simulatedImpressions(21, 2);
    let sent = 0;

    let production = startSink('run', prodEnv);
    const dr = startSink('run', drEnv);
    sent += await produceImpressions(topic, 6000, impression);
    await waitCommitted(storage, prodRoot, topic, await highWatermarks(topic), [production, dr], 5 * 60_000);
    await stopSink(production);

    // Failover: production is down, DR carries the load.
    sent += await produceImpressions(topic, 9000, impression);
    const failover = await highWatermarks(topic);
    await waitCommitted(storage, drRoot, topic, failover, [dr], 5 * 60_000);
    // The merger as a service: it runs passes until told to stop, and stops cleanly.
    const watcher = startSink('merge', { ...prodEnv, ADLAKE_SINK_MAINTENANCE_INTERVAL_MS: '1000' }, [
      '--dr-config',
      drFile,
      '--dr-active',
      'auto',
      '--watch',
    ]);
    for (const deadline = Date.now() + 120_000; !/"pass":2\b/.test(watcher.output.join('')); await sleep(200))
      assert.ok(
        Date.now() < deadline && watcher.child.exitCode === null,
        watcher.output.join('').slice(-3000),
      );
    watcher.child.kill('SIGTERM');
    assert.equal(await watcher.exited, 0, watcher.output.join('').slice(-3000));
    const merged = watcher.output.join('');
    assert.match(merged, /"event":"merge\.merged"/);
    // The DR consumer group has a member: the newest DR commit per partition stayed in its tree.
    assert.match(merged, /"drActive":true/);

    // Production comes back after the merged offsets, and more traffic arrives.
    production = startSink('run', prodEnv);
    sent += await produceImpressions(topic, 6000, impression);
    const end = await highWatermarks(topic);
    await waitCommitted(storage, prodRoot, topic, end, [production, dr], 5 * 60_000);
    await waitCommitted(storage, drRoot, topic, end, [dr], 5 * 60_000);
    await stopSink(production);
    await stopSink(dr);
    const recovered = production.output.join('');
    assert.doesNotMatch(recovered, /"partition.fenced"/, 'nothing fenced the restarted production sink');

    // A second merger on the same tree is turned away with a message naming the holder.
    await storage.writeFile(
      `${prodRoot}/_locks/merge.json`,
      new TextEncoder().encode(
        JSON.stringify({
          job: 'merge',
          owner: 'merge-elsewhere',
          host: hostname(),
          pid: process.pid,
          acquiredAt: new Date().toISOString(),
          expiresAt: new Date(Date.now() + 60_000).toISOString(),
        }),
      ),
    );
    const fenced = await runSinkToEnd('merge', prodEnv, ['--dr-config', drFile, '--dr-active', 'no']);
    assert.equal(fenced.code, 3, fenced.output);
    assert.match(
      fenced.output,
      /another merge \(merge-elsewhere, pid \d+ on .+\) holds .+_locks\/merge\.json/,
    );
    await storage.delete(`${prodRoot}/_locks/merge.json`);

    const last = await runSinkToEnd('merge', prodEnv, ['--dr-config', drFile, '--dr-active', 'no']);
    assert.equal(last.code, 0, last.output);
    const compacted = await runSinkToEnd('compact', { ...prodEnv, ADLAKE_SINK_COMPACTION_GRACE_MS: '0' }, []);
    assert.equal(compacted.code, 0, compacted.output);
    assert.match(compacted.output, /"event":"compact\.committed"/);

    const audit = await runSinkToEnd('audit', prodEnv, ['--topic', topic, '--format', 'json']);
    const report = JSON.parse(audit.stdout) as AuditJson;
    assert.equal(audit.code, 0, audit.output);
    assert.equal(report.ok, true);
    assert.equal(total(report), sent, 'DuckDB counts every event sent, once');
    const fromDr = report.partitions.reduce((n, p) => n + p.fromDr.rows, 0);
    assert.ok(fromDr > 0, 'rows from DR are in production’s tree');
    assert.ok(
      report.partitions.some((p) => p.compacted.outputs > 0),
      'compaction happened',
    );
    // Production and DR audited together: the DR commits the merger handled are production's now.
    const both = await runSinkToEnd('audit', prodEnv, [
      '--topic',
      topic,
      '--also-root',
      drRoot,
      '--format',
      'json',
    ]);
    assert.equal(both.code, 0, both.output);
    assert.equal(total(JSON.parse(both.stdout) as AuditJson), sent);
    // The DR tree holds no data file any more.
    const left = (await storage.list(`${drRoot}/topic=${topic}`)).flatMap((d) => [d.name]);
    for (const day of left)
      assert.deepEqual(await storage.list(`${drRoot}/topic=${topic}/${day}`), [], `DR files left in ${day}`);
  });

  test('mirrored (MirrorMaker 2): the rows the primary lost come from DR, matched by event id', async () => {
    const started = await up(config, { services: ['mirrormaker'] as ServiceName[], log: silentLogger });
    after(async () => {
      if (started.started.length > 0) await down(config, { services: started.started, log: silentLogger });
    });
    const topic = `adserver.${uniqueName('drill')}`;
    const mirrored = urls.mirroredTopic(topic);
    const prodRoot = `/data/lake/test/${topic}/raw`;
    const drRoot = `/data/lake/test/${topic}/dr`;
    after(async () => {
      await deleteTopic(topic).catch(() => undefined);
      await storage.delete(`/data/lake/test/${topic}`, { recursive: true }).catch(() => false);
    });
    await createTopic(topic, PARTITIONS);
    const prodEnv = impressionSinkEnv(topic, prodRoot, { ...FAST, ADLAKE_SINK_MERGE_SETTLE_MS: '0' });
    const drEnv = impressionSinkEnv(mirrored, drRoot, {
      ...FAST,
      ADLAKE_SINK_SINK_ROLE: 'dr',
      ADLAKE_SINK_KAFKA_BROKERS: urls.kafkaDrBrokers.join(','),
      ADLAKE_SINK_KAFKA_GROUP_ID: `${topic}-dr`,
    });
    const drFile = drConfigFile({
      'output.root': drRoot,
      'kafka.brokers': urls.kafkaDrBrokers,
      'kafka.groupId': `${topic}-dr`,
      topics: [mirrored],
      topicClasses: [`${mirrored}=adserver.impressions`],
    });
    const impression = simulatedImpressions(22, 2);
    let sent = 0;

    let production = startSink('run', prodEnv);
    sent += await produceImpressions(topic, 6000, impression);
    await waitCommitted(storage, prodRoot, topic, await highWatermarks(topic), [production], 5 * 60_000);
    await stopSink(production);

    // Production is down; the primary keeps receiving events and MirrorMaker copies them to DR.
    sent += await produceImpressions(topic, 6000, impression);
    const dr = startSink('run', drEnv);
    const lost = await highWatermarks(topic);
    const drAdmin = new Kafka({
      clientId: 'drill',
      brokers: urls.kafkaDrBrokers,
      logLevel: logLevel.NOTHING,
    }).admin();
    await drAdmin.connect();
    try {
      // Wait until DR has the whole failover stretch on disk.
      const deadline = Date.now() + 3 * 60_000;
      for (;;) {
        const mirroredHigh = new Map(
          (await drAdmin.fetchTopicOffsets(mirrored).catch(() => [])).map((o) => [
            o.partition,
            Number(o.high),
          ]),
        );
        const sum = (m: Map<number, number>) => [...m.values()].reduce((a, b) => a + b, 0);
        if (sum(mirroredHigh) >= sum(lost)) {
          await waitCommitted(storage, drRoot, mirrored, mirroredHigh, [dr], 5 * 60_000);
          break;
        }
        if (Date.now() > deadline)
          assert.fail(`MirrorMaker mirrored ${sum(mirroredHigh)} of ${sum(lost)} records`);
        await sleep(500);
      }
    } finally {
      await drAdmin.disconnect();
    }
    // The disaster: the primary loses every record the production sink has not read.
    const admin = kafkaClient().admin();
    await admin.connect();
    try {
      // kafkajs finds the partition leaders from metadata it must have loaded first.
      await admin.fetchTopicMetadata({ topics: [topic] });
      await admin.deleteTopicRecords({
        topic,
        partitions: [...lost].map(([partition, high]) => ({ partition, offset: String(high) })),
      });
    } finally {
      await admin.disconnect();
    }

    // Production comes back, records the gap, and more traffic arrives (DR gets it too).
    production = startSink('run', prodEnv);
    sent += await produceImpressions(topic, 6000, impression);
    const end = await highWatermarks(topic);
    await waitCommitted(storage, prodRoot, topic, end, [production, dr], 5 * 60_000);
    await sleep(3000);
    await stopSink(production);
    await stopSink(dr);
    assert.match(production.output.join(''), /"partition.gap"/, 'production recorded the lost stretch');

    const merged = await runSinkToEnd('merge', prodEnv, ['--dr-config', drFile, '--dr-active', 'no']);
    assert.equal(merged.code, 0, merged.output);
    assert.match(merged.output, /"mode":"mirrored"/);

    const audit = await runSinkToEnd('audit', prodEnv, ['--topic', topic, '--format', 'json']);
    const report = JSON.parse(audit.stdout) as AuditJson;
    assert.equal(audit.code, 0, audit.output);
    assert.equal(report.ok, true);
    const fromMirror = report.mirrored.reduce((n, m) => n + m.rows, 0);
    const skipped = report.partitions.reduce((n, p) => n + p.skipped, 0);
    assert.equal(fromMirror, 6000, 'every lost event came from DR');
    assert.equal(skipped, 6000, 'production recorded exactly the lost stretch');
    assert.ok(
      report.mirrored.reduce((n, m) => n + m.droppedAsDuplicates, 0) > 0,
      'DR rows production had were dropped',
    );
    assert.equal(total(report), sent, 'DuckDB counts every event sent, once');
  });
});
