// Exactly once beyond one process: three sinks in one consumer group share a 6-partition topic while
// traffic arrives; random members are SIGKILLed and restarted, so partitions move between owners in the
// middle of their commits (the rebalance race that fencing closes). Repeated for several rounds, each ending
// with the audit (files checked against the ledger, offsets against Kafka's end, no lag) and DuckDB counting
// every event once.
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
import type { SinkProcess } from '../support/sink-harness.ts';
import { uniqueName } from '../support/unique.ts';

const ROUNDS = Number(process.env['ADLAKE_CHAOS_ROUNDS'] ?? 5);
const EVENTS = Number(process.env['ADLAKE_CHAOS_EVENTS'] ?? 20_000);
const KILLS = 3;
const SINKS = 3;
const PARTITIONS = 6;
const storage = hdfsStorage();
const cleanup: { topic: string; root: string }[] = [];

after(async () => {
  for (const { topic, root } of cleanup) {
    await deleteTopic(topic).catch(() => undefined);
    await storage.delete(root, { recursive: true }).catch(() => false);
  }
});

async function chaosRound(round: number): Promise<void> {
  const topic = uniqueName(`chaos${round}`);
  const root = `/data/lake/test/${topic}`;
  cleanup.push({ topic, root });
  const env = impressionSinkEnv(topic, root, {
    ADLAKE_SINK_ROTATION_MAX_RECORDS: '1500',
    ADLAKE_SINK_ROTATION_INTERVAL_MS: '700',
    ADLAKE_SINK_KAFKA_SESSION_TIMEOUT_MS: '6000',
    ADLAKE_SINK_DLQ_TOPIC: `${topic}.dlq`,
    ADLAKE_SINK_SHUTDOWN_TIMEOUT_MS: '5000',
  });
  cleanup.push({ topic: `${topic}.dlq`, root });
  await createTopic(topic, PARTITIONS);
  const impression = simulatedImpressions(100 + round, 2);

  const sinks: SinkProcess[] = Array.from({ length: SINKS }, () => startSink('run', env));
  const producing = produceImpressions(topic, EVENTS, impression);
  for (let k = 0; k < KILLS; k++) {
    // Let the group settle and commit, then kill a member in the middle of its work.
    await new Promise((r) => setTimeout(r, 1500 + Math.floor(Math.random() * 2500)));
    const victim = Math.floor(Math.random() * SINKS);
    sinks[victim]?.child.kill('SIGKILL');
    await sinks[victim]?.exited;
    sinks[victim] = startSink('run', env);
    console.log(`round ${round}: killed sink ${victim} (kill ${k + 1} of ${KILLS})`);
  }
  assert.equal(await producing, EVENTS);
  console.log(`round ${round}: ${EVENTS} events produced`);

  const high = await highWatermarks(topic);
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    const committed = await committedOffsets(storage, root, topic, PARTITIONS);
    if ([...high].every(([p, h]) => (committed.get(p) ?? 0) >= h)) break;
    const logs = sinks.map((s) => s.output.join('').slice(-1500)).join('\n---\n');
    assert.ok(
      Date.now() < deadline,
      `round ${round}: not committed: ${JSON.stringify([...committed])} of ${JSON.stringify([...high])}\n${logs}`,
    );
    await new Promise((r) => setTimeout(r, 1000));
  }
  console.log(`round ${round}: everything committed; stopping the sinks`);
  for (const s of sinks) s.child.kill('SIGTERM');
  for (const s of sinks) {
    // A sink asked to stop must end in bounded time (shutdown.timeoutMs 5 s here, plus the forced exit's
    // margin): cleanly, or forced and saying so, or by the signal itself when it came before the sink had
    // installed its handler (still loading, nothing started).
    let hung = false;
    const timer = setTimeout(() => {
      hung = true;
      s.child.kill('SIGKILL');
    }, 60_000);
    const code = await s.exited;
    clearTimeout(timer);
    const log = s.output.join('');
    const forced = code === 1 && log.includes('"event":"sink.stop-forced"');
    if (forced) console.log(`round ${round}: a sink needed the forced stop`);
    assert.ok(
      !hung && (code === 0 || code === null || forced),
      `round ${round}: a sink ${hung ? 'did not stop within 60 s' : `exited ${code}`} after SIGTERM\n${log.slice(-3000)}`,
    );
  }

  const auditRun = startSink('audit', env, ['--topic', topic, '--format', 'json', '--max-lag', '0']);
  const code = await auditRun.exited;
  const output = auditRun.output.join('');
  assert.equal(code, 0, `round ${round}: audit failed\n${output.slice(-4000)}`);
  const report = JSON.parse(auditRun.stdout.join('')) as {
    ok: boolean;
    partitions: { partition: number; rows: number; lag?: number; missingFiles: string[] }[];
    duckdbRowsPerDay: Record<string, number>;
  };
  assert.equal(report.ok, true);
  assert.equal(report.partitions.length, PARTITIONS);
  for (const p of report.partitions) {
    assert.equal(p.lag, 0, `round ${round}: partition ${p.partition} checked against Kafka`);
    assert.deepEqual(p.missingFiles, []);
  }
  assert.equal(
    Object.values(report.duckdbRowsPerDay).reduce((a, b) => a + b, 0),
    EVENTS,
    `round ${round}: DuckDB counts every event once`,
  );
}

test(
  `${SINKS} sinks in one group, ${KILLS} SIGKILLs per round while ingesting, ${ROUNDS} rounds: every offset exactly once`,
  { timeout: 40 * 60_000 },
  async () => {
    for (let round = 1; round <= ROUNDS; round++) await chaosRound(round);
  },
);
