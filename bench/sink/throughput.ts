// Sink throughput: events per CPU-second of the sink process, end to end (Kafka fetch, Avro decode and
// resolution, Parquet, WebHDFS write, commit), on the demo's event mix. Preloads the events, starts the
// real sink on a fresh consumer group and output root, and reads the process's CPU time from /proc when
// the ledger says everything is committed. A second sink on an empty topic measures the start-up CPU,
// reported separately so the steady-state figure is visible too.
//
//   node bench/sink/throughput.ts [--events 300000] [--storage webhdfs|local] [--profile DIR] [--secure]
//
// --secure runs the same on the secured stack (kafka-secure: TLS + SCRAM-SHA-512 + ACLs; registry-secure:
// Keycloak tokens), started if needed: the sink as its own principal, topics and groups named as its ACLs
// allow (docs/security.md). Run it beside a run without it for the cost of TLS and SASL.
//
// --profile writes a V8 CPU profile of the measured sink process into DIR (open it in Chrome DevTools or
// summarise it with bench/sink/profile-summary.ts); profiling itself costs CPU, so its figures are not results.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AdClick, AdEngagement, AdImpression } from '@adlake/events';
import {
  createProducer,
  createRegistryClient,
  ignoreKafkajsTimerWarning,
  registerCompressionCodecs,
} from '@adlake/sdk';
import { loadStackConfig, silentLogger, up } from '@adlake/stack';
import { Kafka, logLevel } from 'kafkajs';
import { AdServerSimulator } from '@adlake/simulator';
import { LocalStorage } from '@adlake/sink';
import type { Storage } from '@adlake/sink';
import {
  committedOffsets,
  createTopic as createTopicAs,
  deleteTopic as deleteTopicAs,
  hdfsStorage,
  highWatermarks as highWatermarksAs,
  kafkaClient,
  sinkEnv,
  stack,
  startSink,
} from '../../test/support/sink-harness.ts';
import type { SinkProcess } from '../../test/support/sink-harness.ts';
import { uniqueName } from '../../test/support/unique.ts';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '300000' },
    storage: { type: 'string', default: 'webhdfs' },
    partitions: { type: 'string', default: '3' },
    profile: { type: 'string' },
    secure: { type: 'boolean', default: false },
  },
});
const SECURE = values.secure;
const EVENTS = Number(values.events);
const PARTITIONS = Number(values.partitions);
const CLK_TCK = 100;
// On the secured cluster the names must fall under the ACLs' prefixes: ad topics, the sink's groups.
const run = SECURE ? `adserver.${uniqueName('bench')}` : uniqueName('bench');
const group = (name: string) => (SECURE ? `adlake-${name}` : name);
const classes = { impression: AdImpression, click: AdClick, engagement: AdEngagement } as const;
const topics = { impression: `${run}.impressions`, click: `${run}.clicks`, engagement: `${run}.engagements` };
const localDir = `/tmp/${run}-lake`;
const storage: Storage =
  values.storage === 'local' ? new LocalStorage(localDir, { fsync: false }) : hdfsStorage();

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  // utime and stime are fields 14 and 15 of /proc/<pid>/stat (11 and 12 after the command name).
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

/**
 * CPU seconds per kind of thread of a process (/proc/<pid>/task/*): the main JavaScript thread, V8's
 * workers (concurrent GC and compilation) and libuv's pool (async zlib, fs), so a change can be placed.
 */
function cpuByThread(pid: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let comm: string;
    let stat: string;
    try {
      comm = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended meanwhile
    }
    const fields = stat.split(') ')[1]?.split(' ') ?? [];
    const kind =
      Number(tid) === pid
        ? 'main'
        : comm.startsWith('V8')
          ? 'v8'
          : comm.startsWith('libuv')
            ? 'libuv'
            : 'other';
    out[kind] = (out[kind] ?? 0) + (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  }
  return out;
}

