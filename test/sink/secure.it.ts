// The sink on the secured stack: Kafka over TLS with SCRAM and ACLs (`kafka-secure`), the registry behind
// Keycloak (`registry-secure`). Events go in through the SDK as the producer principal, the release client
// registers the schema, and the sink, as its own principal with read-only registry rights, writes Parquet
// that the audit finds exactly once. Then each refusal: a wrong password, a group without an ACL, a registry
// secret that Keycloak refuses. Each stops the sink with one clear line, exit 1, no stack trace, no retry
// storm. No secret appears in anything the processes print.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { AdImpression } from '@adlake/events';
import { createConsumer, createProducer, createRegistryClient, registerCompressionCodecs } from '@adlake/sdk';
import type { RegistryClientOptions } from '@adlake/sdk';
import { LocalStorage } from '@adlake/sink';
import { down, endpoints, loadStackConfig, silentLogger, up } from '@adlake/stack';
import type { ServiceName } from '@adlake/stack';
import { Kafka, logLevel } from 'kafkajs';
import type { KafkaConfig } from 'kafkajs';
import {
  runSinkToEnd,
  simulatedImpressions,
  startSink,
  stopSink,
  waitCommitted,
} from '../support/sink-harness.ts';
import { uniqueName } from '../support/unique.ts';

const SINK_MAIN = fileURLToPath(new URL('../../apps/sink/src/main.ts', import.meta.url));
const config = loadStackConfig();
const { secureKafka, secureRegistry } = endpoints(config);
const topic = uniqueName('adserver.it-secure');
const deadLetters = uniqueName('adlake.sink.dlq-it');
const PARTITIONS = 3;
const EVENTS = 600;
const lakeDir = mkdtempSync(join(tmpdir(), 'sink-secure-'));
const root = '/lake';
const secretOf = (file: string) => readFileSync(file, 'utf8').trim();
const metricsPort = 38_100 + Math.floor(Math.random() * 800);
let sentIds: string[] = [];

let started: ServiceName[] = [];

function kafka(principal: keyof typeof secureKafka.users): Kafka {
  const user = secureKafka.users[principal];
  const options: KafkaConfig = {
    clientId: `it-secure-${principal}`,
    brokers: secureKafka.brokers,
    logLevel: logLevel.NOTHING,
    ssl: { ca: [readFileSync(secureKafka.caFile, 'utf8')] },
    sasl: {
      mechanism: secureKafka.mechanism,
      username: user.username,
      password: secretOf(user.passwordFile),
    },
  };
  return new Kafka(options);
}

function registry(client: keyof typeof secureRegistry.clients): RegistryClientOptions {
  return {
    url: secureRegistry.url,
    clientCredentials: {
      tokenUrl: secureRegistry.tokenUrl,
      clientId: secureRegistry.clients[client].clientId,
      clientSecret: secretOf(secureRegistry.clients[client].secretFile),
    },
  };
}

/** The sink's settings, every secret by file; `extra` overrides. */
function sinkEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    ADLAKE_SINK_TOPICS: topic,
    ADLAKE_SINK_TOPIC_CLASSES: `${topic}=adserver.impressions`,
    ADLAKE_SINK_KAFKA_BROKERS: secureKafka.brokers.join(','),
    ADLAKE_SINK_KAFKA_GROUP_ID: `adlake-${topic}`,
    ADLAKE_SINK_KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
    ADLAKE_SINK_KAFKA_SSL_CA_FILE: secureKafka.caFile,
    ADLAKE_SINK_KAFKA_SASL_USERNAME: secureKafka.users.sink.username,
    ADLAKE_SINK_KAFKA_SASL_PASSWORD_FILE: secureKafka.users.sink.passwordFile,
    ADLAKE_SINK_DLQ_TOPIC: deadLetters,
    ADLAKE_SINK_REGISTRY_URL: secureRegistry.url,
    ADLAKE_SINK_REGISTRY_AUTH: 'client-credentials',
    ADLAKE_SINK_REGISTRY_TOKEN_URL: secureRegistry.tokenUrl,
    ADLAKE_SINK_REGISTRY_CLIENT_ID: secureRegistry.clients.reader.clientId,
    ADLAKE_SINK_REGISTRY_CLIENT_SECRET_FILE: secureRegistry.clients.reader.secretFile,
    ADLAKE_SINK_STORAGE_KIND: 'local',
    ADLAKE_SINK_STORAGE_LOCAL_DIR: lakeDir,
    ADLAKE_SINK_OUTPUT_ROOT: root,
    ADLAKE_SINK_ROTATION_MAX_RECORDS: '100',
    ADLAKE_SINK_ROTATION_INTERVAL_MS: '2000',
    ...extra,
  };
}

