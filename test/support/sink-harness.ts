// Runs the real sink as a child process (so it can be killed like a real one) and watches its progress
// through what it committed to storage; produces simulated traffic through the typed SDK.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { AdImpression } from '@adlake/events';
import { createProducer, registerCompressionCodecs } from '@adlake/sdk';
import { AdServerSimulator } from '@adlake/simulator';
import { readLedger, WebHdfsStorage } from '@adlake/sink';
import type { Storage } from '@adlake/sink';
import { endpoints, loadStackConfig } from '@adlake/stack';
import { WebHdfsClient } from '@adlake/webhdfs';
import { Kafka, logLevel } from 'kafkajs';
import { uniqueName } from './unique.ts';

const SINK_MAIN = fileURLToPath(new URL('../../apps/sink/src/main.ts', import.meta.url));
export const stack = endpoints(loadStackConfig());

export function kafkaClient(): Kafka {
  return new Kafka({ clientId: 'adlake-test', brokers: stack.kafkaBrokers, logLevel: logLevel.NOTHING });
}

export function hdfsStorage(): Storage {
  return new WebHdfsStorage(new WebHdfsClient({ url: stack.webhdfsUrl, user: stack.hdfsUser }));
}

/** Sink settings as environment variables, for a sink on the real stack writing to HDFS. */
export function sinkEnv(settings: Record<string, string>): Record<string, string> {
  return {
    ADLAKE_SINK_KAFKA_BROKERS: stack.kafkaBrokers.join(','),
    ADLAKE_SINK_REGISTRY_URL: stack.registryUrl,
    ADLAKE_SINK_STORAGE_KIND: 'webhdfs',
    ADLAKE_SINK_STORAGE_WEBHDFS_URL: stack.webhdfsUrl,
    ADLAKE_SINK_STORAGE_USER: stack.hdfsUser,
    ...settings,
  };
}

/**
 * Settings of a sink that reads `topic` as impressions (`topicClasses`) into `root`, in the group
 * `<topic>-sink`; `extra` adds or overrides settings.
 */
export function impressionSinkEnv(
  topic: string,
  root: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return sinkEnv({
    ADLAKE_SINK_TOPICS: topic,
    ADLAKE_SINK_TOPIC_CLASSES: `${topic}=adserver.impressions`,
    ADLAKE_SINK_OUTPUT_ROOT: root,
    ADLAKE_SINK_KAFKA_GROUP_ID: `${topic}-sink`,
    ...extra,
  });
}

/** Endless simulated impressions (the other event kinds skipped), for produceImpressions. */
export function simulatedImpressions(
  seed: number,
  days: number,
): () => Parameters<typeof AdImpression.validate>[0] {
  const sim = new AdServerSimulator({ seed, days, now: Date.now() });
  return () => {
    let e = sim.next();
    while (e.kind !== 'impression') e = sim.next();
    return e.value;
  };
}

export interface SinkProcess {
  child: ChildProcess;
  /** stdout and stderr, interleaved as they came. */
  output: string[];
  /** stdout alone (the audit's JSON). */
  stdout: string[];
  exited: Promise<number | null>;
}

export function startSink(
  command: 'run' | 'audit' | 'merge' | 'compact',
  env: Record<string, string>,
  args: string[] = [],
): SinkProcess {
  const child = spawn(process.execPath, [SINK_MAIN, command, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const stdout: string[] = [];
  child.stdout?.on('data', (c: Buffer) => {
    output.push(c.toString());
    stdout.push(c.toString());
  });
  child.stderr?.on('data', (c: Buffer) => output.push(c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output, stdout, exited };
}

/** Runs `fn` with a connected admin of `kafka` (default the open stack's; a secured cluster's admin too). */
async function withAdmin<T>(kafka: Kafka, fn: (admin: ReturnType<Kafka['admin']>) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}

export async function createTopic(topic: string, partitions: number, kafka = kafkaClient()): Promise<void> {
  await withAdmin(kafka, (a) =>
    a.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true }),
  );
}

export async function deleteTopic(topic: string, kafka = kafkaClient()): Promise<void> {
  await withAdmin(kafka, (a) => a.deleteTopics({ topics: [topic] }));
}

/** Kafka's end offset per partition. */
export function highWatermarks(topic: string, kafka = kafkaClient()): Promise<Map<number, number>> {
  return withAdmin(
    kafka,
    async (a) => new Map((await a.fetchTopicOffsets(topic)).map((o) => [o.partition, Number(o.high)])),
  );
}

/** The ledger's next offset per partition: what is durably committed. */
export async function committedOffsets(
  storage: Storage,
  root: string,
  topic: string,
  partitions: number,
): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (let p = 0; p < partitions; p++)
    out.set(p, (await readLedger(storage, root, topic, p)).at(-1)?.nextOffset ?? 0);
  return out;
}

/** Produces simulated impressions to `topic` through the SDK; resolves with how many were acknowledged. */
export async function produceImpressions(
  topic: string,
  count: number,
  make: (i: number) => Parameters<typeof AdImpression.validate>[0],
): Promise<number> {
  registerCompressionCodecs();
  const producer = createProducer({
    kafka: kafkaClient(),
    registry: { url: stack.registryUrl },
    autoRegister: true,
  });
  await producer.connect();
  try {
    const batch = 1000;
    for (let sent = 0; sent < count; sent += batch) {
      const events = Array.from({ length: Math.min(batch, count - sent) }, (_, i) => make(sent + i));
      await producer.sendBatch(AdImpression, events as never, { topic });
    }
    await producer.flush();
  } finally {
    await producer.close();
  }
  return count;
}

/** Runs an adlake-sink command to its end (a `run` that stops by itself): its exit code and what it printed. */
export async function runSinkToEnd(
  command: 'run' | 'merge' | 'compact' | 'audit',
  env: Record<string, string>,
  args: string[],
): Promise<{ code: number | null; output: string; stdout: string }> {
  const p = startSink(command, env, args);
  const code = await p.exited;
  return { code, output: p.output.join(''), stdout: p.stdout.join('') };
}

/** SIGTERMs a running sink and expects a clean stop (exit 0). */
export async function stopSink(p: SinkProcess): Promise<void> {
  if (p.child.exitCode !== null) return;
  p.child.kill('SIGTERM');
  assert.equal(await p.exited, 0, `a sink did not stop cleanly:\n${p.output.join('').slice(-3000)}`);
}

/**
 * Waits until every partition's ledger in `root` accounts for the offsets in `target`; fails when one of
 * `who` exits meanwhile or `timeoutMs` passes.
 */
export async function waitCommitted(
  storage: Storage,
  root: string,
  topic: string,
  target: ReadonlyMap<number, number>,
  who: readonly SinkProcess[],
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = await committedOffsets(storage, root, topic, target.size);
    if ([...target].every(([p, high]) => (now.get(p) ?? 0) >= high)) return;
    for (const p of who)
      if (p.child.exitCode !== null) assert.fail(`a sink exited early:\n${p.output.join('').slice(-3000)}`);
    if (Date.now() > deadline)
      assert.fail(`${root} did not commit ${JSON.stringify([...target])}: ${JSON.stringify([...now])}`);
    await sleep(500);
  }
}

/** Writes a DR sink's settings to a file, as `merge --dr-config` reads them. */
export function drConfigFile(settings: Record<string, unknown>): string {
  const file = join(tmpdir(), `${uniqueName('dr')}.json`);
  writeFileSync(file, JSON.stringify(settings));
  return file;
}
