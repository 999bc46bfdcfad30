// Kafka 3.9 in KRaft mode (one broker+controller process) from Maven Central jars.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { SETTINGS } from '../config.ts';
import { StackError } from '../errors.ts';
import { spawnDaemon } from '../proc.ts';
import type { Daemon } from '../proc.ts';
import { renderKafkaServerProperties, renderLog4j } from '../render.ts';
import { javaBinary, requireJava, resolveMaven, run } from '../tools.ts';
import type { ServiceContext, ServiceDef } from './service.ts';
import {
  checkDataStamp,
  describeError,
  incompatible,
  jvmFlags,
  logFile,
  MAVEN_DIR,
  pidFile,
} from './service.ts';

export const KAFKA_VERSION = '3.9.1';

function paths(ctx: ServiceContext) {
  return {
    libs: join(ctx.cacheDir, 'libs'),
    data: join(ctx.dir, 'data'),
    properties: join(ctx.dir, 'server.properties'),
    log4j: join(ctx.dir, 'log4j.properties'),
    clusterIdFile: join(ctx.dir, 'cluster.id'),
  };
}

/** Kafka's cluster ids are 16 random bytes in URL-safe base64 without padding. */
export function newClusterId(): string {
  return randomBytes(16).toString('base64url');
}

/** Reads `key=value` lines of a Java properties file (enough for meta.properties). */
export function parseSimpleProperties(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const eq = trimmed.indexOf('=');
    if (eq > 0) out.set(trimmed.slice(0, eq).trim(), trimmed.slice(eq + 1).trim());
  }
  return out;
}

export const kafka: ServiceDef = {
  name: 'kafka',
  version: KAFKA_VERSION,
  roles: ['kafka'],

  async prepare(ctx) {
    const p = paths(ctx);
    await requireJava('kafka', ctx.config.javaHome, SETTINGS.javaHome.env, 17);
    const fetched = await resolveMaven({
      service: 'kafka',
      mvn: ctx.config.mvn,
      pom: join(MAVEN_DIR, 'kafka/pom.xml'),
      outDir: p.libs,
      includeScope: 'runtime',
      log: (m) => ctx.log('download', m),
    });
    if (fetched === 'downloaded') ctx.log('download', `jars ready in ${p.libs}`);
    const metaFile = join(p.data, 'meta.properties');
    checkDataStamp(ctx, 'kafka', KAFKA_VERSION, existsSync(metaFile));
    writeFileSync(p.properties, renderKafkaServerProperties(ctx.config, p.data));
    writeFileSync(p.log4j, renderLog4j(['org.apache.kafka', 'kafka.request.logger', 'org.apache.zookeeper']));
    mkdirSync(p.data, { recursive: true });

    if (existsSync(metaFile)) {
      const meta = parseSimpleProperties(readFileSync(metaFile, 'utf8'));
      const expected = existsSync(p.clusterIdFile) ? readFileSync(p.clusterIdFile, 'utf8').trim() : undefined;
      if (meta.get('cluster.id') !== expected) {
        throw incompatible(
          'kafka',
          p.data,
          `its cluster id ${meta.get('cluster.id') ?? '?'} is not this stack's (${expected ?? 'none recorded'})`,
        );
      }
      if (meta.get('node.id') !== '1') {
        throw incompatible('kafka', p.data, `it belongs to node ${meta.get('node.id') ?? '?'}, not node 1`);
      }
      return;
    }
    const clusterId = newClusterId();
    ctx.log('format', `formatting KRaft storage (cluster id ${clusterId})`);
    const result = await run(
      javaBinary(ctx.config.javaHome),
      [
        '-Xmx128m',
        '-XX:+UseSerialGC',
        '-XX:TieredStopAtLevel=1',
        `-Dlog4j.configuration=file:${p.log4j}`,
        '-cp',
        `${p.libs}/*`,
        'kafka.tools.StorageTool',
        'format',
        '-t',
        clusterId,
        '-c',
        p.properties,
        '--ignore-formatted',
      ],
      { timeoutMs: 120_000 },
    );
    if (result === undefined || result.code !== 0) {
      throw new StackError(
        'START_FAILED',
        `kafka: formatting the storage failed:\n${result?.output.slice(-2000) ?? ''}`,
        {
          service: 'kafka',
        },
      );
    }
    writeFileSync(p.clusterIdFile, `${clusterId}\n`);
  },

  async start(ctx): Promise<Daemon[]> {
    const p = paths(ctx);
    const logs = join(ctx.dir, 'logs');
    mkdirSync(logs, { recursive: true });
    return [
      spawnDaemon({
        service: 'kafka',
        command: javaBinary(ctx.config.javaHome),
        args: [
          ...jvmFlags(ctx.config, ctx.config.kafkaHeap, 'kafka'),
          `-Dlog4j.configuration=file:${p.log4j}`,
          `-Dkafka.logs.dir=${logs}`,
          '-cp',
          `${p.libs}/*`,
          'kafka.Kafka',
          p.properties,
        ],
        cwd: ctx.dir,
        logFile: logFile(ctx.config, 'kafka', 'kafka'),
        pidFile: pidFile(ctx.config, 'kafka', 'kafka'),
        markers: [`-Dadlake.stack=${ctx.config.stackDir}#kafka`, 'kafka.Kafka'],
      }),
    ];
  },

  async probe(ctx) {
    const client = new Kafka({
      clientId: 'adlake-stack-probe',
      brokers: [`127.0.0.1:${ctx.config.kafkaPort}`],
      logLevel: logLevel.NOTHING,
      connectionTimeout: 2_000,
      requestTimeout: 5_000,
      retry: { retries: 0 },
    });
    const admin = client.admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      return cluster.brokers.length >= 1 && cluster.controller !== null
        ? true
        : `describeCluster: ${cluster.brokers.length} brokers, controller ${String(cluster.controller)}`;
    } catch (error) {
      return `kafkajs describeCluster: ${describeError(error)}`;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  },
};
