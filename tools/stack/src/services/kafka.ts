// Kafka 3.9 in KRaft mode (one broker+controller process) from Maven Central jars: one definition for both
// clusters of the stack, `kafka` and the optional DR cluster `kafka-dr`, which differ only in ports and heap.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import kafkajs, { Kafka, logLevel } from 'kafkajs';
import type { KafkaConfig } from 'kafkajs';
import type { KafkaServiceName, StackConfig } from '../config.ts';
import { KAFKA_CLUSTERS } from '../config.ts';
import { StackError } from '../errors.ts';
import type { KafkaSecurity } from '../render.ts';
import { renderKafkaServerProperties, renderLog4j } from '../render.ts';
import type { AclRule } from '../secure-kafka.ts';
import { SECURE_KAFKA_USERS, secretPaths, secureKafkaAcls } from '../secure-kafka.ts';
import { ensureSecrets, hasSecrets, readSecret } from './secrets.ts';
import { javaBinary, run } from '../tools.ts';
import { JARS_DIR, jvmService } from './jvm.ts';
import type { ServiceContext, ServiceDef } from './service.ts';
import { describeError, incompatible } from './service.ts';

export const KAFKA_VERSION = '3.9.1';

function paths(ctx: ServiceContext) {
  const data = join(ctx.dir, 'data');
  return {
    libs: join(ctx.cacheDir, JARS_DIR),
    data,
    metaFile: join(data, 'meta.properties'),
    logs: join(ctx.dir, 'logs'),
    properties: join(ctx.dir, 'server.properties'),
    log4j: join(ctx.dir, 'log4j.properties'),
    clusterIdFile: join(ctx.dir, 'cluster.id'),
  };
}

/**
 * Kafka's cluster ids are 16 random bytes in URL-safe base64 without padding. One starting with `-` is drawn
 * again, as Kafka's own `Uuid.randomUuid` does: `kafka-storage format --cluster-id -x…` reads it as an option
 * and fails (1 start in 64 did).
 */
