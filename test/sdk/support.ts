// Shared helpers of the SDK integration tests: stack clients, unique topics and subjects with cleanup, sample
// events for every generated class, classes renamed onto unique subjects/topics, and small v1/v2 codecs.
import { randomUUID } from 'node:crypto';
import avro from 'avsc';
import type { Type } from 'avsc';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import type { Admin, IHeaders, KafkaMessage } from 'kafkajs';
import type {
  AdClickInput,
  AdEngagementInput,
  AdImpressionInput,
  EventCodec,
  ValidationResult,
} from '@adlake/events';
import { AdImpression } from '@adlake/events';
import { endpoints, loadStackConfig } from '@adlake/stack';
import { createRegistryClient } from '@adlake/sdk';
import { uniqueName } from '../support/unique.ts';

export const { kafkaBrokers, registryUrl } = endpoints(loadStackConfig());
export const kafka = new Kafka({ clientId: 'sdk-it', brokers: kafkaBrokers, logLevel: logLevel.NOTHING });
export const registry = createRegistryClient({ url: registryUrl });

/** Creates topics and subjects with unique names and deletes them all in `cleanup()`. */
export class Scratch {
  readonly topics: string[] = [];
  readonly subjects: string[] = [];
  #admin: Admin | undefined;

  async admin(): Promise<Admin> {
    if (this.#admin === undefined) {
      this.#admin = kafka.admin();
      await this.#admin.connect();
    }
    return this.#admin;
  }

  async topic(prefix: string, numPartitions = 1): Promise<string> {
    const topic = uniqueName(`sdk-${prefix}`);
    this.topics.push(topic);
    await (await this.admin()).createTopics({ topics: [{ topic, numPartitions }], waitForLeaders: true });
    return topic;
  }

  subject(prefix: string): string {
    const subject = uniqueName(`sdk-${prefix}`);
    this.subjects.push(subject);
    return subject;
  }

  async cleanup(): Promise<void> {
    const admin = await this.admin();
    if (this.topics.length > 0) await admin.deleteTopics({ topics: this.topics }).catch(() => undefined);
    await admin.disconnect();
    // Referencing subjects first: a subject still referenced cannot be deleted.
    for (const subject of [...this.subjects].reverse()) {
      await fetch(`${registryUrl}/subjects/${encodeURIComponent(subject)}`, { method: 'DELETE' }).catch(
        () => undefined,
      );
      await fetch(`${registryUrl}/subjects/${encodeURIComponent(subject)}?permanent=true`, {
        method: 'DELETE',
      }).catch(() => undefined);
    }
  }
}

