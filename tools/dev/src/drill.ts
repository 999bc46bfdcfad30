// `npm run main -- --failover-drill`: the DR path end to end on the local stack. A production sink and a DR
// sink (same cluster, own group and root, no Hive DDL) consume the same topics; production is stopped while
// a third of the traffic arrives and DR carries it; the merger moves what production lacks into its tree;
// production comes back and resumes after the merged offsets; the DR sink stops and a last merge drops what
// both wrote; the compactor joins the small files; the audit proves every offset exactly once and DuckDB
// counts every event once. Each step is a real command (`adlake-sink run|merge|compact|audit`).
import { writeFileSync } from 'node:fs';
import type { Storage } from '@adlake/sink';
import { committedTotal, highWatermarks, run, startChild, sum } from './processes.ts';

export interface DrillContext {
  env: Record<string, string>;
  storage: Storage;
  root: string;
  events: number;
  urls: { kafkaBrokers: string[]; webhdfsUrl: string; hdfsUser: string; registryUrl: string };
  topics: readonly string[];
  step: <T>(name: string, fn: () => Promise<T>) => Promise<T>;
}

interface AuditJson {
  topic: string;
  ok: boolean;
  files: number;
  bytes: number;
  partitions: {
    rows: number;
    deadLettered: number;
    skipped: number;
    kafka?: { low: number; high: number };
    fromDr: { rows: number; commits: number };
    compacted: { inputs: number; outputs: number };
  }[];
  duckdbRowsPerDay: Record<string, number>;
  filesPerDay: Record<string, number>;
}

