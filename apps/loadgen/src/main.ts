#!/usr/bin/env node
// adlake-loadgen: sends simulated ad-server traffic through the typed SDK, with a progress bar.
import { parseArgs } from 'node:util';
import { AdClick, AdEngagement, AdImpression } from '@adlake/events';
import {
  createProducer,
  ignoreKafkajsTimerWarning,
  kafkaLogCreator,
  registerCompressionCodecs,
} from '@adlake/sdk';
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
  -h, --help            show this text`;

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
  const kafka = new Kafka({
    clientId: 'adlake-loadgen',
    brokers: values.brokers.split(','),
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator(),
  });
  const classes = { impression: AdImpression, click: AdClick, engagement: AdEngagement } as const;
  await ensureTopics(
    kafka,
    Object.values(classes).map((c) => c.topic ?? ''),
    positive('--partitions', values.partitions),
  );

  const producer = createProducer({
    kafka,
    registry: { url: values['registry-url'] },
    autoRegister: values['auto-register'],
  });
  await producer.connect();
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
  console.error(error instanceof UsageError ? `adlake-loadgen: ${error.message}` : error);
  process.exitCode = error instanceof UsageError ? 2 : 1;
}
