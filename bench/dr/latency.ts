// Event-to-queryable latency under steady load, with the compactor running, on the real local stack:
//   - the real sink (`adlake-sink run`, HDFS over WebHDFS) commits each partition every --rotation-ms;
//   - `adlake-sink compact --watch` runs a pass every --interval-ms, joining files older than --grace-ms;
//   - a producer sends --rate events per second for --seconds through the SDK; every --sample-every-th
//     event's id is remembered with the wall-clock time just before its batch was handed to the producer;
//   - a poller lists the topic's day directories on HDFS every --poll-ms, downloads each committed file it
//     has not read yet and reads its event_id column with DuckDB; a sampled event is queryable from the
//     listing that first showed a file holding it. Latency = that listing's start - the event's send time,
//     so it is late by at most one poll interval plus the listing itself.
// At the end (every sample found, then a grace period and a compaction pass later) it reports p50 and p99,
// the sample count, and files and bytes per file per day, and runs the audit (the bench fails unless it
// passes).
//
//   node bench/dr/latency.ts [--rate 2000] [--seconds 180] [--rotation-ms 15000] [--interval-ms 10000]
//     [--grace-ms 30000] [--poll-ms 1000] [--sample-every 20] [--partitions 3] [--keep]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { AdImpression } from '@adlake/events';
import type { AdImpressionInput } from '@adlake/events';
import { createProducer, ignoreKafkajsTimerWarning, registerCompressionCodecs } from '@adlake/sdk';
import { parseFileName, topicDir } from '@adlake/sink';
import {
  createTopic,
  deleteTopic,
  hdfsStorage,
  impressionSinkEnv,
  kafkaClient,
  simulatedImpressions,
  stack,
  startSink,
} from '../../test/support/sink-harness.ts';
import type { SinkProcess } from '../../test/support/sink-harness.ts';
import { uniqueName } from '../../test/support/unique.ts';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '2000' },
    seconds: { type: 'string', default: '180' },
    'rotation-ms': { type: 'string', default: '15000' },
    'interval-ms': { type: 'string', default: '10000' },
    'grace-ms': { type: 'string', default: '30000' },
    'poll-ms': { type: 'string', default: '1000' },
    'sample-every': { type: 'string', default: '20' },
    partitions: { type: 'string', default: '3' },
    keep: { type: 'boolean', default: false },
  },
});
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const ROTATION_MS = Number(values['rotation-ms']);
const INTERVAL_MS = Number(values['interval-ms']);
const GRACE_MS = Number(values['grace-ms']);
const POLL_MS = Number(values['poll-ms']);
const SAMPLE_EVERY = Number(values['sample-every']);
const PARTITIONS = Number(values.partitions);
const run = uniqueName('benchlat');
const topic = `${run}.impressions`;
const root = `/data/lake/bench/${run}`;
const storage = hdfsStorage();
const work = mkdtempSync(path.join(tmpdir(), `${run}-`));
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

const env = impressionSinkEnv(topic, root, {
  ADLAKE_SINK_ROTATION_INTERVAL_MS: String(ROTATION_MS),
  ADLAKE_SINK_COMPACTION_GRACE_MS: String(GRACE_MS),
  ADLAKE_SINK_MAINTENANCE_INTERVAL_MS: String(INTERVAL_MS),
});
const children: SinkProcess[] = [];
let keep = values.keep === true;

/** Send time (epoch ms) of each sampled event, by event_id; removed once found. */
const pending = new Map<string, number>();
const latencies: number[] = [];
let producing = true;

async function produce(): Promise<number> {
  registerCompressionCodecs();
  const producer = createProducer({
    kafka: kafkaClient(),
    registry: { url: stack.registryUrl },
    autoRegister: true,
  });
  await producer.connect();
  // The simulator yields impressions; the harness types them loosely (validate's parameter).
  const next = simulatedImpressions(21, 1);
  const make = () => next() as AdImpressionInput;
  let sent = 0;
  const started = performance.now();
  try {
    for (;;) {
      const elapsed = (performance.now() - started) / 1000;
      if (elapsed >= SECONDS) break;
      // Catch up to the schedule: a slow send makes the next batch larger, so the rate holds on average.
      const due = Math.floor(RATE * elapsed) - sent;
      if (due > 0) {
        const batch = Array.from({ length: due }, () => make());
        const at = Date.now();
        for (const [i, e] of batch.entries())
          if ((sent + i) % SAMPLE_EVERY === 0) pending.set(e.event_id, at);
        await producer.sendBatch(AdImpression, batch, { topic });
        sent += due;
      }
      await wait(50);
    }
    await producer.flush();
  } finally {
    await producer.close();
  }
  return sent;
}

