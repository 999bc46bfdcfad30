// The sink process: consumes the configured topics with kafkajs, feeds each fetched batch to the sink
// engine, dead-letters through Kafka, commits Kafka offsets after each durable commit (for lag monitoring
// only: the ledger in storage is the truth), and shuts down by committing what it holds.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  checkConsumerAccess,
  createWireDecoder,
  deadLetter,
  isRetriable,
  kafkaAccessError,
  KafkaRefusals,
  registerCompressionCodecs,
} from '@adlake/sdk';
import type { WireDecoder } from '@adlake/sdk';
import { createParquetFileWriter, DailyPartitioner, ddlPath, hiveCreateTable, SinkTask } from '@adlake/sink';
import type { SinkRecord, SinkSettings } from '@adlake/sink';
import { retry } from '@adlake/retry';
import { Partitioners } from 'kafkajs';
import type { Consumer, Producer } from 'kafkajs';
import type { Logger } from './log.ts';
import { Lifecycle } from './lifecycle.ts';
import { serveMetrics } from './metrics.ts';
import { placeRecord, recordDecoder } from './records.ts';
import type { RecordDecode } from './records.ts';
import {
  buildKafka,
  buildRegistry,
  kafkaAccess,
  buildStorage,
  eventClassesByTopic,
  loadEventModules,
  resolveTopics,
  withTopicAliases,
} from './wiring.ts';

export interface RunningSink {
  task: SinkTask;
  /** Commits everything buffered, leaves the group and disconnects, within `shutdown.timeoutMs`. */
  stop(): Promise<void>;
  /** Resolves when the sink has stopped for good (after stop, or a fatal error). */
  done: Promise<void>;
  /** Why the sink failed (the process must exit non-zero), or undefined after a requested stop. */
  readonly fatal: string | undefined;
}

