// MirrorMaker 2 in dedicated mode (Kafka 3.9 connect-mirror from Maven Central jars): mirrors `kafka` topics
// to `kafka-dr` as `primary.<topic>`. It keeps no data of its own: offsets, configs and status live in
// internal topics on the clusters.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import type { Admin } from 'kafkajs';
import type { StackConfig } from '../config.ts';
import { mirroredTopic } from '../config.ts';
import { MIRROR_PROBE_TOPIC, renderLog4j, renderMirrorMakerProperties } from '../render.ts';
import { JARS_DIR, jvmService } from './jvm.ts';
import { KAFKA_VERSION, kafkaBrokers } from './kafka.ts';
import type { ServiceContext, ServiceDef } from './service.ts';
import { describeError } from './service.ts';

export const MIRRORMAKER_MAIN = 'org.apache.kafka.connect.mirror.MirrorMaker';

/** How long one readiness attempt waits for its probe record on the DR cluster. */
const PROBE_WAIT_MS = 10_000;

function paths(ctx: ServiceContext) {
  return {
    libs: join(ctx.cacheDir, JARS_DIR),
    properties: join(ctx.dir, 'mm2.properties'),
    log4j: join(ctx.dir, 'log4j.properties'),
  };
}

function client(config: StackConfig, service: 'kafka' | 'kafka-dr'): Kafka {
  return new Kafka({
    clientId: 'adlake-stack-probe',
    brokers: kafkaBrokers(config, service),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2_000,
    requestTimeout: 5_000,
    retry: { retries: 0 },
  });
}

/**
 * Whether `topic` on the DR cluster holds a record with a timestamp of at least `since` (MM2 keeps the
 * source timestamps). The end offset is read first: a record landing between the two requests then counts
 * on the next call rather than being assumed.
 */
async function mirroredSince(dr: Admin, topic: string, since: number): Promise<true | string> {
  if (!(await dr.listTopics()).includes(topic)) return `${topic} not created on kafka-dr yet`;
  const ends = await dr.fetchTopicOffsets(topic);
  const found = await dr.fetchTopicOffsetsByTimestamp(topic, since);
  const arrived = found.some(({ partition, offset }) => {
    const end = ends.find((e) => e.partition === partition);
    return end !== undefined && Number(offset) < Number(end.high);
  });
  return arrived ? true : `the probe record has not reached ${topic} on kafka-dr yet`;
}

/** Produces a record to the probe topic on `kafka` and waits a while for MM2 to copy it to `kafka-dr`. */
async function probeFlow(config: StackConfig): Promise<true | string> {
  const primary = client(config, 'kafka');
  const admin = primary.admin();
  const producer = primary.producer({ allowAutoTopicCreation: false });
  const dr = client(config, 'kafka-dr').admin();
  try {
    await Promise.all([admin.connect(), producer.connect(), dr.connect()]);
    if (!(await admin.listTopics()).includes(MIRROR_PROBE_TOPIC)) {
      // false, not an error, when another probe created it meanwhile.
      await admin.createTopics({
        topics: [{ topic: MIRROR_PROBE_TOPIC, numPartitions: 1 }],
        waitForLeaders: true,
      });
    }
    const timestamp = Date.now();
    await producer.send({
      topic: MIRROR_PROBE_TOPIC,
      messages: [{ value: `stack readiness ${timestamp}`, timestamp: String(timestamp) }],
    });
    const remote = mirroredTopic(MIRROR_PROBE_TOPIC);
    const deadline = Date.now() + PROBE_WAIT_MS;
    for (;;) {
      const seen = await mirroredSince(dr, remote, timestamp);
      if (seen === true || Date.now() >= deadline) return seen;
      await sleep(250);
    }
  } catch (error) {
    return `mirror probe: ${describeError(error)}`;
  } finally {
    await Promise.all([
      producer.disconnect().catch(() => undefined),
      admin.disconnect().catch(() => undefined),
      dr.disconnect().catch(() => undefined),
    ]);
  }
}

export const mirrormaker: ServiceDef = jvmService({
  name: 'mirrormaker',
  version: KAFKA_VERSION,
  java: { home: 'javaHome', minMajor: 17 },
  heap: 'mirrormakerHeap',
  dependsOn: ['kafka', 'kafka-dr'],
  download: { includeScope: 'runtime' },
  hasData: () => false,

  async configure(ctx) {
    const p = paths(ctx);
    mkdirSync(ctx.dir, { recursive: true });
    writeFileSync(p.properties, renderMirrorMakerProperties(ctx.config));
    // Connect logs every config it parses, and every plugin it finds, at INFO: over a thousand lines a start.
    writeFileSync(
      p.log4j,
      renderLog4j([
        'org.apache.kafka.clients',
        'org.apache.kafka.common',
        'org.apache.kafka.connect.runtime.isolation',
        'org.apache.kafka.connect.runtime.ConnectorConfig',
        'org.apache.kafka.connect.runtime.SourceConnectorConfig',
        'org.apache.kafka.connect.runtime.TaskConfig',
        'org.apache.kafka.connect.runtime.distributed.DistributedConfig',
        'org.apache.kafka.connect.mirror.MirrorSourceConfig',
        'org.apache.kafka.connect.mirror.MirrorCheckpointConfig',
        'org.apache.kafka.connect.mirror.MirrorHeartbeatConfig',
        'org.apache.kafka.connect.mirror.MirrorMakerConfig',
        'org.reflections',
        'org.eclipse.jetty',
      ]),
    );
  },

  daemons: [
    {
      role: 'mirrormaker',
      main: MIRRORMAKER_MAIN,
      args: (ctx) => {
        const p = paths(ctx);
        return [
          `-Dlog4j.configuration=file:${p.log4j}`,
          '-cp',
          `${p.libs}/*`,
          MIRRORMAKER_MAIN,
          p.properties,
        ];
      },
    },
  ],

  probe: (ctx) => probeFlow(ctx.config),
});