const DR_ROOT = '/data/lake/dr';
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function failoverDrill(c: DrillContext): Promise<number> {
  const drEnv = {
    ...c.env,
    ADLAKE_SINK_SINK_ROLE: 'dr',
    ADLAKE_SINK_OUTPUT_ROOT: DR_ROOT,
    ADLAKE_SINK_KAFKA_GROUP_ID: 'adlake-dr-sink',
    ADLAKE_SINK_KAFKA_CLIENT_ID: 'adlake-dr-sink',
  };
  // The merger reads the DR sink's settings from a file, as an operator's would.
  const drConfig = '/tmp/adlake-drill-dr.json';
  writeFileSync(
    drConfig,
    JSON.stringify(
      {
        'sink.role': 'dr',
        'output.root': DR_ROOT,
        'kafka.groupId': 'adlake-dr-sink',
        'kafka.brokers': c.urls.kafkaBrokers,
        topics: c.topics,
      },
      null,
      2,
    ),
  );
  const before = await highWatermarks(c.urls.kafkaBrokers, c.topics);
  let production = startChild('node', ['apps/sink/src/main.ts', 'run'], c.env, '/tmp/adlake-sink.log');
  const dr = startChild('node', ['apps/sink/src/main.ts', 'run'], drEnv, '/tmp/adlake-dr-sink.log');
  const loadgen = startChild(
    'node',
    // The stack's registry, not the load generator's default port: on a stack with other ports the events
    // would carry another registry's schema ids and the sinks would dead-letter every one of them.
    [
      'apps/loadgen/src/main.ts',
      '--events',
      String(c.events),
      // Traffic spread over at least 30 s, so production's stop and DR's stretch fall in the middle of it.
      '--rate',
      String(Math.max(1, Math.ceil(c.events / 30))),
      '--brokers',
      c.urls.kafkaBrokers.join(','),
      '--registry-url',
      c.urls.registryUrl,
    ],
    c.env,
    '/tmp/adlake-loadgen.log',
  );
  try {
    return await drive();
  } finally {
    // A drill that fails midway must not leave sinks or the load generator running.
    for (const p of [production, dr, loadgen]) if (p.exitCode === null) p.child.kill('SIGTERM');
    await Promise.all([production.exited, dr.exited, loadgen.exited]);
  }

  async function drive(): Promise<number> {
    const sent = async () => sum(await highWatermarks(c.urls.kafkaBrokers, c.topics)) - sum(before);
    // Only the sinks that should be running at that step are checked: production is down on purpose while
    // DR carries the load.
    const until = async (what: string, done: () => Promise<boolean>, withProduction = true) => {
      for (;;) {
        if (await done()) return;
        for (const [name, p] of [
          ['production sink', production],
          ['DR sink', dr],
        ] as const)
          if (p.exitCode !== null && (withProduction || p !== production))
            throw new Error(`the ${name} exited early (code ${p.exitCode}) while waiting for ${what}`);
        await wait(1000);
      }
    };
    await c.step('send traffic; both sinks consume', () =>
      until('a third of the events', async () => (await sent()) >= c.events / 3),
    );
    await c.step('stop the production sink (failover: DR carries the load)', async () => {
      production.child.kill('SIGTERM');
      await production.exited;
    });
    await c.step('traffic goes on with DR alone', () =>
      until('two thirds of the events', async () => (await sent()) >= (2 * c.events) / 3, false),
    );
    const failoverMark = await highWatermarks(c.urls.kafkaBrokers, c.topics);
    await c.step('wait until DR has committed what arrived so far', () =>
      until(
        'the DR sink to catch up',
        async () => (await committedTotal(c.storage, DR_ROOT, failoverMark)) >= sum(failoverMark),
        false,
      ),
    );
    const mergeArgs = ['apps/sink/src/main.ts', 'merge', '--dr-config', drConfig];
    await c.step('merge DR into production while production is down (newest DR files stay)', () =>
      run('node', [...mergeArgs, '--dr-active', 'yes'], c.env),
    );
    await c.step('restart the production sink: it resumes after the merged offsets', async () => {
      production = startChild('node', ['apps/sink/src/main.ts', 'run'], c.env, '/tmp/adlake-sink-2.log');
      await loadgen.exited;
      if (loadgen.exitCode !== 0)
        throw new Error(`the load generator failed (code ${loadgen.exitCode}); see /tmp/adlake-loadgen.log`);
    });
    const target = await highWatermarks(c.urls.kafkaBrokers, c.topics);
    await c.step('wait until production has committed every event', () =>
      until(
        'production to catch up',
        async () => (await committedTotal(c.storage, c.root, target)) >= sum(target),
      ),
    );
    await c.step('stop both sinks; last merge (DR stopped: every DR file is handled)', async () => {
      production.child.kill('SIGTERM');
      dr.child.kill('SIGTERM');
      await Promise.all([production.exited, dr.exited]);
      await run('node', [...mergeArgs, '--dr-active', 'no'], c.env);
    });
    const audit = async () => {
      const out: AuditJson[] = [];
      for (const topic of c.topics) {
        const text = await run(
          'node',
          ['apps/sink/src/main.ts', 'audit', '--topic', topic, '--format', 'json'],
          c.env,
          true,
        );
        out.push(JSON.parse(text) as AuditJson);
      }
      return out;
    };
    const beforeCompaction = await c.step('audit before compaction', audit);
    await c.step('compact every day (grace 0 for the drill)', () =>
      run('node', ['apps/sink/src/main.ts', 'compact'], { ...c.env, ADLAKE_SINK_COMPACTION_GRACE_MS: '0' }),
    );
    const after = await c.step('audit after compaction', audit);

    const sentNow = sum(target) - sum(before);
    console.log('\n=== failover drill summary');
    console.log(`events sent:            ${sentNow} (${c.events} requested)`);
    for (const [i, a] of after.entries()) {
      const rows = a.partitions.reduce((n, p) => n + p.rows, 0);
      const fromDr = a.partitions.reduce((n, p) => n + p.fromDr.rows, 0);
      const duck = Object.values(a.duckdbRowsPerDay).reduce((n, x) => n + x, 0);
      console.log(
        `topic ${a.topic}: ${rows} rows (DuckDB ${duck}), ${fromDr} merged from DR, ${a.ok ? 'every offset exactly once' : 'AUDIT FAILED'}`,
      );
      for (const [dt, n] of Object.entries(a.filesPerDay))
        console.log(
          `    dt=${dt}: ${beforeCompaction[i]?.filesPerDay[dt] ?? 0} files before compaction, ${n} after`,
        );
    }
    const total = after.reduce((n, a) => n + Object.values(a.duckdbRowsPerDay).reduce((m, x) => m + x, 0), 0);
    // The lake holds every event these topics ever received (earlier runs too): Kafka's offsets minus the
    // ones accounted for without a row.
    const expected = after.reduce(
      (n, a) =>
        n +
        a.partitions.reduce(
          (m, p) => m + (p.kafka === undefined ? 0 : p.kafka.high - p.kafka.low) - p.deadLettered - p.skipped,
          0,
        ),
      0,
    );
    console.log(
      `DuckDB rows, all topics:  ${total} ${total === expected ? '= every event in Kafka, once' : `!= the ${expected} events Kafka holds`}`,
    );
    return after.every((a) => a.ok) && total === expected ? 0 : 1;
  }
}
