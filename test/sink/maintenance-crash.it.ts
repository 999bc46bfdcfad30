// The exactly-once proof for the maintenance jobs under fire: the DR merger and the compactor are killed with
// SIGKILL at random points, again and again, and restarted; each must finish what the killed run left, and
// the audit of production's tree must then show every offset exactly once with DuckDB counting every event
// sent, once. For the compactor, a reader listing the tree between kills (the audit, DuckDB over the files
// as they are) must already count every event exactly once: HDFS CONCAT swaps the small files for the
// joined one in one step.
//
// The kill points come from a seeded generator: a failure reruns with MAINTENANCE_CRASH_SEED=<seed printed>.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { compactionDir, leasePath, readCompactions, readLedger, stagingDir } from '@adlake/sink';
import { rng } from '@adlake/simulator';
import {
  committedOffsets,
  createTopic,
  deleteTopic,
  hdfsStorage,
  highWatermarks,
  impressionSinkEnv,
  produceImpressions,
  simulatedImpressions,
  stack,
  runSinkToEnd,
  startSink,
  stopSink,
  drConfigFile,
  waitCommitted,
} from '../support/sink-harness.ts';
import type { SinkProcess } from '../support/sink-harness.ts';
import { uniqueName } from '../support/unique.ts';

const SEED = Number(process.env['MAINTENANCE_CRASH_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
const KILLS = Number(process.env['ADLAKE_MAINTENANCE_KILLS'] ?? 10);
const EVENTS = Number(process.env['ADLAKE_MAINTENANCE_EVENTS'] ?? 30_000);
const PARTITIONS = 3;
const storage = hdfsStorage();
const FAST = {
  ADLAKE_SINK_ROTATION_MAX_RECORDS: '1500',
  ADLAKE_SINK_ROTATION_INTERVAL_MS: '1000',
  // A stopped member must leave the group quickly, or the next sink only waits in the rebalance.
  ADLAKE_SINK_KAFKA_SESSION_TIMEOUT_MS: '6000',
};

// The simulator's seeded generator picks the kill points, so a seed replays them.
const random = rng(SEED);
const randomInt = (below: number): number => Math.floor(random() * below);

interface AuditJson {
  ok: boolean;
  partitions: {
    partition: number;
    rows: number;
    duplicateCount: number;
    holes: unknown[];
    ledgerBreaks: string[];
    missingFiles: string[];
    fromDr: { rows: number; commits: number };
    compacted: { inputs: number; outputs: number };
  }[];
  duckdbRowsPerDay: Record<string, number>;
  filesPerDay: Record<string, number>;
}

interface Kill {
  /** What the kill waited for: the n-th step event, or a delay from spawn. */
  point: string;
  /** The step events the killed run logged, e.g. `merged×2 dropped×1`. */
  before: string;
  /** Whether the run was still working (alive, its pass not logged) when killed. */
  midWork: boolean;
  /** What the kill left in storage for the next run to finish. */
  left: string;
}

function countOf(p: SinkProcess, event: string): number {
  return p.output.join('').split(`"event":"${event}"`).length - 1;
}

async function auditOf(
  env: Record<string, string>,
  topic: string,
): Promise<{ code: number | null; report: AuditJson }> {
  const run = await runSinkToEnd('audit', env, ['--topic', topic, '--format', 'json']);
  let report: AuditJson;
  try {
    report = JSON.parse(run.stdout) as AuditJson;
  } catch {
    assert.fail(`the audit printed no report (exit ${run.code}):\n${run.output.slice(-3000)}`);
  }
  return { code: run.code, report };
}

const total = (counts: Record<string, number>): number => Object.values(counts).reduce((a, b) => a + b, 0);

/**
 * Starts `command` and SIGKILLs it at a random point: right after it logged its n-th step event (plus a
 * random few milliseconds, which lands inside the next step), or, one run in three, a random delay after
 * spawn (start-up, lease, recovery). A run that ends before the point is not a kill.
 */
async function killSomewhere(
  command: 'merge' | 'compact',
  env: Record<string, string>,
  args: string[],
  steps: readonly string[],
  job: string,
  i: number,
  maxSteps: number,
): Promise<{ killed: boolean; run: SinkProcess; point: string; before: string; midWork: boolean }> {
  const run = startSink(command, env, args);
  const byTime = i % 3 === 2;
  const n = 1 + randomInt(maxSteps);
  // A short grace after the n-th step: the kill lands inside the next step or two, not many steps later
  // (a run killed late uses up the work the following kills need).
  // By time: within 800 ms of the spawn, so mostly during start-up and the first steps. The sink app
  // starts in about 0.3 s with its compile cache, and a merger killed at 2 s had already done 32 of the
  // run's merges (seed 2083897134), leaving too little work for the remaining kills.
  const extraMs = randomInt(byTime ? 800 : 150);
  const point = byTime ? `${extraMs} ms after spawn` : `step ${n} + ${extraMs} ms`;
  const deadline = Date.now() + 90_000;
  const stepsDone = () => steps.reduce((sum, s) => sum + countOf(run, s), 0);
  if (!byTime) {
    while (run.child.exitCode === null && stepsDone() < n && Date.now() < deadline) await sleep(10);
  }
  await sleep(extraMs);
  const alive = run.child.exitCode === null;
  const midWork = alive && countOf(run, `${job}.pass`) === 0;
  if (alive) run.child.kill('SIGKILL');
  await run.exited;
  const before = steps
    .map((s) => [s.replace(/^.*\./, ''), countOf(run, s)] as const)
    .map(([s, c]) => `${s}×${c}`)
    .join(' ');
  return {
    killed: alive,
    run,
    point,
    before: `${before}${countOf(run, `${job}.lease`) > 0 ? '' : ' (no lease yet)'}`,
    midWork,
  };
}

/** Whatever the killed runs left that the final run did not clean up: garbage nobody would ever remove. */
async function leftovers(
  root: string,
  topic: string,
  job: 'merge' | 'compact',
  dataRoot = root,
): Promise<string[]> {
  const out: string[] = [];
  const locks = await storage.list(leasePath(root, job).replace(/\/[^/]*$/, ''));
  out.push(...locks.map((e) => e.path));
  for (let p = 0; p < PARTITIONS; p++)
    out.push(...(await storage.list(stagingDir(dataRoot, job, topic, p))).map((e) => e.path));
  for (const day of await storage.list(`${root}/topic=${topic}`))
    out.push(
      ...(await storage.list(day.path)).filter((f) => !f.name.endsWith('.parquet')).map((f) => f.path),
    );
  return out;
}

before(() => {
  console.log(`maintenance crash seed ${SEED} (rerun with MAINTENANCE_CRASH_SEED=${SEED})`);
});

describe('maintenance jobs under SIGKILL', { timeout: 15 * 60_000 }, () => {
  test(`the DR merger, SIGKILLed ${KILLS} times: production ends with every event exactly once`, async () => {
    const topic = uniqueName('mergecrash');
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
      // Many small DR commits: the merger has dozens of steps to be killed between.
      ADLAKE_SINK_ROTATION_MAX_RECORDS: '500',
      ADLAKE_SINK_SINK_ROLE: 'dr',
      ADLAKE_SINK_KAFKA_GROUP_ID: `${topic}-dr`,
    });
    const drFile = drConfigFile({
      'output.root': drRoot,
      'kafka.brokers': stack.kafkaBrokers,
      'kafka.groupId': `${topic}-dr`,
      topics: [topic],
    });
    const impression = simulatedImpressions(31, 2);
    let sent = 0;

    // Both sinks ingest the start; production stops early and DR carries the rest alone, in many small
    // commits, one of them per partition straddling production's end.
    let production = startSink('run', prodEnv);
    const dr = startSink('run', drEnv);
    sent += await produceImpressions(topic, Math.round(EVENTS * 0.1), impression);
    await waitCommitted(storage, prodRoot, topic, await highWatermarks(topic), [production, dr], 4 * 60_000);
    await stopSink(production);
    sent += await produceImpressions(topic, Math.round(EVENTS * 0.8), impression);
    const failover = await highWatermarks(topic);
    await waitCommitted(storage, drRoot, topic, failover, [dr], 4 * 60_000);
    await stopSink(dr);
    const drCommits = (
      await Promise.all(Array.from({ length: PARTITIONS }, (_, p) => readLedger(storage, drRoot, topic, p)))
    )
      .flat()
      .filter((e) => e.fence !== true).length;

    const args = ['--dr-config', drFile, '--dr-active', 'no'];
    const kills: Kill[] = [];
    let tookOver = 0;
    for (let i = 0; kills.length < KILLS; i++) {
      assert.ok(i < KILLS * 3, `the merger kept finishing before its kill point: ${JSON.stringify(kills)}`);
      const leftLease = (await storage.stat(leasePath(prodRoot, 'merge'))) !== null;
      const k = await killSomewhere('merge', prodEnv, args, ['merge.merged', 'merge.dropped'], 'merge', i, 2);
      const out = k.run.output.join('');
      // A killed merger leaves its lease behind; the next one on this host must take it over, not exit 3.
      assert.doesNotMatch(out, /another merge .* holds/, out.slice(-2000));
      if (leftLease && countOf(k.run, 'merge.lease') > 0) tookOver++;
      if (!k.killed) {
        assert.equal(await k.run.exited, 0, out.slice(-3000));
        continue;
      }
      const left: string[] = [];
      for (let p = 0; p < PARTITIONS; p++) {
        if ((await storage.list(stagingDir(drRoot, 'merge', topic, p)).catch(() => [])).length > 0)
          left.push(`partition ${p}: staged rewrite`);
        const newest = (await readLedger(storage, prodRoot, topic, p)).filter((e) => e.fence !== true).at(-1);
        if (newest?.merged === undefined) continue;
        for (const f of newest.files)
          if ((await storage.stat(f.path)) === null) {
            left.push(`merged commit #${newest.seq} of partition ${p} half moved`);
            break;
          }
      }
      kills.push({ point: k.point, before: k.before, midWork: k.midWork, left: left.join(', ') || '-' });
    }
    const last = await runSinkToEnd('merge', prodEnv, args);
    assert.equal(last.code, 0, last.output.slice(-3000));
    assert.deepEqual(await leftovers(prodRoot, topic, 'merge', drRoot), [], 'nothing left behind');
    for (const day of await storage.list(`${drRoot}/topic=${topic}`))
      assert.deepEqual(await storage.list(day.path), [], `DR files left in ${day.path}`);
    console.log(`merger: ${drCommits} DR commits to handle; kills:`);
    for (const k of kills) console.log(`  ${k.point}: ${k.before}; mid-work ${k.midWork}; left: ${k.left}`);
    const midWork = kills.filter((k) => k.midWork).length;
    assert.ok(midWork >= 5, `kills that interrupted a run mid-work: ${midWork} of ${kills.length}`);
    assert.ok(
      new Set(kills.filter((k) => k.midWork).map((k) => k.before)).size >= 3,
      'the kills landed after different steps',
    );
    assert.ok(tookOver > 0, 'a killed merger’s lease was taken over');

    // Production comes back: it must resume after the merged offsets, neither rewriting nor skipping them.
    const merged = await committedOffsets(storage, prodRoot, topic, PARTITIONS);
    assert.deepEqual(merged, failover, 'the merge carried production’s ledger to where DR ended');
    production = startSink('run', prodEnv);
    sent += await produceImpressions(topic, EVENTS - sent, impression);
    const end = await highWatermarks(topic);
    await waitCommitted(storage, prodRoot, topic, end, [production], 4 * 60_000);
    await stopSink(production);
    for (let p = 0; p < PARTITIONS; p++) {
      const own = (await readLedger(storage, prodRoot, topic, p)).filter(
        (e) => e.fence !== true && e.merged === undefined && e.fromOffset >= (failover.get(p) ?? 0),
      );
      assert.equal(own[0]?.fromOffset, failover.get(p), `partition ${p}: production resumed after the merge`);
    }

    const { code, report } = await auditOf(prodEnv, topic);
    assert.equal(code, 0, JSON.stringify(report.partitions));
    assert.equal(report.ok, true);
    assert.equal(sent, EVENTS);
    assert.equal(total(report.duckdbRowsPerDay), EVENTS, 'DuckDB counts every event sent, once');
    assert.ok(
      report.partitions.reduce((n, p) => n + p.fromDr.rows, 0) > 0,
      'rows from DR are in production’s tree',
    );
  });

  test(`the compactor, SIGKILLed ${KILLS} times: a reader never sees a row twice or misses one`, async () => {
    const topic = uniqueName('compactcrash');
    const root = `/data/lake/test/${topic}`;
    after(async () => {
      await deleteTopic(topic).catch(() => undefined);
      await storage.delete(root, { recursive: true }).catch(() => false);
    });
    await createTopic(topic, PARTITIONS);
    // Small commits: enough joins that ten kills never run out of work to interrupt.
    const env = impressionSinkEnv(topic, root, { ...FAST, ADLAKE_SINK_ROTATION_MAX_RECORDS: '500' });
    const production = startSink('run', env);
    await produceImpressions(topic, EVENTS, simulatedImpressions(32, 4));
    await waitCommitted(storage, root, topic, await highWatermarks(topic), [production], 4 * 60_000);
    await stopSink(production);
    const initial = await auditOf(env, topic);
    assert.equal(initial.code, 0);
    const filesBefore = initial.report.filesPerDay;
    const bytes = (
      await Promise.all(Object.keys(filesBefore).map((d) => storage.list(`${root}/topic=${topic}/dt=${d}`)))
    )
      .flat()
      .filter((f) => f.name.endsWith('.parquet'))
      .map((f) => f.length);
    // The densest day's files join in pairs, the sparser days' in larger runs: a few dozen compactions,
    // so the kills land among them.
    const targetBytes = Math.round(2.5 * Math.max(...bytes));
    const compactEnv = {
      ...env,
      ADLAKE_SINK_COMPACTION_GRACE_MS: '0',
      ADLAKE_SINK_COMPACTION_TARGET_BYTES: String(targetBytes),
    };

    const kills: Kill[] = [];
    for (let i = 0; kills.length < KILLS; i++) {
      assert.ok(
        i < KILLS * 3,
        `the compactor kept finishing before its kill point: ${JSON.stringify(kills)}`,
      );
      const k = await killSomewhere('compact', compactEnv, [], ['compact.committed'], 'compact', i, 2);
      const out = k.run.output.join('');
      assert.doesNotMatch(out, /another compact .* holds/, out.slice(-2000));
      if (!k.killed) {
        assert.equal(await k.run.exited, 0, out.slice(-3000));
        continue;
      }
      const left: string[] = [];
      for (let p = 0; p < PARTITIONS; p++) {
        const staged = await storage.list(stagingDir(root, 'compact', topic, p)).catch(() => []);
        const drafts = (await storage.list(compactionDir(root, topic, p)).catch(() => [])).filter((e) =>
          e.name.includes('.tmp-'),
        );
        const r = (await readCompactions(storage, root, topic, p)).at(-1);
        if (r !== undefined && (await storage.stat(r.output.path)) === null) {
          const target = await storage.stat(r.inputs[0]?.path ?? '');
          if (target?.length === r.output.length) left.push(`#${r.seq} joined, not renamed`);
          else if ((await storage.stat(r.footer.path)) !== null) left.push(`#${r.seq} footer beside inputs`);
          else left.push(`#${r.seq} published, footer staged`);
        } else if (drafts.length > 0) left.push('unpublished record');
        else if (staged.length > 0) left.push('unpublished footer');
      }
      // A reader between kills: DuckDB over the files as they are must count every event exactly once.
      const { report } = await auditOf(env, topic);
      assert.equal(
        total(report.duckdbRowsPerDay),
        EVENTS,
        `after kill ${kills.length + 1}: DuckDB row count`,
      );
      for (const p of report.partitions) {
        assert.equal(
          p.duplicateCount,
          0,
          `after kill ${kills.length + 1}: partition ${p.partition} duplicates`,
        );
        assert.deepEqual(p.holes, [], `after kill ${kills.length + 1}: partition ${p.partition} holes`);
      }
      kills.push({ point: k.point, before: k.before, midWork: k.midWork, left: left.join(', ') || '-' });
    }
    const last = await runSinkToEnd('compact', compactEnv, []);
    assert.equal(last.code, 0, last.output.slice(-3000));
    assert.deepEqual(await leftovers(root, topic, 'compact'), [], 'nothing left behind');
    console.log(`compactor: target ${targetBytes} bytes; kills:`);
    for (const k of kills) console.log(`  ${k.point}: ${k.before}; mid-work ${k.midWork}; left: ${k.left}`);
    const midWork = kills.filter((k) => k.midWork).length;
    assert.ok(midWork >= 5, `kills that interrupted a run mid-work: ${midWork} of ${kills.length}`);
    assert.ok(
      kills.some((k) => k.left !== '-'),
      'some kill interrupted a compaction between its steps',
    );

    const { code, report } = await auditOf(env, topic);
    assert.equal(code, 0, JSON.stringify(report.partitions));
    assert.equal(report.ok, true);
    assert.equal(total(report.duckdbRowsPerDay), EVENTS, 'DuckDB counts every event sent, once');
    assert.ok(report.partitions.reduce((n, p) => n + p.compacted.outputs, 0) > 0, 'compactions happened');
    for (const [dt, before] of Object.entries(filesBefore))
      assert.ok(
        (report.filesPerDay[dt] ?? 0) < before,
        `dt=${dt}: ${before} files before, ${report.filesPerDay[dt]} after`,
      );
  });
});
