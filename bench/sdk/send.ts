// Benchmark of the typed producer against the real local broker: validate+encode alone, the SDK sending, and
// raw kafkajs sending pre-encoded buffers, side by side with the same batch size, acks, compression and
// idempotence; throughput per wall second and per CPU second of this process (process.cpuUsage).
// Run: `node bench/sdk/send.ts [--events N] [--batch N] [--compression zstd|gzip|snappy|none] [--rounds N]
// [--partitions N] [--only encode|raw|rawFast|sdk]`, or `--batches 1,100,1000 [--requests N]` for the ratio of
// the SDK's CPU per event to raw kafkajs' (same partitioner) at each batch size, written to bench/results/.
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import type { Message } from 'kafkajs';
import * as runtime from '@adlake/event-runtime';
import { AdImpression } from '@adlake/events';
import type { AdImpressionInput, EventCodec } from '@adlake/events';
import { endpoints, loadStackConfig } from '@adlake/stack';
import {
  createPartitioner,
  createProducer,
  createRegistryClient,
  encodingType,
  ignoreKafkajsTimerWarning,
  kafkaLogCreator,
  registerCompressionCodecs,
  WireEncoder,
} from '@adlake/sdk';
import type { Compression } from '@adlake/sdk';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '200000' },
    batch: { type: 'string', default: '1000' },
    compression: { type: 'string', default: 'zstd' },
    rounds: { type: 'string', default: '3' },
    partitions: { type: 'string', default: '3' },
    /** Profile one side alone: `--only encode|raw|rawFast|sdk` (with node --cpu-prof). */
    only: { type: 'string' },
    /** Ratio mode: comma-separated batch sizes, each measured with raw (SDK partitioner) and SDK alternating. */
    batches: { type: 'string' },
    /** Ratio mode: produce requests per side and round at each batch size (events = batch × requests, ≤ --events). */
    requests: { type: 'string', default: '1000' },
    /**
     * Ratio mode: also send the pre-encoded events with @platformatic/kafka (`--client platformatic`), same
     * idempotence, acks, compression and partition assignment, to compare the two clients side by side.
     */
    client: { type: 'string' },
  },
});
const EVENTS = Number(args.events);
const BATCH = Number(args.batch);
const ROUNDS = Number(args.rounds);
const COMPRESSION = args.compression as Compression;
const COMPRESSION_CODE = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 }[COMPRESSION];

const { kafkaBrokers, registryUrl } = endpoints(loadStackConfig());
ignoreKafkajsTimerWarning();
const kafka = new Kafka({
  clientId: 'bench-sdk',
  brokers: kafkaBrokers,
  logLevel: logLevel.ERROR,
  logCreator: kafkaLogCreator(),
});
const registry = createRegistryClient({ url: registryUrl });
const suffix = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
const topic = `bench-sdk-${suffix}`;
const subject = `bench-sdk-${suffix}-value`;
// AdImpression on a throwaway subject and topic (the generated class carries the production names).
const cls: EventCodec<AdImpression, AdImpressionInput> = {
  subject,
  topic,
  fullname: AdImpression.fullname,
  schema: AdImpression.schema,
  longs: AdImpression.longs,
  type: AdImpression.type,
  validate: (value, options) => AdImpression.validate(value, options),
  isValid: (value): value is AdImpressionInput => AdImpression.isValid(value),
  encode: (value) => AdImpression.encode(value),
  decode: (bytes) => AdImpression.decode(bytes),
  avroOptions: (values) => AdImpression.avroOptions(values),
};

function events(n: number): AdImpressionInput[] {
  const device = {
    device_type: 'PHONE',
    os: 'Android',
    os_version: '15',
    app_version: '8.4.1',
    advertising_id: randomUUID(),
  } as const;
  return Array.from({ length: n }, (_, i) => ({
    event_id: randomUUID(),
    event_time: new Date(1_764_000_000_000 + i),
    billing_date: new Date('2026-11-23T00:00:00Z'),
    request_id: randomUUID(),
    ad_id: 100_000 + (i % 5000),
    campaign_id: 7000 + (i % 300),
    creative_id: 50_000 + (i % 2000),
    advertiser_id: 900 + (i % 40),
    placement: i % 3 === 0 ? 'PRE_ROLL' : 'BANNER',
    device,
    geo: {
      country: 'US',
      region: 'CA',
      city: 'San Francisco',
      dma_code: 807,
      latitude: 37.77,
      longitude: -122.42,
    },
    price_micros: 1_000_000 + (i % 999_999),
    currency: 'USD',
    segment_ids: [i % 100, 1000 + (i % 50), 20_000],
    attributes: { genre: 'news', station_id: String(i % 700) },
  }));
}

