#!/usr/bin/env node
// adlake-loadgen: sends simulated ad-server traffic through the typed SDK, with a progress bar.
import { parseArgs } from 'node:util';
import { AdClick, AdEngagement, AdImpression } from '@adlake/events';
import {
  createProducer,
  createRegistryClient,
  ignoreKafkajsTimerWarning,
  KAFKA_SECURITY_PROTOCOLS,
  kafkaAccessError,
  kafkaLogCreator,
  kafkaSecurityConfig,
  readSecret,
  registerCompressionCodecs,
  SdkError,
} from '@adlake/sdk';
import type { KafkaSecurityProtocol } from '@adlake/sdk';
import { Kafka, logLevel } from 'kafkajs';
import { AdServerSimulator } from '@adlake/simulator';
import type { SimulatedEvent } from '@adlake/simulator';

const HELP = `Usage: adlake-loadgen [options]

Sends simulated impressions (70%), engagements (20%) and clicks (10%) through the typed SDK: each event
is validated, Avro-encoded in the Confluent wire format and sent to its topic.

Options:
  --events <n>          how many events (default 1000000)
  --brokers <list>      Kafka bootstrap servers (default 127.0.0.1:9092)
  --registry-url <url>  schema registry API (default http://127.0.0.1:8081/apis/ccompat/v7)
  --partitions <n>      partitions for topics that do not exist yet (default 3)
  --days <n>            spread event times over the last n days (default 2)
  --seed <n>            random seed, for a repeatable stream (default 42)
  --batch <n>           events per sendBatch call (default 1000)
  --rate <n>            send at most n events per second (default: as fast as the producer goes)
  --auto-register       register the schemas if missing (local development only)
  --json                print the summary as JSON
  -h, --help            show this text

Secured clusters (secrets only from files or the environment, never as arguments):
  --security-protocol <p>       PLAINTEXT (default), SSL, SASL_PLAINTEXT or SASL_SSL
  --ca-file <file>              PEM of the CA that signed the brokers' certificates
  --sasl-username <user>        SCRAM-SHA-512 user
  --sasl-password-file <file>   its password (or set ADLAKE_LOADGEN_SASL_PASSWORD)
  --registry-token-url <url>    OAuth 2 token endpoint of the registry's identity provider
  --registry-client-id <id>     client id for the client-credentials flow
  --registry-client-secret-file <file>  its secret (or set ADLAKE_LOADGEN_REGISTRY_CLIENT_SECRET)

Topics that do not exist are created; on a secured cluster the producer usually may not, so create them
beforehand.`;

