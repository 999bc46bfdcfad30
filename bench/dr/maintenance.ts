// DR merger and compactor throughput on the real local stack (HDFS over WebHDFS), with real sinks:
//   1. a third of the events arrives; the production sink commits it and stops;
//   2. the second third arrives while production is down; a DR sink (own group and root, sink.role dr)
//      starts and commits the first two thirds, with other commit boundaries than production's, so one DR
//      commit per partition straddles production's end and the merger rewrites its files;
//   3. merge, DR still running (`--dr-active yes`): the DR commits production covers are dropped, the
//      straddling one rewritten, the rest moved into production's ledger (the newest stays in DR);
//   4. production comes back, the last third arrives, both sinks commit it and stop;
//   5. merge again (`--dr-active no`): everything left in DR is covered by production and dropped;
//   6. compact (`compaction.graceMs=0`, target 256 MiB unless --target-bytes), then audit: the bench fails
//      unless the audit passes and counts every event once.
// The merge and compact commands run as child processes with a probe (cpu-probe.ts) that reads the child's
// own process.cpuUsage() at every step it logs, so CPU is attributed per handled commit and per compaction.
//
//   node bench/dr/maintenance.ts [--events 300000] [--partitions 3] [--target-bytes 268435456] [--keep]
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { ignoreKafkajsTimerWarning } from '@adlake/sdk';
import { readLedger } from '@adlake/sink';
import {
  createTopic,
  deleteTopic,
  hdfsStorage,
  highWatermarks,
  impressionSinkEnv,
  produceImpressions,
  simulatedImpressions,
  stack,
  startSink,
  waitCommitted,
} from '../../test/support/sink-harness.ts';
import type { SinkProcess } from '../../test/support/sink-harness.ts';
import { uniqueName } from '../../test/support/unique.ts';
import type { ProbeMark } from './cpu-probe.ts';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '300000' },
    partitions: { type: 'string', default: '3' },
    'target-bytes': { type: 'string', default: String(256 * 1024 * 1024) },
    keep: { type: 'boolean', default: false },
  },
});
const EVENTS = Number(values.events);
const PARTITIONS = Number(values.partitions);
const PROBE = new URL('./cpu-probe.ts', import.meta.url).pathname;
const MB = 1e6;
const run = uniqueName('benchdr');
const topic = `${run}.impressions`;
const prodRoot = `/data/lake/bench/${run}/prod`;
const drRoot = `/data/lake/bench/${run}/dr`;
const storage = hdfsStorage();
// Every child this run starts, so a failure midway leaves no sink running.
const children: SinkProcess[] = [];
function start(...args: Parameters<typeof startSink>): SinkProcess {
  const child = startSink(...args);
  children.push(child);
  return child;
}

// Production commits every 5,000 offsets per partition, DR every 7,000: their boundaries differ, so the
// DR commit around production's end straddles it.
const prodEnv = impressionSinkEnv(topic, prodRoot, {
  ADLAKE_SINK_ROTATION_MAX_RECORDS: '5000',
  ADLAKE_SINK_ROTATION_INTERVAL_MS: '2000',
});
const drEnv = impressionSinkEnv(topic, drRoot, {
  ADLAKE_SINK_SINK_ROLE: 'dr',
  ADLAKE_SINK_KAFKA_GROUP_ID: `${topic}-dr`,
  ADLAKE_SINK_KAFKA_CLIENT_ID: `${run}-dr`,
  ADLAKE_SINK_ROTATION_MAX_RECORDS: '7000',
  ADLAKE_SINK_ROTATION_INTERVAL_MS: '2000',
});
const drConfig = `/tmp/${run}-dr.json`;

interface AuditJson {
  ok: boolean;
  files: number;
  bytes: number;
  partitions: { rows: number; fromDr: { rows: number; commits: number } }[];
  duckdbRowsPerDay: Record<string, number>;
  filesPerDay: Record<string, number>;
}

interface Timed {
  wallSeconds: number;
  cpuSeconds: number;
  marks: ProbeMark[];
}