interface Measure {
  events: number;
  wallMs: number;
  cpuMs: number;
}

async function measure(run: () => Promise<number> | number): Promise<Measure> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const n = await run();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { events: n, wallMs, cpuMs: (used.user + used.system) / 1000 };
}

const perSec = (m: Measure): number => m.events / (m.wallMs / 1000);
const perCore = (m: Measure): number => m.events / (m.cpuMs / 1000);
const zero = (): Measure => ({ events: 0, wallMs: 0, cpuMs: 0 });
const total = (ms: readonly Measure[]): Measure =>
  ms.reduce(
    (a, m) => ({ events: a.events + m.events, wallMs: a.wallMs + m.wallMs, cpuMs: a.cpuMs + m.cpuMs }),
    zero(),
  );
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

interface Senders {
  preEncode(data: readonly AdImpressionInput[]): Message[];
  sendRaw(messages: readonly Message[], batch: number): Promise<number>;
  sendSdk(data: readonly AdImpressionInput[], batch: number): Promise<number>;
  encodeOnly(data: readonly AdImpressionInput[]): number;
  /** Another client sending the same pre-encoded messages (`--client`). */
  sendOther?: (messages: readonly Message[], batch: number) => Promise<number>;
}

/**
 * The target's measurement: CPU per event of the SDK's sendBatch over raw kafkajs sending pre-encoded buffers
 * with the SDK's partitioner, at each batch size. The two alternate slice by slice (rotating which goes first)
 * so load from other work on the machine hits both; each round's ratio is sums over its slices, and the table
 * shows medians over the rounds.
 */