function env(root: string, group: string, list: string[]): Record<string, string> {
  return sinkEnv({
    ADLAKE_SINK_TOPICS: list.join(','),
    ADLAKE_SINK_TOPIC_CLASSES: [
      `${topics.impression}=adserver.impressions`,
      `${topics.click}=adserver.clicks`,
      `${topics.engagement}=adserver.engagements`,
    ].join(','),
    ADLAKE_SINK_OUTPUT_ROOT: root,
    ADLAKE_SINK_KAFKA_GROUP_ID: group,
    ADLAKE_SINK_ROTATION_MAX_RECORDS: '100000',
    ADLAKE_SINK_ROTATION_INTERVAL_MS: '2000',
    ADLAKE_SINK_STORAGE_KIND: values.storage === 'local' ? 'local' : 'webhdfs',
    ADLAKE_SINK_STORAGE_LOCAL_DIR: localDir,
    ...secureSinkEnv(),
  });
}

const secret = (file: string) => readFileSync(file, 'utf8').trim();

/** A Kafka client for the open stack, or for `principal` on the secured one. */
function kafkaAs(principal: 'admin' | 'producer'): Kafka {
  if (!SECURE) return kafkaClient();
  const user = stack.secureKafka.users[principal];
  return new Kafka({
    clientId: `bench-${principal}`,
    brokers: stack.secureKafka.brokers,
    logLevel: logLevel.NOTHING,
    ssl: { ca: [readFileSync(stack.secureKafka.caFile, 'utf8')] },
    sasl: { mechanism: 'scram-sha-512', username: user.username, password: secret(user.passwordFile) },
  });
}

const admin = () => kafkaAs('admin');
const createTopic = (topic: string, partitions: number) => createTopicAs(topic, partitions, admin());
const deleteTopic = (topic: string) => deleteTopicAs(topic, admin());
const highWatermarks = (topic: string) => highWatermarksAs(topic, admin());

/** The sink's Kafka and registry settings on the secured stack, secrets by file. */
function secureSinkEnv(): Record<string, string> {
  if (!SECURE) return {};
  const k = stack.secureKafka;
  const r = stack.secureRegistry;
  return {
    ADLAKE_SINK_KAFKA_BROKERS: k.brokers.join(','),
    ADLAKE_SINK_KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
    ADLAKE_SINK_KAFKA_SSL_CA_FILE: k.caFile,
    ADLAKE_SINK_KAFKA_SASL_USERNAME: k.users.sink.username,
    ADLAKE_SINK_KAFKA_SASL_PASSWORD_FILE: k.users.sink.passwordFile,
    ADLAKE_SINK_DLQ_TOPIC: `adlake.sink.dlq.${run}`,
    ADLAKE_SINK_REGISTRY_URL: r.url,
    ADLAKE_SINK_REGISTRY_AUTH: 'client-credentials',
    ADLAKE_SINK_REGISTRY_TOKEN_URL: r.tokenUrl,
    ADLAKE_SINK_REGISTRY_CLIENT_ID: r.clients.reader.clientId,
    ADLAKE_SINK_REGISTRY_CLIENT_SECRET_FILE: r.clients.reader.secretFile,
  };
}

async function preload(): Promise<void> {
  registerCompressionCodecs();
  for (const t of Object.values(topics)) await createTopic(t, PARTITIONS);
  // The sink may not create its dead-letter topic on the secured cluster.
  if (SECURE) await createTopic(`adlake.sink.dlq.${run}`, 1);
  const producer = createProducer({
    kafka: kafkaAs('producer'),
    registry: SECURE
      ? createRegistryClient({
          url: stack.secureRegistry.url,
          clientCredentials: {
            tokenUrl: stack.secureRegistry.tokenUrl,
            clientId: stack.secureRegistry.clients.release.clientId,
            clientSecret: secret(stack.secureRegistry.clients.release.secretFile),
          },
        })
      : { url: stack.registryUrl },
    autoRegister: true,
  });
  await producer.connect();
  const sim = new AdServerSimulator({ seed: 3, days: 2, now: Date.now() });
  for (let sent = 0; sent < EVENTS; sent += 5000) {
    const groups = { impression: [] as unknown[], click: [] as unknown[], engagement: [] as unknown[] };
    for (let i = 0; i < Math.min(5000, EVENTS - sent); i++) {
      const e = sim.next();
      groups[e.kind].push(e.value);
    }
    await Promise.all(
      (Object.keys(groups) as (keyof typeof groups)[]).map((k) =>
        producer.sendBatch(classes[k] as never, groups[k] as never, { topic: topics[k] }),
      ),
    );
    process.stderr.write(`preloaded ${Math.min(EVENTS, sent + 5000)}/${EVENTS}\r`);
  }
  await producer.close();
  process.stderr.write('\n');
}