/** Every secret of the secured stack: none may appear in any output. */
function secrets(): string[] {
  return [
    ...Object.values(secureKafka.users).map((u) => secretOf(u.passwordFile)),
    ...Object.values(secureRegistry.clients).map((c) => secretOf(c.secretFile)),
  ];
}

function assertNoSecret(output: string): void {
  for (const secret of secrets()) assert.ok(!output.includes(secret), 'a secret appears in the output');
}

function assertOneClearLine(output: string, expected: RegExp): void {
  assert.match(output, expected);
  assert.doesNotMatch(output, /\n\s+at [\w.<]+ \(/, `a stack trace was printed:\n${output.slice(-2000)}`);
  assertNoSecret(output);
}

before(async () => {
  started = (await up(config, { services: ['kafka-secure', 'registry-secure'], log: silentLogger })).started;
  const admin = kafka('admin').admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      { topic, numPartitions: PARTITIONS },
      { topic: deadLetters, numPartitions: 1 },
    ],
  });
  await admin.disconnect();
});

after(async () => {
  const admin = kafka('admin').admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic, deadLetters] }).catch(() => undefined);
  await admin.disconnect();
  if (started.length > 0) await down(config, { services: started, log: silentLogger });
});

test('the release client registers, the producer principal sends, the sink writes every event exactly once', async () => {
  registerCompressionCodecs();
  const next = simulatedImpressions(4242, 2);
  const events = Array.from({ length: EVENTS }, () => next());
  sentIds = events.map((e) => String((e as { event_id: unknown }).event_id));
  // The release step's identity registers the schema; the producer then only looks it up.
  const release = createProducer({
    kafka: kafka('producer'),
    registry: registry('release'),
    autoRegister: true,
  });
  await release.connect();
  await release.sendBatch(AdImpression, events.slice(0, 10) as never, { topic });
  await release.close();
  const producer = createProducer({
    kafka: kafka('producer'),
    registry: createRegistryClient(registry('reader')),
    autoRegister: false,
  });
  await producer.connect();
  await producer.sendBatch(AdImpression, events.slice(10) as never, { topic });
  await producer.close();

  // The Kafka password from the environment this time (the other runs read it from its file).
  const secretInEnv = sinkEnv({
    ADLAKE_SINK_METRICS_PORT: String(metricsPort),
    ADLAKE_SINK_KAFKA_SASL_PASSWORD: secretOf(secureKafka.users.sink.passwordFile),
  });
  delete secretInEnv['ADLAKE_SINK_KAFKA_SASL_PASSWORD_FILE'];
  const sink = startSink('run', secretInEnv);
  const offsets = kafka('admin').admin();
  await offsets.connect();
  const target = new Map(
    (await offsets.fetchTopicOffsets(topic)).map((o) => [o.partition, Number(o.high)] as const),
  );
  await offsets.disconnect();
  assert.equal(
    [...target.values()].reduce((a, b) => a + b, 0),
    EVENTS,
  );
  await waitCommitted(new LocalStorage(lakeDir), root, topic, target, [sink], 120_000);
  const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  assert.match(metrics, /adlake_sink/);
  assertNoSecret(metrics);
  await stopSink(sink);
  assertNoSecret(sink.output.join(''));
  // What the sink prints about itself, with a secret in its environment, shows none.
  for (const args of [['--help'], ['settings'], ['run', '--help']]) {
    const shown = spawnSync(process.execPath, [SINK_MAIN, ...args], {
      env: { ...process.env, ...secretInEnv },
      encoding: 'utf8',
    });
    assert.equal(shown.status, 0, shown.stderr);
    assertNoSecret(`${shown.stdout}${shown.stderr}`);
  }

  // The audit reads the ledger, the files (DuckDB) and Kafka's offsets, over TLS as the sink principal.
  const audit = await runSinkToEnd('audit', sinkEnv(), ['--topic', topic, '--format', 'json']);
  assert.equal(audit.code, 0, audit.output.slice(-3000));
  const report = JSON.parse(audit.stdout) as { ok: boolean; duckdbRowsPerDay: Record<string, number> };
  assert.equal(report.ok, true);
  assert.equal(
    Object.values(report.duckdbRowsPerDay).reduce((n, x) => n + x, 0),
    EVENTS,
    'DuckDB counts every event sent, once',
  );
  assertNoSecret(audit.output);
});