interface PollStats {
  polls: number;
  downloads: number;
  downloadedBytes: number;
  vanished: number;
}

/** Lists the tree, reads new files' event ids with DuckDB, and records when each sample first appears. */
async function poll(stats: PollStats, seen: Set<string>): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  try {
    while (producing || pending.size > 0) {
      const listedAt = Date.now();
      stats.polls++;
      const fresh: string[] = [];
      for (const day of await storage.list(topicDir(root, topic)))
        if (day.type === 'directory' && day.name.startsWith('dt='))
          for (const f of await storage.list(day.path))
            if (f.type === 'file' && parseFileName(f.name) !== undefined && !seen.has(f.path))
              fresh.push(f.path);
      for (const p of fresh) {
        let bytes: Uint8Array;
        try {
          bytes = await storage.read(p);
        } catch {
          // Joined away by the compactor between the listing and the read: its rows are in the joined file.
          stats.vanished++;
          continue;
        }
        seen.add(p);
        stats.downloads++;
        stats.downloadedBytes += bytes.byteLength;
        const local = path.join(work, `f${stats.downloads}.parquet`);
        writeFileSync(local, bytes);
        const ids = await db.runAndReadAll(`SELECT event_id FROM read_parquet('${local}')`);
        for (const [id] of ids.getRowsJS() as [string][]) {
          const sentAt = pending.get(id);
          if (sentAt === undefined) continue;
          latencies.push(listedAt - sentAt);
          pending.delete(id);
        }
        rmSync(local);
      }
      const next = listedAt + POLL_MS - Date.now();
      if (next > 0) await wait(next);
    }
  } finally {
    db.closeSync();
  }
}

function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}

async function filesPerDay(): Promise<{ dt: string; files: number; bytes: number; bytesPerFile: number }[]> {
  const out = [];
  for (const day of await storage.list(topicDir(root, topic))) {
    if (day.type !== 'directory' || !day.name.startsWith('dt=')) continue;
    const files = (await storage.list(day.path)).filter(
      (f) => f.type === 'file' && parseFileName(f.name) !== undefined,
    );
    const bytes = files.reduce((n, f) => n + f.length, 0);
    out.push({
      dt: day.name.slice(3),
      files: files.length,
      bytes,
      bytesPerFile: Math.round(bytes / Math.max(1, files.length)),
    });
  }
  return out;
}