async function waitCommitted(
  sink: SinkProcess,
  root: string,
  targets: Map<string, Map<number, number>>,
): Promise<void> {
  for (;;) {
    let done = true;
    for (const [topic, high] of targets) {
      const committed = await committedOffsets(storage, root, topic, PARTITIONS);
      if (![...high].every(([p, h]) => (committed.get(p) ?? 0) >= h)) done = false;
    }
    if (done) return;
    if (sink.child.exitCode !== null) throw new Error(`sink exited: ${sink.output.join('').slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function main(): Promise<void> {
  if (SECURE) {
    await up(loadStackConfig(), {
      services: [
        'kafka-secure',
        'registry-secure',
        ...(values.storage === 'local' ? [] : (['hdfs'] as const)),
      ],
      log: silentLogger,
    });
  }
  console.log(
    `preloading ${EVENTS} events (demo mix: 70% impressions, 20% engagements, 10% clicks) into ${PARTITIONS}-partition topics`,
  );
  await preload();
  const targets = new Map<string, Map<number, number>>();
  for (const t of Object.values(topics)) targets.set(t, await highWatermarks(t));

  // Start-up cost: a sink on an empty topic, measured once it has joined its group.
  const idleTopic = `${run}.idle`;
  await createTopic(idleTopic, 1);
  const idle = startSink('run', {
    ...env(`/data/lake/bench/${run}-idle`, group(`${run}-idle`), [idleTopic]),
    ADLAKE_SINK_TOPIC_CLASSES: `${idleTopic}=adserver.impressions`,
  });
  while (!idle.output.join('').includes('"event":"assignment"')) await new Promise((r) => setTimeout(r, 100));
  const startupCpu = cpuSeconds(idle.child.pid ?? 0);
  idle.child.kill('SIGTERM');
  await idle.exited;

  const root = `/data/lake/bench/${run}`;
  const started = performance.now();
  const sink = startSink('run', {
    ...env(root, group(`${run}-sink`), Object.values(topics)),
    ...(values.profile === undefined
      ? {}
      : { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${values.profile} --cpu-prof-interval=500` }),
  });
  await waitCommitted(sink, root, targets);
  const wall = (performance.now() - started) / 1000;
  const cpu = cpuSeconds(sink.child.pid ?? 0);
  const threads = cpuByThread(sink.child.pid ?? 0);
  sink.child.kill('SIGTERM');
  await sink.exited;

  const result = {
    events: EVENTS,
    kafka: SECURE ? 'SASL_SSL (SCRAM-SHA-512), registry tokens' : 'PLAINTEXT',
    storage: values.storage,
    partitions: PARTITIONS * 3,
    sinkCpuSeconds: round(cpu),
    startupCpuSeconds: round(startupCpu),
    wallSeconds: round(wall),
    eventsPerCpuSecond: Math.round(EVENTS / cpu),
    eventsPerCpuSecondExcludingStartup: Math.round(EVENTS / Math.max(0.001, cpu - startupCpu)),
    eventsPerWallSecond: Math.round(EVENTS / wall),
    mainThreadCpuSeconds: round(threads['main'] ?? 0),
    v8WorkerCpuSeconds: round(threads['v8'] ?? 0),
    libuvCpuSeconds: round(threads['libuv'] ?? 0),
    otherThreadsCpuSeconds: round(threads['other'] ?? 0),
  };
  console.table(result);
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(`bench/results/sink-${run}.json`, `${JSON.stringify(result, null, 2)}\n`);

  for (const t of [...Object.values(topics), idleTopic, ...(SECURE ? [`adlake.sink.dlq.${run}`] : [])])
    await deleteTopic(t).catch(() => undefined);
  await storage
    .delete(values.storage === 'local' ? '/' : `/data/lake/bench`, { recursive: true })
    .catch(() => false);
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

ignoreKafkajsTimerWarning();
await main();
