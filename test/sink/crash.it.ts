// The exactly-once proof under fire: while simulated traffic is produced, the real sink process is killed
// with SIGKILL at random moments, again and again, and restarted; afterwards the audit (DuckDB reading the
// files back) must show every offset exactly once and as many rows as events were sent.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import {
  committedOffsets,
  createTopic,
  deleteTopic,
  hdfsStorage,
  highWatermarks,
  produceImpressions,
  simulatedImpressions,
  impressionSinkEnv,
  startSink,
} from '../support/sink-harness.ts';
import { uniqueName } from '../support/unique.ts';

const EVENTS = Number(process.env['ADLAKE_CRASH_EVENTS'] ?? 200_000);
const KILLS = Number(process.env['ADLAKE_CRASH_KILLS'] ?? 10);
const PARTITIONS = 3;
const topic = uniqueName('crash');
const root = `/data/lake/test/${topic}`;
const storage = hdfsStorage();
const env = impressionSinkEnv(topic, root, {
  ADLAKE_SINK_ROTATION_MAX_RECORDS: '4000',
  ADLAKE_SINK_ROTATION_INTERVAL_MS: '1000',
  // A killed member must leave the group quickly, or every restart only waits in the rebalance.
  ADLAKE_SINK_KAFKA_SESSION_TIMEOUT_MS: '6000',
});

/** Resolves when the process has printed `needle`, or after `ms` (a kill then is still a valid kill). */
function waitFor(sink: { output: string[] }, needle: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve) => {
    const poll = (): void => {
      if (sink.output.join('').includes(needle) || Date.now() > deadline) resolve();
      else setTimeout(poll, 50);
    };
    poll();
  });
}

after(async () => {
  await deleteTopic(topic).catch(() => undefined);
  await storage.delete(root, { recursive: true }).catch(() => false);
});

test(
  `${EVENTS} events, the sink SIGKILLed ${KILLS} times while ingesting: every offset exactly once`,
  { timeout: 20 * 60_000 },
  async () => {
    await createTopic(topic, PARTITIONS);
    const impression = simulatedImpressions(11, 2);
    // Ingestion runs through every cycle: each one produces its slice while a sink works on the topic.
    let produced = 0;
    const slice = Math.ceil(EVENTS / KILLS);

    const kills: { afterMs: number; committed: number }[] = [];
    for (let i = 0; i < KILLS; i++) {
      const producing = produceImpressions(topic, Math.min(slice, EVENTS - produced), impression).then(
        (n) => (produced += n),
      );
      const sink = startSink('run', env);
      // Two kills in three land while it works: after this run's first commit, at a random moment of the
      // batches, commits and renames that follow. The third lands anywhere in start-up and recovery.
      const working = i % 3 !== 2;
      if (working) await waitFor(sink, '"event":"partition.committed"', 60_000);
      const afterMs = Math.floor(Math.random() * (working ? 2000 : 3000));
      await new Promise((r) => setTimeout(r, afterMs));
      sink.child.kill('SIGKILL');
      await sink.exited;
      const committed = [...(await committedOffsets(storage, root, topic, PARTITIONS)).values()].reduce(
        (a, b) => a + b,
        0,
      );
      kills.push({ afterMs, committed });
      await producing;
    }
    assert.equal(produced, EVENTS);
    // The kills must have interrupted real work: commits happened between them, not only before the first.
    const progressed = kills.filter((k, n) => n > 0 && k.committed > (kills[n - 1]?.committed ?? 0)).length;
    assert.ok(progressed >= 5, `commits between kills: ${JSON.stringify(kills)}`);

    // One last run, left alone until it has committed everything Kafka holds, then stopped gracefully.
    const final = startSink('run', env);
    await waitFor(final, '"event":"sink.started"', 60_000);
    const high = await highWatermarks(topic);
    const deadline = Date.now() + 10 * 60_000;
    for (;;) {
      const committed = await committedOffsets(storage, root, topic, PARTITIONS);
      if ([...high].every(([p, h]) => (committed.get(p) ?? 0) >= h)) break;
      assert.ok(
        Date.now() < deadline,
        `sink did not catch up: committed ${JSON.stringify([...committed])} of ${JSON.stringify([...high])}\n${final.output.join('').slice(-3000)}`,
      );
      await new Promise((r) => setTimeout(r, 1000));
    }
    final.child.kill('SIGTERM');
    assert.equal(await final.exited, 0, final.output.join('').slice(-3000));

    const auditRun = startSink('audit', env, ['--topic', topic, '--format', 'json']);
    assert.equal(await auditRun.exited, 0, auditRun.output.join('').slice(-3000));
    const report = JSON.parse(auditRun.stdout.join('')) as {
      ok: boolean;
      partitions: {
        partition: number;
        rows: number;
        duplicateCount: number;
        holes: unknown[];
        committed: { from: number; to: number }[];
      }[];
      duckdbRowsPerDay: Record<string, number>;
    };
    assert.equal(report.ok, true, JSON.stringify(report.partitions));
    for (const p of report.partitions) {
      assert.equal(p.duplicateCount, 0);
      assert.deepEqual(p.holes, []);
      assert.deepEqual(p.committed, [{ from: 0, to: (high.get(p.partition) ?? 0) - 1 }]);
    }
    assert.equal(
      report.partitions.reduce((n, p) => n + p.rows, 0),
      EVENTS,
    );
    assert.equal(
      Object.values(report.duckdbRowsPerDay).reduce((a, b) => a + b, 0),
      EVENTS,
      'DuckDB counts every event once',
    );
    console.log(
      `crash test: ${KILLS} kills; committed offsets after each: ${kills.map((k) => k.committed).join(', ')}`,
    );
  },
);