export async function setCompatibility(subject: string, level: string): Promise<void> {
  const response = await fetch(`${registryUrl}/config/${encodeURIComponent(subject)}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ compatibility: level }),
  });
  if (!response.ok) throw new Error(`PUT /config/${subject}: ${response.status} ${await response.text()}`);
}

/** The same class on another subject and topic (generated classes carry the production names). */
export function renamed<V, I>(
  eventClass: EventCodec<V, I>,
  subject: string,
  topic: string,
): EventCodec<V, I> {
  return {
    subject,
    topic,
    fullname: eventClass.fullname,
    schema: eventClass.schema,
    longs: eventClass.longs,
    get type() {
      return eventClass.type;
    },
    validate: (value, options) => eventClass.validate(value, options),
    isValid: (value): value is I => eventClass.isValid(value),
    encode: (value) => eventClass.encode(value),
    decode: (bytes) => eventClass.decode(bytes),
    avroOptions: (values) => eventClass.avroOptions(values),
  };
}

/**
 * A minimal generated-like codec over an avsc Type, for schema-evolution tests. The avsc options (exact longs,
 * logical types) are the generated runtime's, which do not depend on the schema.
 */
export function codecFor<V>(schema: object, subject: string, topic: string): EventCodec<V, V> {
  const avroOptions = (values?: 'class' | 'lossless'): ReturnType<EventCodec<V, V>['avroOptions']> =>
    AdImpression.avroOptions(values);
  const type: Type = avro.Type.forSchema(schema as never, avroOptions() as never);
  const validate = (value: unknown): ValidationResult => {
    const errors: ValidationResult['errors'] = [];
    type.isValid(value, {
      errorHook: (path: string[], actual: unknown, at: Type) =>
        errors.push({ path: path.join('.'), expected: String(at.typeName), actual: typeof actual }),
    });
    return { valid: errors.length === 0, errors };
  };
  return {
    subject,
    topic,
    fullname: (type as unknown as { name?: string }).name,
    schema: schema as EventCodec<V, V>['schema'],
    longs: 'number',
    type,
    validate,
    isValid: (value): value is V => type.isValid(value),
    encode: (value) => type.toBuffer(value),
    decode: (bytes) => type.fromBuffer(Buffer.from(bytes)) as V,
    avroOptions,
  };
}

const device = { device_type: 'PHONE', os: 'iOS', os_version: '18.1', advertising_id: randomUUID() } as const;

export function sampleImpression(i = 0): AdImpressionInput {
  return {
    event_id: randomUUID(),
    event_time: new Date(1_764_000_000_000 + i),
    billing_date: new Date('2026-11-23T00:00:00Z'),
    request_id: randomUUID(),
    ad_id: 1000 + i,
    campaign_id: 77,
    creative_id: 501,
    advertiser_id: 9,
    placement: 'PRE_ROLL',
    device,
    geo: { country: 'US', region: 'CA', dma_code: 807, latitude: 37.77, longitude: -122.42 },
    price_micros: 2_500_000,
    currency: 'EUR',
    fx_rate_to_usd: '1.080000000',
    segment_ids: [1, 2, 3],
    viewability: [{ measured_at: new Date(1_764_000_000_500), visible_percent: 80, in_view_ms: 1200 }],
    attributes: { genre: 'news' },
  };
}

export function sampleClick(i = 0): AdClickInput {
  return {
    event_id: randomUUID(),
    event_time: new Date(1_764_000_001_000 + i),
    request_id: randomUUID(),
    impression_id: randomUUID(),
    ad_id: 2000 + i,
    campaign_id: 77,
    creative_id: 501,
    placement: 'BANNER',
    device,
    click_url: 'https://example.com/landing',
    cost_micros: 150_000,
  };
}

export function sampleEngagement(i = 0): AdEngagementInput {
  return {
    event_id: randomUUID(),
    event_time: new Date(1_764_000_002_000 + i),
    request_id: randomUUID(),
    impression_id: randomUUID(),
    ad_id: 3000 + i,
    campaign_id: 77,
    creative_id: 501,
    engagement_type: 'MIDPOINT',
    placement: 'MID_ROLL',
    playhead_ms: 15_000,
    device,
  };
}

export interface RawRecord {
  partition: number;
  message: KafkaMessage;
}

/** Reads `count` records of a topic from the beginning with plain kafkajs (or times out with what it got). */
export async function readRaw(topic: string, count: number, timeoutMs = 20_000): Promise<RawRecord[]> {
  const consumer = kafka.consumer({ groupId: uniqueName('sdk-raw') });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const records: RawRecord[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`read ${records.length} of ${count} records from ${topic}`)),
        timeoutMs,
      );
      void consumer.run({
        eachMessage: async ({ partition, message }) => {
          records.push({ partition, message });
          if (records.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return records;
}

/** Produces raw bytes with kafkajs directly (poison records). */
export async function produceRaw(
  topic: string,
  values: (Buffer | null)[],
  headers?: IHeaders,
): Promise<void> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    await producer.send({
      topic,
      messages: values.map((value, i) => ({ key: `raw-${i}`, value, ...(headers ? { headers } : {}) })),
    });
  } finally {
    await producer.disconnect();
  }
}

/** Sum of the high watermarks of a topic: how many records were ever written to it. */
export async function recordCount(admin: Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((n, p) => n + Number(p.high), 0);
}

/** Collects `count` handler calls from an SDK consumer, or rejects after `timeoutMs`. */
export function collector<T>(count: number, timeoutMs = 30_000): { push(item: T): void; done: Promise<T[]> } {
  const items: T[] = [];
  let resolve!: (items: T[]) => void;
  const done = new Promise<T[]>((res, reject) => {
    resolve = res;
    setTimeout(() => reject(new Error(`collected ${items.length} of ${count}`)), timeoutMs).unref();
  });
  return {
    push(item) {
      items.push(item);
      if (items.length === count) resolve(items);
    },
    done,
  };
}