async function ratios(batches: readonly number[], senders: Senders): Promise<void> {
  const REQUESTS = Number(args.requests);
  type Side = 'raw' | 'sdk' | 'encode' | 'other';
  const sides: readonly Side[] =
    senders.sendOther === undefined ? ['raw', 'sdk', 'encode'] : ['raw', 'sdk', 'encode', 'other'];
  const rows: {
    batch: number;
    eventsPerRound: number;
    rounds: { raw: Measure; sdk: Measure; encode: Measure; other: Measure; ratio: number }[];
    rawCpuUsPerEvent: number;
    sdkCpuUsPerEvent: number;
    encodeCpuUsPerEvent: number;
    ratio: number;
    pooledRatio: number;
    /** With `--client`: that client's CPU per event over raw kafkajs', median of the rounds and pooled. */
    otherCpuUsPerEvent?: number;
    otherRatio?: number;
    otherPooledRatio?: number;
  }[] = [];
  const usPerEvent = (m: Measure): number => (m.cpuMs * 1000) / m.events;
  for (const batch of batches) {
    const eventsPerRound = Math.min(EVENTS, batch * REQUESTS);
    // Slices of ten requests, and at least 200 events so that a slice's CPU time is well above the clock's grain.
    const slice = Math.max(10 * batch, Math.min(200, eventsPerRound));
    const warm = events(Math.min(eventsPerRound, Math.max(2 * slice, 2000)));
    await senders.sendRaw(senders.preEncode(warm), batch);
    await senders.sendSdk(warm, batch);
    await senders.sendOther?.(senders.preEncode(warm), batch);
    senders.encodeOnly(warm);
    const rounds: (typeof rows)[number]['rounds'] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const round: Record<Side, Measure> = { raw: zero(), sdk: zero(), encode: zero(), other: zero() };
      for (let from = 0, k = 0; from < eventsPerRound; from += slice, k++) {
        const data = events(Math.min(slice, eventsPerRound - from));
        const messages = senders.preEncode(data);
        for (let n = 0; n < sides.length; n++) {
          const side = sides[(n + k + r) % sides.length] ?? 'raw';
          const m = await measure(async () =>
            side === 'encode'
              ? senders.encodeOnly(data)
              : side === 'sdk'
                ? senders.sendSdk(data, batch)
                : side === 'other' && senders.sendOther !== undefined
                  ? senders.sendOther(messages, batch)
                  : senders.sendRaw(messages, batch),
          );
          round[side].events += m.events;
          round[side].wallMs += m.wallMs;
          round[side].cpuMs += m.cpuMs;
        }
      }
      const ratio = usPerEvent(round.sdk) / usPerEvent(round.raw);
      rounds.push({ ...round, ratio });
      console.log(
        `batch ${batch} round ${r + 1}: raw ${usPerEvent(round.raw).toFixed(2)} µs/event, ` +
          `SDK ${usPerEvent(round.sdk).toFixed(2)} µs/event, ratio ${ratio.toFixed(3)}` +
          (senders.sendOther === undefined
            ? ''
            : `; ${args.client} ${usPerEvent(round.other).toFixed(2)} µs/event, ÷ raw ${(usPerEvent(round.other) / usPerEvent(round.raw)).toFixed(3)}`),
      );
    }
    rows.push({
      batch,
      eventsPerRound,
      rounds,
      rawCpuUsPerEvent: median(rounds.map((x) => usPerEvent(x.raw))),
      sdkCpuUsPerEvent: median(rounds.map((x) => usPerEvent(x.sdk))),
      encodeCpuUsPerEvent: median(rounds.map((x) => usPerEvent(x.encode))),
      ratio: median(rounds.map((x) => x.ratio)),
      // All rounds' CPU over all rounds' events, each side: less swayed by one noisy round than the median.
      pooledRatio: usPerEvent(total(rounds.map((x) => x.sdk))) / usPerEvent(total(rounds.map((x) => x.raw))),
      ...(senders.sendOther === undefined
        ? {}
        : {
            otherCpuUsPerEvent: median(rounds.map((x) => usPerEvent(x.other))),
            otherRatio: median(rounds.map((x) => usPerEvent(x.other) / usPerEvent(x.raw))),
            otherPooledRatio:
              usPerEvent(total(rounds.map((x) => x.other))) / usPerEvent(total(rounds.map((x) => x.raw))),
          }),
    });
  }
  console.log(
    `\n${ROUNDS} rounds per batch size (medians over rounds; pooled = all rounds' CPU over all rounds' events), acks -1, idempotent, compression ${COMPRESSION}, ${args.partitions} partitions, node ${process.version}`,
  );
  console.log(
    '| batch | events/round | raw kafkajs CPU µs/event | SDK CPU µs/event | SDK ÷ raw (median) | SDK ÷ raw (pooled) | check+encode µs/event |',
  );
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const row of rows) {
    console.log(
      `| ${row.batch} | ${row.eventsPerRound.toLocaleString('en-US')} | ${row.rawCpuUsPerEvent.toFixed(2)} | ` +
        `${row.sdkCpuUsPerEvent.toFixed(2)} | ${row.ratio.toFixed(3)} | ${row.pooledRatio.toFixed(3)} | ` +
        `${row.encodeCpuUsPerEvent.toFixed(2)} |`,
    );
  }
  if (senders.sendOther !== undefined) {
    console.log(
      `\n| batch | raw kafkajs CPU µs/event | ${args.client} CPU µs/event | ${args.client} ÷ raw (median) | (pooled) |`,
    );
    console.log('| ---: | ---: | ---: | ---: | ---: |');
    for (const row of rows) {
      console.log(
        `| ${row.batch} | ${row.rawCpuUsPerEvent.toFixed(2)} | ${row.otherCpuUsPerEvent?.toFixed(2)} | ` +
          `${row.otherRatio?.toFixed(3)} | ${row.otherPooledRatio?.toFixed(3)} |`,
      );
    }
  }
  const at = new Date().toISOString();
  const result = {
    benchmark: 'sdk-ratio',
    at,
    commit: execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim(),
    sdkSourcesDirty:
      execFileSync('git', ['status', '--porcelain', 'libs/sdk', 'libs/event-runtime', 'bench/sdk'], {
        encoding: 'utf8',
      }).trim() !== '',
    node: process.version,
    loadavg: loadavg(),
    settings: {
      rounds: ROUNDS,
      requests: REQUESTS,
      maxEvents: EVENTS,
      compression: COMPRESSION,
      partitions: Number(args.partitions),
      client: args.client,
    },
    rows,
  };
  mkdirSync('bench/results', { recursive: true });
  const out = `bench/results/sdk-ratio-${at.replaceAll(':', '-')}.json`;
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`results: ${out}`);
}