test('a wrong Kafka password stops the sink at once with one line naming the principal', async () => {
  const wrong = join(lakeDir, 'wrong.password');
  writeFileSync(wrong, 'not-the-password\n', { mode: 0o600 });
  const t0 = Date.now();
  const run = await runSinkToEnd('run', sinkEnv({ ADLAKE_SINK_KAFKA_SASL_PASSWORD_FILE: wrong }), []);
  assert.equal(run.code, 1, run.output.slice(-2000));
  assert.ok(Date.now() - t0 < 60_000, 'the sink gave up without a retry storm');
  assertOneClearLine(
    run.output,
    new RegExp(`refused the credentials of "${secureKafka.users.sink.username}"`),
  );
});

test('a group the sink has no ACL for stops it with one line naming the group', async () => {
  const group = uniqueName('not-allowed');
  const run = await runSinkToEnd('run', sinkEnv({ ADLAKE_SINK_KAFKA_GROUP_ID: group }), []);
  assert.equal(run.code, 1, run.output.slice(-2000));
  assertOneClearLine(
    run.output,
    new RegExp(`does not allow "${secureKafka.users.sink.username}" to use group ${group}`),
  );
});

test('a registry secret Keycloak refuses stops the sink with one line naming the client', async () => {
  const wrong = join(lakeDir, 'wrong.secret');
  writeFileSync(wrong, 'not-the-secret\n', { mode: 0o600 });
  const run = await runSinkToEnd('run', sinkEnv({ ADLAKE_SINK_REGISTRY_CLIENT_SECRET_FILE: wrong }), []);
  assert.equal(run.code, 1, run.output.slice(-2000));
  assertOneClearLine(run.output, new RegExp(`refused client "${secureRegistry.clients.reader.clientId}"`));
});

test('the SDK consumer, as the sink principal with read-only registry rights, reads every event typed', async () => {
  const received: string[] = [];
  let done!: () => void;
  const all = new Promise<void>((resolve) => (done = resolve));
  const consumer = createConsumer({
    kafka: kafka('sink'),
    registry: createRegistryClient(registry('reader')),
    groupId: uniqueName('adlake-sdk-secure'),
  });
  consumer.subscribe(
    AdImpression,
    (event) => {
      received.push(event.value.event_id);
      if (received.length === EVENTS) done();
    },
    { topic, fromBeginning: true },
  );
  await consumer.run();
  const timeout = setTimeout(() => done(), 60_000);
  await all;
  clearTimeout(timeout);
  await consumer.close();
  assert.deepEqual([...received].sort(), [...sentIds].sort());
});

test('a CA file that did not sign the broker certificate stops the sink with one line', async () => {
  const run = await runSinkToEnd(
    'run',
    sinkEnv({ ADLAKE_SINK_KAFKA_SSL_CA_FILE: '/etc/ssl/certs/ca-certificates.crt' }),
    [],
  );
  assert.equal(run.code, 1, run.output.slice(-2000));
  assertOneClearLine(run.output, /TLS certificate is not trusted/);
});