/** Runs `adlake-sink <command>` with the probe; fails the bench unless it exits 0. */
async function probed(
  command: 'merge' | 'compact',
  env: Record<string, string>,
  args: string[],
): Promise<Timed> {
  const file = `/tmp/${run}-${command}-${Date.now()}.probe.jsonl`;
  const started = performance.now();
  const child = start(
    command,
    { ...env, NODE_OPTIONS: `--import=${PROBE}`, BENCH_CPU_PROBE_FILE: file },
    args,
  );
  const code = await child.exited;
  const wallSeconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`${command} exited ${code}:\n${child.output.join('').slice(-3000)}`);
  const marks = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as ProbeMark);
  rmSync(file);
  const exit = marks.find((m) => m.event === 'probe.exit');
  if (exit === undefined) throw new Error(`${command}: the probe saw no exit`);
  return { wallSeconds, cpuSeconds: exit.cpuUs / 1e6, marks };
}

/** Wall and CPU between each mark of `events` and the mark before it (any mark), summed per event. */
function attribute(
  marks: readonly ProbeMark[],
  events: readonly string[],
): Map<string, { n: number; wallMs: number; cpuUs: number }> {
  const out = new Map(events.map((e) => [e, { n: 0, wallMs: 0, cpuUs: 0 }]));
  for (let i = 1; i < marks.length; i++) {
    const m = marks[i];
    const prev = marks[i - 1];
    const slot = m === undefined ? undefined : out.get(m.event);
    if (m === undefined || prev === undefined || slot === undefined) continue;
    slot.n++;
    slot.wallMs += m.wallMs - prev.wallMs;
    slot.cpuUs += m.cpuUs - prev.cpuUs;
  }
  return out;
}

async function produce(count: number, seed: number): Promise<void> {
  const make = simulatedImpressions(seed, 2);
  await produceImpressions(topic, count, () => make());
}

/** A benchmark has no hurry: an hour before giving up on a sink that is still running. */
function committed(sink: SinkProcess, root: string, high: Map<number, number>): Promise<void> {
  return waitCommitted(storage, root, topic, high, [sink], 60 * 60_000);
}

async function stop(sink: SinkProcess): Promise<void> {
  sink.child.kill('SIGTERM');
  await sink.exited;
}

async function audit(): Promise<AuditJson> {
  const p = start('audit', prodEnv, ['--topic', topic, '--format', 'json']);
  const code = await p.exited;
  const text = p.stdout.join('');
  if (!text.trimStart().startsWith('{'))
    throw new Error(`audit exited ${code}:\n${p.output.join('').slice(-3000)}`);
  return JSON.parse(text) as AuditJson;
}

/** Files and bytes that merged commits put into production's ledger. */
async function mergedIntoProduction(): Promise<{ files: number; bytes: number; rows: number }> {
  const out = { files: 0, bytes: 0, rows: 0 };
  for (let p = 0; p < PARTITIONS; p++)
    for (const e of await readLedger(storage, prodRoot, topic, p))
      if (e.merged !== undefined)
        for (const f of e.files) {
          out.files++;
          out.bytes += f.length;
          out.rows += f.rows;
        }
  return out;
}

function round(n: number, digits = 2): number {
  const k = 10 ** digits;
  return Math.round(n * k) / k;
}