export interface LoadSummary {
  events: number;
  byTopic: Record<string, number>;
  seconds: number;
  eventsPerSecond: number;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '1000000' },
      brokers: { type: 'string', default: '127.0.0.1:9092' },
      'registry-url': { type: 'string', default: 'http://127.0.0.1:8081/apis/ccompat/v7' },
      partitions: { type: 'string', default: '3' },
      days: { type: 'string', default: '2' },
      seed: { type: 'string', default: '42' },
      batch: { type: 'string', default: '1000' },
      rate: { type: 'string' },
      'auto-register': { type: 'boolean', default: false },
      'security-protocol': { type: 'string', default: 'PLAINTEXT' },
      'ca-file': { type: 'string' },
      'sasl-username': { type: 'string' },
      'sasl-password-file': { type: 'string' },
      'registry-token-url': { type: 'string' },
      'registry-client-id': { type: 'string' },
      'registry-client-secret-file': { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const count = positive('--events', values.events);
  const batchSize = positive('--batch', values.batch);
  const rate = values.rate === undefined ? undefined : positive('--rate', values.rate);
  registerCompressionCodecs();
  const protocol = values['security-protocol'];
  if (!(KAFKA_SECURITY_PROTOCOLS as readonly string[]).includes(protocol)) {
    throw new UsageError(
      `--security-protocol: "${protocol}" is not one of ${KAFKA_SECURITY_PROTOCOLS.join(', ')}`,
    );
  }
  const username = values['sasl-username'];
  const brokers = values.brokers.split(',');
  const kafka = new Kafka({
    clientId: 'adlake-loadgen',
    brokers,
    ...kafkaSecurityConfig(
      {
        protocol: protocol as KafkaSecurityProtocol,
        ...(values['ca-file'] === undefined ? {} : { caFile: values['ca-file'] }),
        ...(username === undefined
          ? {}
          : {
              sasl: {
                mechanism: 'scram-sha-512',
                username,
                password:
                  values['sasl-password-file'] === undefined
                    ? { env: 'ADLAKE_LOADGEN_SASL_PASSWORD' }
                    : { file: values['sasl-password-file'] },
              },
            }),
      },
      { sasl: '--sasl-username', caFile: '--ca-file', password: '--sasl-password-file' },
    ),
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator(),
  });
  const classes = { impression: AdImpression, click: AdClick, engagement: AdEngagement } as const;
  const topics = Object.values(classes).map((c) => c.topic ?? '');
  const access = { brokers, principal: username ?? 'ANONYMOUS', topics };
  try {
    await ensureTopics(kafka, topics, positive('--partitions', values.partitions));
  } catch (error) {
    throw kafkaAccessError(error, access) ?? error;
  }

  const tokenUrl = values['registry-token-url'];
  const clientId = values['registry-client-id'];
  const registry =
    tokenUrl === undefined || clientId === undefined
      ? { url: values['registry-url'] }
      : createRegistryClient({
          url: values['registry-url'],
          clientCredentials: {
            tokenUrl,
            clientId,
            clientSecret: readSecret(
              values['registry-client-secret-file'] === undefined
                ? { env: 'ADLAKE_LOADGEN_REGISTRY_CLIENT_SECRET' }
                : { file: values['registry-client-secret-file'] },
              '--registry-client-secret-file',
            ),
          },
        });
  const producer = createProducer({ kafka, registry, autoRegister: values['auto-register'] });
  try {
    await producer.connect();
  } catch (error) {
    throw kafkaAccessError(error, access) ?? error;
  }
  const sim = new AdServerSimulator({
    seed: positive('--seed', values.seed),
    days: positive('--days', values.days),
    now: Date.now(),
  });
  const byTopic: Record<string, number> = {};
  const progress = new Progress(count);
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  let sent = 0;
  while (sent < count) {
    const n = Math.min(batchSize, count - sent);
    const groups: { [K in SimulatedEvent['kind']]: Extract<SimulatedEvent, { kind: K }>['value'][] } = {
      impression: [],
      click: [],
      engagement: [],
    };
    for (let i = 0; i < n; i++) {
      const e = sim.next();
      (groups[e.kind] as unknown[]).push(e.value);
    }
    for (const kind of ['impression', 'click', 'engagement'] as const) {
      const events = groups[kind];
      if (events.length === 0) continue;
      const cls = classes[kind];
      byTopic[cls.topic ?? kind] = (byTopic[cls.topic ?? kind] ?? 0) + events.length;
      inFlight.push(producer.sendBatch(cls as never, events as never));
    }
    sent += n;
    // Bounded pipelining: keep the producer's batches full without holding the whole run in memory.
    if (inFlight.length >= 16) await Promise.all(inFlight.splice(0));
    progress.update(sent);
    if (rate !== undefined) {
      // Steady traffic, as ad servers send it: wait until this many events are due.
      const ahead = (sent / rate) * 1000 - (performance.now() - started);
      if (ahead > 0) await new Promise((r) => setTimeout(r, ahead));
    }
  }
  await Promise.all(inFlight);
  await producer.close();
  progress.done();
  const seconds = (performance.now() - started) / 1000;
  const summary: LoadSummary = {
    events: sent,
    byTopic,
    seconds: round(seconds),
    eventsPerSecond: Math.round(sent / seconds),
  };
  console.log(
    values.json
      ? JSON.stringify(summary)
      : `sent ${sent} events in ${summary.seconds} s (${summary.eventsPerSecond} events/s): ${JSON.stringify(byTopic)}`,
  );
  return 0;
}

async function ensureTopics(kafka: Kafka, topics: string[], partitions: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length > 0) {
      await admin.createTopics({
        topics: missing.map((topic) => ({ topic, numPartitions: partitions })),
        waitForLeaders: true,
      });
    }
  } finally {
    await admin.disconnect();
  }
}

/** A progress bar on a terminal; a line per 10% otherwise (CI logs stay readable). */
class Progress {
  readonly #total: number;
  readonly #tty = process.stderr.isTTY === true;
  readonly #started = performance.now();
  #lastDecile = -1;

  constructor(total: number) {
    this.#total = total;
  }

  update(done: number): void {
    const fraction = done / this.#total;
    const rate = Math.round(done / ((performance.now() - this.#started) / 1000));
    if (this.#tty) {
      const width = 30;
      const bar = '#'.repeat(Math.round(fraction * width)).padEnd(width, '.');
      process.stderr.write(
        `\r[${bar}] ${(fraction * 100).toFixed(1)}% ${done}/${this.#total} ${rate} events/s`,
      );
      return;
    }
    const decile = Math.floor(fraction * 10);
    if (decile > this.#lastDecile) {
      this.#lastDecile = decile;
      process.stderr.write(`sent ${done}/${this.#total} (${decile * 10}%) ${rate} events/s\n`);
    }
  }

  done(): void {
    if (this.#tty) process.stderr.write('\n');
  }
}

function positive(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new UsageError(`${name}: "${value}" is not a positive whole number`);
  return n;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

class UsageError extends Error {}

ignoreKafkajsTimerWarning();
try {
  process.exitCode = await main();
} catch (error) {
  // A usage, configuration or access problem is one line; anything else keeps its stack for a bug report.
  const oneLine =
    error instanceof UsageError ||
    (error instanceof SdkError &&
      ['CONFIG_INVALID', 'AUTHENTICATION_FAILED', 'AUTHORIZATION_FAILED'].includes(error.code));
  console.error(oneLine ? `adlake-loadgen: ${(error as Error).message}` : error);
  process.exitCode = error instanceof UsageError || (error as SdkError).code === 'CONFIG_INVALID' ? 2 : 1;
}