export async function runSink(
  settings: SinkSettings,
  log: Logger,
  lifecycle: Lifecycle = new Lifecycle(log, settings['shutdown.timeoutMs']),
): Promise<RunningSink> {
  // Producers compress with zstd by default: the consumer must be able to read it.
  registerCompressionCodecs();
  const classes = withTopicAliases(
    settings,
    eventClassesByTopic(await loadEventModules(settings.eventModules)),
  );
  const topics = resolveTopics(settings, classes);
  const storage = buildStorage(settings);
  const registry = buildRegistry(settings);
  const refusals = new KafkaRefusals();
  const kafka = buildKafka(settings, log, refusals);
  const root = settings['output.root'];
  const writerId = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;

  const decoders = new Map<string, WireDecoder<unknown>>();
  const partitioner = new DailyPartitioner({
    timestampField: settings['partition.timestampField'],
    timezone: settings['partition.timezone'],
  });
  const decodes = new Map<string, RecordDecode>();
  for (const topic of topics) {
    const readerClass = classes.get(topic);
    if (readerClass === undefined) continue;
    // Lossless: every valid value reaches Parquet unchanged, whatever long representation the classes use.
    const decoder = createWireDecoder({ registry, readerClass: readerClass as never, values: 'lossless' });
    decoders.set(topic, decoder);
    decodes.set(topic, recordDecoder(decoder, readerClass.schema, settings['partition.timestampField']));
  }

  const admin = kafka.admin();
  const producer: Producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    // Dead letters are keyed like the records they carry: Java-compatible murmur2, as the SDK's producer.
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  const consumer: Consumer = kafka.consumer({
    groupId: settings['kafka.groupId'],
    allowAutoTopicCreation: false,
    maxBytesPerPartition: 8 * 1024 * 1024,
    maxBytes: 64 * 1024 * 1024,
    sessionTimeout: settings['kafka.sessionTimeoutMs'],
    heartbeatInterval: Math.max(500, Math.floor(settings['kafka.sessionTimeoutMs'] / 10)),
  });
  await checkRegistryAccess(registry, classes.get(topics[0] ?? '')?.subject, log);
  const access = kafkaAccess(settings, [...topics, settings['dlq.topic']]);
  try {
    await Promise.all([admin.connect(), producer.connect(), consumer.connect()]);
    // A missing ACL is one clear error now, not a retry loop once consuming (see checkConsumerAccess).
    await checkConsumerAccess(admin, { ...access, topics }, refusals);
    await ensureTopic(admin, settings['dlq.topic'], log);
  } catch (error) {
    await Promise.all([admin.disconnect(), producer.disconnect(), consumer.disconnect()]).catch(
      () => undefined,
    );
    throw kafkaAccessError(error, access, refusals) ?? error;
  }

  // kafkajs heartbeats only from its fetch loop or from inside eachBatch: a commit retrying through an HDFS
  // outage keeps the membership alive through the latest batch's heartbeat.
  let latestHeartbeat: (() => Promise<void>) | undefined;
  const task = new SinkTask({
    heartbeat: async () => {
      await latestHeartbeat?.();
    },
    storage,
    root,
    writerId,
    decode: (topic, value) => {
      const decode = decodes.get(topic);
      return decode === undefined
        ? { ok: false, code: 'NO_READER_CLASS', reason: `no event class for topic ${topic}` }
        : decode(value);
    },
    deadLetter: async (letters) => {
      for (const l of letters) {
        await deadLetter(
          producer,
          settings['dlq.topic'],
          {
            topic: l.topic,
            partition: l.partition,
            offset: String(l.record.offset),
            timestamp: String(l.record.timestamp),
            key: l.record.key,
            value: l.record.value,
            headers: l.record.headers,
          },
          { code: l.code, reason: l.reason },
        );
      }
    },
    place: (_topic, value, ts) => placeRecord(partitioner, value, ts),
    newWriter: (topic) => {
      const c = classes.get(topic);
      return createParquetFileWriter({
        avroSchema: c?.schema,
        values: 'lossless',
        compression: settings['parquet.compression'],
        timestamps: settings['parquet.timestamps'],
        rowGroupRows: settings['parquet.rowGroupRows'],
        pageSizeBytes: settings['parquet.pageSizeBytes'],
      });
    },
    rotation: {
      maxRecords: settings['rotation.maxRecords'],
      maxFileBytes: settings['rotation.maxFileBytes'],
      intervalMs: settings['rotation.intervalMs'],
    },
    memoryBudgetBytes: settings['memory.budgetBytes'],
    lowWatermark: async (topic, partition) => {
      const offsets = await admin.fetchTopicOffsets(topic);
      return Number(offsets.find((o) => o.partition === partition)?.low ?? 0);
    },
    log,
  });
  task.onCommit = async (entry) => {
    // Lag monitoring only: a crash before this line costs a replay that the ledger turns into no-ops.
    await consumer
      .commitOffsets([{ topic: entry.topic, partition: entry.partition, offset: String(entry.nextOffset) }])
      .catch((error: unknown) => {
        log.warn('kafka.offset-commit-failed', {
          topic: entry.topic,
          partition: entry.partition,
          message: String(error),
        });
      });
  };

  // A DR sink's files reach the Hive table only through the merger: one table, one location.
  for (const topic of settings['sink.role'] === 'dr' ? [] : topics) {
    const c = classes.get(topic);
    const ddl = hiveCreateTable(c?.schema, {
      topic,
      root,
      compression: settings['parquet.compression'],
      timestamps: settings['parquet.timestamps'],
    });
    await storage.writeFile(ddlPath(root, topic), new TextEncoder().encode(`${ddl}\n`));
  }

  consumer.on(consumer.events.GROUP_JOIN, (event) => {
    const assignment = event.payload.memberAssignment as Record<string, number[]>;
    // A partition that cannot recover would never be consumed again by this member: fatal.
    void onAssignment(assignment).catch((error: unknown) => {
      const fields = { message: String(error), code: errorCode(error) };
      if (lifecycle.stopping) log.warn('assignment.failed-while-stopping', fields);
      else lifecycle.fail('assignment failed', fields);
    });
  });
  /** Recovery waits out a storage outage (about three minutes); a partition that cannot recover is fatal. */
  async function assignWithRetry(topic: string, partition: number): Promise<number | null> {
    // Recovery reads the ledger over WebHDFS: a storage hiccup is waited out (1 s doubling to 30 s, 10 tries).
    return retry(() => task.assign(topic, partition), {
      maxAttempts: 10,
      initialDelayMs: 1_000,
      maxDelayMs: 30_000,
      multiplier: 2,
      jitter: 0,
      retriable: isRetriable,
      onRetry: ({ attempt, error }) =>
        log.warn('partition.recovery-retry', { topic, partition, attempt, message: String(error) }),
    });
  }

  async function onAssignment(assignment: Record<string, number[]>): Promise<void> {
    const wanted = new Set(Object.entries(assignment).flatMap(([t, ps]) => ps.map((p) => `${t}-${p}`)));
    for (const { topic, partition } of task.assigned())
      if (!wanted.has(`${topic}-${partition}`)) task.revoke(topic, partition);
    const have = new Set(task.assigned().map(({ topic, partition }) => `${topic}-${partition}`));
    for (const [topic, partitions] of Object.entries(assignment)) {
      for (const partition of partitions) {
        if (have.has(`${topic}-${partition}`)) continue;
        const next = await assignWithRetry(topic, partition);
        // Start where the ledger says; a batch already in flight from elsewhere is corrected by the engine.
        if (next !== null) {
          try {
            consumer.seek({ topic, partition, offset: String(next) });
          } catch (error) {
            // kafkajs refuses a seek while the consumer is not running (starting, stopping): the engine's
            // offset check on the partition's first batch moves the consumer instead.
            log.warn('partition.seek-deferred', { topic, partition, offset: next, message: String(error) });
          }
        }
      }
    }
    log.info('assignment', { partitions: [...wanted] });
  }

  const metrics = await serveMetrics(
    settings['metrics.port'],
    () => ({
      records_total: task.stats.records,
      rows_total: task.stats.rows,
      dead_lettered_total: task.stats.deadLettered,
      replayed_skipped_total: task.stats.skippedAlreadyCommitted,
      timestamp_from_kafka_total: task.stats.timestampFromKafka,
      commits_total: task.stats.commits,
      commit_failures_total: task.stats.commitFailures,
      files_written_total: task.stats.filesWritten,
      bytes_written_total: task.stats.bytesWritten,
      buffered_bytes: task.bufferedBytes,
      assigned_partitions: task.assigned().length,
      up: lifecycle.fatal === undefined ? 1 : 0,
      commit_failing_seconds: task.failingSince === undefined ? 0 : (Date.now() - task.failingSince) / 1000,
    }),
    () =>
      lifecycle.health({
        failingSince: task.failingSince,
        outageMs: settings['health.storageOutageMs'],
        now: Date.now(),
      }),
  );

  const tickEvery = Math.max(100, Math.min(1000, Math.floor(settings['rotation.intervalMs'] / 4)));
  const timer = setInterval(() => {
    task.tick().catch((error: unknown) => {
      // Storage outages are retried inside the commit; an error that reaches here will not go away.
      if (isRetriable(error)) log.warn('tick.failed', { message: String(error) });
      else lifecycle.fail('tick failed', { message: String(error), code: errorCode(error) });
    });
  }, tickEvery);

  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  consumer.on(consumer.events.CRASH, (event) => {
    const refused = kafkaAccessError(event.payload.error, access, refusals);
    if (refused !== undefined) {
      // kafkajs would restart into the same refusal: stop instead, saying who was refused what.
      lifecycle.fail(refused.message, { code: refused.code });
      return;
    }
    log.error('consumer.crashed', { message: String(event.payload.error), restart: event.payload.restart });
    // kafkajs will not consume again: every topic has stopped.
    if (!event.payload.restart) lifecycle.fail('consumer crashed', { message: String(event.payload.error) });
  });

  await consumer.subscribe({ topics, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: settings['consumer.partitionsConcurrently'],
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
      latestHeartbeat = heartbeat;
      if (!isRunning() || isStale() || batch.messages.length === 0) return;
      const decoder = decoders.get(batch.topic);
      // A registry outage is no reason to dead-letter: wait for it.
      for (let attempt = 1; decoder !== undefined; attempt++) {
        try {
          await decoder.prepare(batch.messages.map((m) => m.value));
          break;
        } catch (error) {
          if (isAccessRefusal(error)) {
            // Credentials revoked while running: every batch would fail the same way.
            lifecycle.fail(String((error as Error).message), { code: errorCode(error) });
            return;
          }
          if (!isRetriable(error)) throw error;
          log.warn('registry.unavailable', { topic: batch.topic, attempt, message: String(error) });
          await new Promise((r) => setTimeout(r, Math.min(30_000, 200 * 2 ** attempt)));
          await heartbeat();
          if (!isRunning()) return;
        }
      }
      const records: SinkRecord[] = batch.messages.map((m) => ({
        offset: Number(m.offset),
        timestamp: Number(m.timestamp),
        key: m.key ?? null,
        value: m.value,
        headers: m.headers ?? {},
      }));
      const outcome = await task.process(batch.topic, batch.partition, records);
      if (outcome.seekTo !== undefined) {
        consumer.seek({ topic: batch.topic, partition: batch.partition, offset: String(outcome.seekTo) });
        return;
      }
      resolveOffset(batch.lastOffset());
      await heartbeat();
    },
  });
  log.info('sink.started', {
    topics,
    groupId: settings['kafka.groupId'],
    storage: storage.description,
    root,
    writerId,
  });

  lifecycle.onStop(
    async () => {
      clearInterval(timer);
      try {
        await consumer.stop();
        await task.flushAll('shutdown');
      } catch (error) {
        // Whatever was not committed is read again by the next owner: report, do not crash half-way.
        log.error('sink.flush-failed', { message: error instanceof Error ? error.message : String(error) });
      }
    },
    async () => {
      clearInterval(timer);
      await Promise.race([
        Promise.allSettled([consumer.disconnect(), producer.disconnect(), admin.disconnect()]),
        new Promise((r) => setTimeout(r, 5_000).unref()),
      ]);
      metrics?.close();
      const fatal = lifecycle.fatal;
      log.info('sink.stopped', { ...task.stats, ...(fatal === undefined ? {} : { fatal }) });
      resolveDone();
    },
  );
  return {
    task,
    stop: () => lifecycle.stop(),
    done,
    get fatal() {
      return lifecycle.fatal;
    },
  };
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function isAccessRefusal(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'AUTHENTICATION_FAILED' || code === 'AUTHORIZATION_FAILED';
}

/**
 * One registry read at start-up, so that refused credentials stop the sink now with one clear error rather
 * than at the first batch. An unreachable registry is only a warning: the sink waits for it while consuming.
 */
async function checkRegistryAccess(
  registry: ReturnType<typeof buildRegistry>,
  subject: string | undefined,
  log: Logger,
): Promise<void> {
  if (subject === undefined) return;
  try {
    await registry.versions(subject);
  } catch (error) {
    if (isAccessRefusal(error)) throw error;
    log.warn('registry.unavailable', { subject, message: String(error) });
  }
}

async function ensureTopic(
  admin: ReturnType<ReturnType<typeof buildKafka>['admin']>,
  topic: string,
  log: Logger,
): Promise<void> {
  const existing = await admin.listTopics();
  if (existing.includes(topic)) return;
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  log.info('dlq.created', { topic });
}