async function main(): Promise<void> {
  const third = Math.floor(EVENTS / 3);
  const thirds = [third, third, EVENTS - 2 * third];
  console.log(`topic ${topic}, ${PARTITIONS} partitions, ${EVENTS} impressions over 2 event days, in thirds`);
  await createTopic(topic, PARTITIONS);
  writeFileSync(
    drConfig,
    JSON.stringify(
      {
        'sink.role': 'dr',
        'output.root': drRoot,
        'kafka.groupId': `${topic}-dr`,
        'kafka.brokers': stack.kafkaBrokers,
        topics: [topic],
        topicClasses: [`${topic}=adserver.impressions`],
      },
      null,
      2,
    ),
  );

  console.log('1. first third; production commits it and stops');
  await produce(thirds[0] ?? 0, 11);
  let production = start('run', prodEnv);
  await committed(production, prodRoot, await highWatermarks(topic));
  await stop(production);

  console.log('2. second third with production down; the DR sink commits the first two thirds');
  await produce(thirds[1] ?? 0, 12);
  const dr = start('run', drEnv);
  await committed(dr, drRoot, await highWatermarks(topic));

  console.log('3. merge while DR runs (--dr-active yes)');
  const mergeArgs = ['--dr-config', drConfig, '--topic', topic];
  const merge1 = await probed('merge', prodEnv, [...mergeArgs, '--dr-active', 'yes']);
  const merged = await mergedIntoProduction();

  console.log('4. production back; last third; both sinks commit it and stop');
  production = start('run', prodEnv);
  await produce(thirds[2] ?? 0, 13);
  const end = await highWatermarks(topic);
  await Promise.all([committed(production, prodRoot, end), committed(dr, drRoot, end)]);
  await Promise.all([stop(production), stop(dr)]);

  console.log('5. last merge (--dr-active no): what DR still holds is covered by production');
  const merge2 = await probed('merge', prodEnv, [...mergeArgs, '--dr-active', 'no']);
  const before = await audit();
  if (!before.ok) throw new Error('audit before compaction failed');

  console.log('6. compact (graceMs 0) and audit');
  const compact = await probed(
    'compact',
    {
      ...prodEnv,
      ADLAKE_SINK_COMPACTION_GRACE_MS: '0',
      ADLAKE_SINK_COMPACTION_TARGET_BYTES: values['target-bytes'],
    },
    ['--topic', topic],
  );
  const after = await audit();
  const rows = after.partitions.reduce((n, p) => n + p.rows, 0);
  const duck = Object.values(after.duckdbRowsPerDay).reduce((n, x) => n + x, 0);
  if (!after.ok || rows !== EVENTS || duck !== EVENTS)
    throw new Error(
      `audit after compaction: ok=${after.ok}, ${rows} ledger rows, ${duck} DuckDB rows, ${EVENTS} sent`,
    );

  const m1 = attribute(merge1.marks, ['merge.merged', 'merge.dropped']);
  const m2 = attribute(merge2.marks, ['merge.merged', 'merge.dropped']);
  const mergedSteps = merge1.marks.filter((m) => m.event === 'merge.merged').map((m) => m.line ?? {});
  const rewritten = mergedSteps.reduce((n, l) => n + (typeof l.rewritten === 'number' ? l.rewritten : 0), 0);
  const mergedRowsLogged = mergedSteps.reduce((n, l) => n + (typeof l.rows === 'number' ? l.rows : 0), 0);
  const mergedSlot = m1.get('merge.merged') ?? { n: 0, wallMs: 0, cpuUs: 0 };
  const dropped = [m1.get('merge.dropped'), m2.get('merge.dropped')].reduce<{
    n: number;
    wallMs: number;
    cpuUs: number;
  }>(
    (acc, s) => ({
      n: acc.n + (s?.n ?? 0),
      wallMs: acc.wallMs + (s?.wallMs ?? 0),
      cpuUs: acc.cpuUs + (s?.cpuUs ?? 0),
    }),
    { n: 0, wallMs: 0, cpuUs: 0 },
  );
  if ((m2.get('merge.merged')?.n ?? 0) > 0)
    throw new Error('the last merge merged rows: production did not cover DR');
  const compactions = compact.marks.filter((m) => m.event === 'compact.committed');
  const cSlot = attribute(compact.marks, ['compact.committed']).get('compact.committed') ?? {
    n: 0,
    wallMs: 0,
    cpuUs: 0,
  };
  const num = (l: Record<string, unknown> | undefined, k: string) => (typeof l?.[k] === 'number' ? l[k] : 0);
  const cBytes = compactions.reduce((n, m) => n + num(m.line, 'bytes'), 0);
  const cRows = compactions.reduce((n, m) => n + num(m.line, 'rows'), 0);
  const cInputs = compactions.reduce((n, m) => n + num(m.line, 'inputs'), 0);

  const table = [
    {
      what: 'merge: merged DR commits',
      commits: mergedSlot.n,
      files: merged.files,
      rows: mergedRowsLogged,
      MB: round(merged.bytes / MB),
      'wall s': round(mergedSlot.wallMs / 1000),
      'CPU s': round(mergedSlot.cpuUs / 1e6),
      'MB/s': round(merged.bytes / MB / (mergedSlot.wallMs / 1000)),
      'rows per CPU-s': Math.round(mergedRowsLogged / (mergedSlot.cpuUs / 1e6)),
      'ms per commit': round(mergedSlot.wallMs / Math.max(1, mergedSlot.n), 1),
    },
    {
      what: 'merge: dropped (covered) DR commits',
      commits: dropped.n,
      'wall s': round(dropped.wallMs / 1000),
      'CPU s': round(dropped.cpuUs / 1e6),
      'ms per commit': round(dropped.wallMs / Math.max(1, dropped.n), 1),
    },
    {
      what: 'merge commands, whole process (2 runs)',
      'wall s': round(merge1.wallSeconds + merge2.wallSeconds),
      'CPU s': round(merge1.cpuSeconds + merge2.cpuSeconds),
    },
    {
      what: 'compaction: joined files',
      commits: cSlot.n,
      files: cInputs,
      rows: cRows,
      MB: round(cBytes / MB),
      'wall s': round(cSlot.wallMs / 1000),
      'CPU s': round(cSlot.cpuUs / 1e6),
      'MB/s': round(cBytes / MB / (cSlot.wallMs / 1000)),
      'rows per CPU-s': Math.round(cRows / (cSlot.cpuUs / 1e6)),
      'ms per commit': round(cSlot.wallMs / Math.max(1, cSlot.n), 1),
    },
    {
      what: 'compact command, whole process',
      rows: cRows,
      MB: round(cBytes / MB),
      'wall s': round(compact.wallSeconds),
      'CPU s': round(compact.cpuSeconds),
      'MB/s': round(cBytes / MB / compact.wallSeconds),
      'rows per CPU-s': Math.round(cRows / compact.cpuSeconds),
    },
  ];
  console.table(table);
  const days = Object.keys(after.filesPerDay).sort();
  const filesPerDay = days.map((dt) => ({
    dt,
    'files before compaction': before.filesPerDay[dt] ?? 0,
    'files after': after.filesPerDay[dt] ?? 0,
    'rows (DuckDB)': after.duckdbRowsPerDay[dt] ?? 0,
  }));
  console.table(filesPerDay);
  console.log(
    `rewritten (straddling) files: ${rewritten}; audit: every offset exactly once, ${rows} rows, DuckDB ${duck}, ${after.files} files, ${round(after.bytes / MB)} MB`,
  );

  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  const dirty =
    execFileSync('git', ['status', '--porcelain', 'libs/sink', 'apps/sink'], { encoding: 'utf8' }).trim() !==
    '';
  const result = {
    at: new Date().toISOString(),
    commit,
    sinkSourcesDirty: dirty,
    loadavg: loadavg(),
    events: EVENTS,
    partitions: PARTITIONS,
    targetBytes: Number(values['target-bytes']),
    table,
    filesPerDay,
    rewrittenFiles: rewritten,
    merge: [merge1, merge2].map((m) => ({ wallSeconds: m.wallSeconds, cpuSeconds: m.cpuSeconds })),
    compact: { wallSeconds: compact.wallSeconds, cpuSeconds: compact.cpuSeconds },
    audit: { ok: after.ok, rows, duckdbRows: duck, files: after.files, bytes: after.bytes },
  };
  mkdirSync('bench/results', { recursive: true });
  const out = `bench/results/dr-maintenance-${result.at.replaceAll(':', '-')}.json`;
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`results: ${out}`);
}

ignoreKafkajsTimerWarning();
try {
  await main();
} finally {
  for (const c of children) if (c.child.exitCode === null) c.child.kill('SIGTERM');
  await Promise.all(children.map((c) => c.exited));
  rmSync(drConfig, { force: true });
  if (values.keep !== true) {
    await deleteTopic(topic).catch(() => undefined);
    await storage.delete(`/data/lake/bench/${run}`, { recursive: true }).catch(() => false);
  }
}