/** Closes the `--client` producer, if one was made. */
let closeOther: (() => Promise<void>) | undefined;

/**
 * Raw sends of the pre-encoded messages through another client: @platformatic/kafka with the same idempotence,
 * acks, compression and partition assignment (its `compatibilityPartitioner` is murmur2 & 0x7fffffff, then
 * modulo the partition count: kafkajs' and Java's). Its message objects are built inside the timed send, which
 * only counts against it.
 */
async function otherClient(
  name: string,
): Promise<{ send: (messages: readonly Message[], batch: number) => Promise<number> }> {
  if (name !== 'platformatic')
    throw new Error(`--client ${name}: the one other client measured is platformatic`);
  const { Producer, ProduceAcks, compatibilityPartitioner, stringSerializer } =
    await import('@platformatic/kafka');
  const producer = new Producer<string, Buffer, Buffer, Buffer>({
    clientId: 'bench-sdk-platformatic',
    bootstrapBrokers: kafkaBrokers,
    idempotent: true,
    acks: ProduceAcks.ALL,
    compression: COMPRESSION,
    partitioner: compatibilityPartitioner,
    serializers: { key: stringSerializer },
  });
  closeOther = () => producer.close();
  return {
    send: async (messages, batch) => {
      for (let i = 0; i < messages.length; i += batch) {
        await producer.send({
          messages: messages
            .slice(i, i + batch)
            .map((m) => ({ topic, key: m.key as string, value: m.value as Buffer })),
        });
      }
      return messages.length;
    },
  };
}