export function newClusterId(random: (size: number) => Buffer = randomBytes): string {
  for (;;) {
    const id = random(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
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

/** The client listener of one of the stack's clusters, as kafkajs takes it. */
export function kafkaBrokers(config: StackConfig, service: KafkaServiceName): string[] {
  return [`127.0.0.1:${config[KAFKA_CLUSTERS[service].port]}`];
}

// Node's CommonJS export detection misses these enums, so they come off the default export.
const { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } = kafkajs;

/** How the stack's own admin client reaches a cluster: plain, or over TLS as the secured cluster's admin. */
function adminClientConfig(ctx: ServiceContext, name: KafkaServiceName): KafkaConfig {
  const base: KafkaConfig = {
    clientId: 'adlake-stack-probe',
    brokers: kafkaBrokers(ctx.config, name),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2_000,
    requestTimeout: 5_000,
    retry: { retries: 0 },
  };
  if (!KAFKA_CLUSTERS[name].secure) return base;
  const secrets = secretPaths(ctx.dir);
  return {
    ...base,
    ssl: { ca: [readFileSync(secrets.caPem, 'utf8')] },
    sasl: {
      mechanism: 'scram-sha-512',
      username: SECURE_KAFKA_USERS.admin.username,
      password: readSecret(secrets.passwordFile('admin')),
    },
  };
}

function aclKey(rule: {
  principal: string;
  resourceType: number;
  resourceName: string;
  operation: number;
}): string {
  return `${rule.principal}|${rule.resourceType}|${rule.resourceName}|${rule.operation}`;
}

/** Creates the ACLs of secureKafkaAcls() that the cluster does not hold yet (createAcls is not a no-op). */
async function applyAcls(admin: ReturnType<Kafka['admin']>, rules: readonly AclRule[]): Promise<void> {
  const wanted = rules.map((rule) => ({
    principal: rule.principal,
    host: '*',
    resourceType: rule.resourceType === 'TOPIC' ? AclResourceTypes.TOPIC : AclResourceTypes.GROUP,
    resourceName: rule.prefix,
    resourcePatternType: ResourcePatternTypes.PREFIXED,
    operation: AclOperationTypes[rule.operation],
    permissionType: AclPermissionTypes.ALLOW,
  }));
  const existing = await admin.describeAcls({
    resourceType: AclResourceTypes.ANY,
    resourcePatternType: ResourcePatternTypes.ANY,
    operation: AclOperationTypes.ANY,
    permissionType: AclPermissionTypes.ANY,
  });
  const held = new Set<string>();
  for (const resource of existing.resources) {
    for (const acl of resource.acls) {
      held.add(
        aclKey({
          principal: acl.principal,
          resourceType: resource.resourceType,
          resourceName: resource.resourceName,
          operation: acl.operation,
        }),
      );
    }
  }
  const missing = wanted.filter((acl) => !held.has(aclKey(acl)));
  if (missing.length > 0) await admin.createAcls({ acl: missing });
}

/** One cluster's service; all share the jars (and pom) of `kafka`, but not data, cluster id or ports. */
function kafkaService(name: KafkaServiceName): ServiceDef {
  return jvmService({
    name,
    version: KAFKA_VERSION,
    java: { home: 'javaHome', minMajor: 17 },
    heap: KAFKA_CLUSTERS[name].heap,
    download: { includeScope: 'runtime', sharedWith: 'kafka' },
    hasData: (ctx) => existsSync(paths(ctx).metaFile),

    async configure(ctx) {
      const p = paths(ctx);
      const secure = KAFKA_CLUSTERS[name].secure;
      if (secure && existsSync(p.metaFile) && !hasSecrets(ctx.dir)) {
        throw incompatible(
          name,
          p.data,
          'its SCRAM credentials were made from passwords that are gone (secrets/ is missing)',
        );
      }
      const secrets = secure ? await ensureSecrets(ctx.dir, ctx.config.javaHome) : undefined;
      const security: KafkaSecurity | undefined =
        secrets === undefined
          ? undefined
          : {
              brokerKeystore: secrets.brokerKeystore,
              truststore: secrets.truststore,
              storePassword: readSecret(secrets.storePassword),
              adminUser: SECURE_KAFKA_USERS.admin.username,
              adminPassword: readSecret(secrets.passwordFile('admin')),
            };
      writeFileSync(p.properties, renderKafkaServerProperties(ctx.config, name, p.data, security), {
        mode: 0o600,
      });
      writeFileSync(
        p.log4j,
        renderLog4j(['org.apache.kafka', 'kafka.request.logger', 'org.apache.zookeeper']),
      );
      mkdirSync(p.data, { recursive: true });
      mkdirSync(p.logs, { recursive: true });

      if (existsSync(p.metaFile)) {
        const meta = parseSimpleProperties(readFileSync(p.metaFile, 'utf8'));
        const expected = existsSync(p.clusterIdFile)
          ? readFileSync(p.clusterIdFile, 'utf8').trim()
          : undefined;
        if (meta.get('cluster.id') !== expected) {
          throw incompatible(
            name,
            p.data,
            `its cluster id ${meta.get('cluster.id') ?? '?'} is not this stack's (${expected ?? 'none recorded'})`,
          );
        }
        if (meta.get('node.id') !== '1') {
          throw incompatible(name, p.data, `it belongs to node ${meta.get('node.id') ?? '?'}, not node 1`);
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
          // SCRAM users exist before the first start, so the admin can log in to create ACLs. Their
          // passwords pass on this one command line of the stack's own format step, never a client's.
          ...(secrets === undefined
            ? []
            : (Object.keys(SECURE_KAFKA_USERS) as (keyof typeof SECURE_KAFKA_USERS)[]).flatMap((user) => [
                '--add-scram',
                `SCRAM-SHA-512=[name=${SECURE_KAFKA_USERS[user].username},password=${readSecret(secrets.passwordFile(user))}]`,
              ])),
        ],
        { timeoutMs: 120_000 },
      );
      if (result === undefined || result.code !== 0) {
        throw new StackError(
          'START_FAILED',
          `${name}: formatting the storage failed:\n${result?.output.slice(-2000) ?? ''}`,
          { service: name },
        );
      }
      writeFileSync(p.clusterIdFile, `${clusterId}\n`);
    },

    daemons: [
      {
        role: name,
        main: 'kafka.Kafka',
        args: (ctx) => {
          const p = paths(ctx);
          return [
            `-Dlog4j.configuration=file:${p.log4j}`,
            `-Dkafka.logs.dir=${p.logs}`,
            '-cp',
            `${p.libs}/*`,
            'kafka.Kafka',
            p.properties,
          ];
        },
      },
    ],

    async probe(ctx) {
      const admin = new Kafka(adminClientConfig(ctx, name)).admin();
      try {
        await admin.connect();
        const cluster = await admin.describeCluster();
        if (cluster.brokers.length < 1 || cluster.controller === null) {
          return `describeCluster: ${cluster.brokers.length} brokers, controller ${String(cluster.controller)}`;
        }
        // Ready means usable as documented, and on the secured cluster that includes every principal's rights.
        if (KAFKA_CLUSTERS[name].secure) await applyAcls(admin, secureKafkaAcls());
        return true;
      } catch (error) {
        return `kafkajs describeCluster: ${describeError(error)}`;
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
    },
  });
}

export const kafka: ServiceDef = kafkaService('kafka');
export const kafkaDr: ServiceDef = kafkaService('kafka-dr');
export const kafkaSecure: ServiceDef = kafkaService('kafka-secure');