async function main(): Promise<void> {
  console.log(
    `topic ${topic}, ${PARTITIONS} partitions; ${RATE} events/s for ${SECONDS} s; rotation.intervalMs ${ROTATION_MS}, ` +
      `compact --watch every ${INTERVAL_MS} ms with graceMs ${GRACE_MS}; poll every ${POLL_MS} ms; 1 in ${SAMPLE_EVERY} events sampled`,
  );
  await createTopic(topic, PARTITIONS);
  const sink = startSink('run', env);
  children.push(sink);
  while (!sink.output.join('').includes('"event":"assignment"')) {
    if (sink.child.exitCode !== null) throw new Error(`sink exited: ${sink.output.join('').slice(-2000)}`);
    await wait(200);
  }
  const stats: PollStats = { polls: 0, downloads: 0, downloadedBytes: 0, vanished: 0 };
  const seen = new Set<string>();
  // The compactor starts once the tree exists, as it would beside a running sink.
  let compactor: SinkProcess | undefined;
  const poller = poll(stats, seen);
  // Awaited below; this only keeps an early failure from ending the process before the children are stopped.
  poller.catch(() => undefined);
  const started = performance.now();
  const producer = produce().finally(() => {
    producing = false;
  });
  while (compactor === undefined) {
    if ((await storage.list(topicDir(root, topic))).length > 0) {
      compactor = startSink('compact', env, ['--watch', '--topic', topic]);
      children.push(compactor);
    } else await wait(1000);
  }
  const sent = await producer;
  const sendSeconds = (performance.now() - started) / 1000;
  const samples = latencies.length + pending.size;
  console.log(
    `sent ${sent} events in ${sendSeconds.toFixed(1)} s; waiting for the last samples to become queryable`,
  );
  const deadline = Date.now() + ROTATION_MS + 120_000;
  while (pending.size > 0 && Date.now() < deadline) await wait(1000);
  const missing = pending.size;
  producing = false;
  pending.clear();
  await poller;
  const lastFound = Date.now();

  // Let the compactor join everything past its grace period before counting files.
  const settleMs = GRACE_MS + 2 * INTERVAL_MS + ROTATION_MS;
  console.log(
    `all samples in; waiting ${Math.round(settleMs / 1000)} s for compaction passes before counting files`,
  );
  await wait(Math.max(0, lastFound + settleMs - Date.now()));
  const days = await filesPerDay();
  // A compactor or sink that stopped by itself failed (compact.failed in its log): that fails the bench.
  const early = (
    [
      ['sink', sink],
      ['compactor', compactor],
    ] as const
  ).flatMap(([name, p]) => (p.child.exitCode !== null ? [`${name} exited ${p.child.exitCode}`] : []));
  sink.child.kill('SIGTERM');
  compactor.child.kill('SIGTERM');
  await Promise.all([sink.exited, compactor.exited]);
  const compactLog = compactor.output.join('');
  const compactions = compactLog.split('\n').filter((l) => l.includes('"event":"compact.committed"')).length;
  const commits = sink.output
    .join('')
    .split('\n')
    .filter((l) => l.includes('"event":"partition.committed"')).length;

  const sorted = [...latencies].sort((a, b) => a - b);
  const summary = {
    'events sent': sent,
    'send rate (events/s)': Math.round(sent / sendSeconds),
    samples,
    'samples found': latencies.length,
    'samples never found': missing,
    'p50 latency s': Math.round(percentile(sorted, 0.5)) / 1000,
    'p99 latency s': Math.round(percentile(sorted, 0.99)) / 1000,
    'max latency s': Math.round(sorted.at(-1) ?? Number.NaN) / 1000,
    'min latency s': Math.round(sorted[0] ?? Number.NaN) / 1000,
    'sink commits': commits,
    compactions,
    polls: stats.polls,
    'files downloaded': stats.downloads,
    'files vanished before read': stats.vanished,
  };
  console.table(summary);
  console.table(days);
  const auditRun = startSink('audit', env, ['--topic', topic, '--format', 'json']);
  children.push(auditRun);
  await auditRun.exited;
  const auditText = auditRun.stdout.join('');
  const audited = auditText.trimStart().startsWith('{')
    ? (JSON.parse(auditText) as { ok: boolean; partitions: { rows: number }[] })
    : { ok: false, partitions: [] };
  const rows = audited.partitions.reduce((n, p) => n + p.rows, 0);
  const auditOk = audited.ok && rows === sent && early.length === 0;
  if (early.length > 0)
    console.log(
      `FAILED: ${early.join(', ')}:\n${compactLog
        .split('\n')
        .filter((l) => l.includes('.failed'))
        .join('\n')}`,
    );
  console.log(
    auditOk
      ? `audit: every offset exactly once, ${rows} rows`
      : `AUDIT FAILED: ok=${audited.ok}, ${rows} rows for ${sent} sent`,
  );

  const at = new Date().toISOString();
  const result = {
    at,
    commit: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim(),
    sinkSourcesDirty:
      execFileSync('git', ['status', '--porcelain', 'libs/sink', 'apps/sink'], {
        encoding: 'utf8',
      }).trim() !== '',
    loadavg: loadavg(),
    settings: {
      rate: RATE,
      seconds: SECONDS,
      rotationIntervalMs: ROTATION_MS,
      maintenanceIntervalMs: INTERVAL_MS,
      compactionGraceMs: GRACE_MS,
      pollMs: POLL_MS,
      sampleEvery: SAMPLE_EVERY,
      partitions: PARTITIONS,
    },
    summary,
    audit: { ok: auditOk, rows },
    filesPerDay: days,
    latencyMsPercentiles: Object.fromEntries(
      [0.5, 0.9, 0.95, 0.99, 1].map((q) => [`p${q * 100}`, percentile(sorted, q)]),
    ),
  };
  mkdirSync('bench/results', { recursive: true });
  const out = `bench/results/latency-${at.replaceAll(':', '-')}.json`;
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`results: ${out}`);
  if (!auditOk) {
    // The tree stays for a look: the audit's findings in text, and the paths to inspect.
    const text = startSink('audit', env, ['--topic', topic]);
    await text.exited;
    console.log(text.output.join(''));
    keep = true;
    throw new Error(`the audit failed; topic ${topic} and ${root} are kept`);
  }
}

ignoreKafkajsTimerWarning();
try {
  await main();
} finally {
  producing = false;
  pending.clear();
  for (const c of children) if (c.child.exitCode === null) c.child.kill('SIGTERM');
  await Promise.all(children.map((c) => c.exited));
  rmSync(work, { recursive: true, force: true });
  if (!keep) {
    await deleteTopic(topic).catch(() => undefined);
    await storage.delete(root, { recursive: true }).catch(() => false);
  }
}