async function main(): Promise<void> {
  registerCompressionCodecs();
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic, numPartitions: Number(args.partitions) }],
    waitForLeaders: true,
  });
  const schemaId = await registry.register(subject, JSON.stringify(cls.schema));
  const raw = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    retry: { retries: 2, initialRetryTime: 100 },
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  // The same raw sends with the SDK's partitioner: separates the SDK's own cost from its partitioner's gain.
  const rawFast = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    retry: { retries: 2, initialRetryTime: 100 },
    createPartitioner,
  });
  const sdk = createProducer({
    kafka,
    registry,
    lingerMs: 0,
    batchSize: BATCH,
    compression: COMPRESSION,
    acks: -1,
  });
  try {
    await raw.connect();
    await rawFast.connect();
    await sdk.connect();
    const encoder = new WireEncoder();
    const type = encodingType(cls); // what the producer writes with, after validation
    const slice = 10 * BATCH;

    // What the SDK does per event before Kafka: one pass that checks and writes (the compiled writer). Looked up
    // loosely so that this file also runs in a checkout from before the writer, to measure "before" side by side:
    // there it is the validator followed by avsc's encoding, as the SDK did then.
    const write = (runtime as Partial<typeof runtime>).checkedWriter?.(cls.type);
    const encodeOnly = (data: readonly AdImpressionInput[]): number => {
      for (const e of data) {
        if (write !== undefined) {
          if (encoder.encodeChecked(write, schemaId, e) === undefined) throw new Error('invalid sample');
        } else {
          if (!cls.isValid(e)) throw new Error('invalid sample');
          encoder.encode(type, schemaId, e);
        }
      }
      return data.length;
    };
    const preEncode = (data: readonly AdImpressionInput[]): Message[] =>
      data.map((e) => ({ key: e.event_id, value: encoder.encode(type, schemaId, e) }));
    const sendRaw = async (
      messages: readonly Message[],
      producer: typeof raw,
      batch = BATCH,
    ): Promise<number> => {
      for (let i = 0; i < messages.length; i += batch) {
        await producer.sendBatch({
          topicMessages: [{ topic, messages: messages.slice(i, i + batch) }],
          acks: -1,
          compression: COMPRESSION_CODE,
        });
      }
      return messages.length;
    };
    const sendSdk = async (data: readonly AdImpressionInput[], batch = BATCH): Promise<number> => {
      for (let i = 0; i < data.length; i += batch) await sdk.sendBatch(cls, data.slice(i, i + batch));
      return data.length;
    };

    if (args.batches !== undefined) {
      const sendOther = args.client === undefined ? undefined : await otherClient(args.client);
      await ratios(args.batches.split(',').map(Number), {
        preEncode,
        sendRaw: (m, b) => sendRaw(m, rawFast, b),
        sendSdk,
        encodeOnly,
        ...(sendOther === undefined ? {} : { sendOther: sendOther.send }),
      });
      return;
    }

    // Warm-up: JIT, connections, metadata, schema id cache.
    const warm = events(2 * slice);
    await sendRaw(preEncode(warm), raw);
    await sendRaw(preEncode(warm), rawFast);
    await sendSdk(warm);
    encodeOnly(warm);

    // The machine is shared (the broker runs on it too), so the three senders are interleaved slice by slice
    // (ten batches), rotating which goes first, and their CPU times summed. Each slice's events are made and
    // pre-encoded untimed, so the live heap stays small. Caveat: a scavenge runs whenever the young generation
    // fills, so part of one sender's garbage is collected during the next one's slice (rotation spreads this).
    const results: Record<'encode' | 'raw' | 'rawFast' | 'sdk', Measure[]> = {
      encode: [],
      raw: [],
      rawFast: [],
      sdk: [],
    };
    for (let r = 0; r < ROUNDS; r++) {
      const round = { encode: zero(), raw: zero(), rawFast: zero(), sdk: zero() };
      for (let from = 0, k = 0; from < EVENTS; from += slice, k++) {
        const data = events(Math.min(slice, EVENTS - from));
        const messages = preEncode(data);
        const sides = ['encode', 'raw', 'rawFast', 'sdk'] as const;
        for (let n = 0; n < sides.length; n++) {
          const side = sides[(n + k + r) % sides.length] ?? 'raw';
          if (args.only !== undefined && args.only !== side) continue;
          const m = await measure(async () =>
            side === 'encode'
              ? encodeOnly(data)
              : side === 'sdk'
                ? sendSdk(data)
                : sendRaw(messages, side === 'raw' ? raw : rawFast),
          );
          round[side].events += m.events;
          round[side].wallMs += m.wallMs;
          round[side].cpuMs += m.cpuMs;
        }
      }
      for (const side of ['encode', 'raw', 'rawFast', 'sdk'] as const) results[side].push(round[side]);
    }

    const row = (name: string, ms: Measure[]): { name: string; perSec: number; perCore: number } => ({
      name,
      perSec: median(ms.map(perSec)),
      perCore: median(ms.map(perCore)),
    });
    const rows = [
      row('check+encode only', results.encode),
      row('raw kafkajs, pre-encoded', results.raw),
      row('SDK sendBatch', results.sdk),
      row('raw kafkajs, pre-encoded, SDK partitioner', results.rawFast),
    ];
    const sample = preEncode(events(1000));
    const avgBytes = sample.reduce((n, m) => n + (m.value as Buffer).length, 0) / sample.length;
    console.log(
      `events ${EVENTS} x ${ROUNDS} rounds (median), batch ${BATCH}, acks -1, idempotent, compression ${COMPRESSION}, ` +
        `${args.partitions} partitions, ${avgBytes.toFixed(0)} bytes/event framed, node ${process.version}`,
    );
    console.log('| path | events/s (wall) | events/s per core (CPU) |');
    console.log('| --- | ---: | ---: |');
    for (const r of rows)
      console.log(
        `| ${r.name} | ${Math.round(r.perSec).toLocaleString('en-US')} | ${Math.round(r.perCore).toLocaleString('en-US')} |`,
      );
    const [, rawRow, sdkRow, fastRow] = rows;
    const overhead = (base: typeof rawRow, label: string): void => {
      if (base === undefined || sdkRow === undefined) return;
      const cpu = (base.perCore / sdkRow.perCore - 1) * 100;
      const wall = (base.perSec / sdkRow.perSec - 1) * 100;
      console.log(
        `SDK overhead over ${label}: ${cpu.toFixed(1)}% CPU per event, ${wall.toFixed(1)}% wall time per event`,
      );
    };
    overhead(rawRow, 'raw kafkajs');
    overhead(fastRow, "raw kafkajs with the SDK partitioner (the SDK's own cost)");
  } finally {
    await closeOther?.();
    await sdk.close();
    await raw.disconnect();
    await rawFast.disconnect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
    await fetch(`${registryUrl}/subjects/${subject}`, { method: 'DELETE' }).catch(() => undefined);
    await fetch(`${registryUrl}/subjects/${subject}?permanent=true`, { method: 'DELETE' }).catch(
      () => undefined,
    );
  }
}

await main();
