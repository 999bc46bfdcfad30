// The typed producer: validates every event before anything is sent, frames it in the Confluent wire format
// with the class's registry id, accumulates batches (linger, size caps) and sends them through one idempotent
// kafkajs producer, retrying retriable failures with jittered backoff.
import { performance } from 'node:perf_hooks';
import type { IHeaders, Message, Producer as KafkaProducer, TopicMessages } from 'kafkajs';
import type { Type } from 'avsc';
import { checkedWriter } from '@adlake/event-runtime';
import type { EventCodec } from '@adlake/event-runtime';
import { resolvePolicy, retry, RetryError } from '@adlake/retry';
import type { RetryPolicy } from '@adlake/retry';
import { encodingType } from './avro-types.ts';
import { COMPRESSION_TYPES, COMPRESSIONS, registerCompressionCodecs } from './compression.ts';
import type { Compression } from './compression.ts';
import { SdkError, SdkErrorCodes, errorMessage, invalidEventError, isRetriable } from './errors.ts';
import type { InvalidField } from './errors.ts';
import { channels } from './instrumentation.ts';
import { toKafka } from './kafka.ts';
import { createPartitioner } from './partitioner.ts';
import type { KafkaOption } from './kafka.ts';
import { bool, integer, oneOf, resolveOptions } from './options.ts';
import type { OptionSpec } from './options.ts';
import { toRegistryClient } from './registry/client.ts';
import type { RegistryOption } from './registry/client.ts';
import { SchemaIdCache } from './schema-ids.ts';
import type { AnyEventClass } from './schema-ids.ts';
import { WireEncoder } from './wire.ts';

export const PRODUCER_OPTIONS = {
  lingerMs: {
    doc: 'How long a send waits for more events before its batch goes out (ms). 0 sends at once; batches still grow while a request is in flight.',
    default: 5,
    check: integer(0, 60_000),
  },
  batchSize: {
    doc: 'Most events in one produce request; a larger sendBatch is split.',
    default: 10_000,
    check: integer(1, 1_000_000),
  },
  batchBytes: {
    doc: 'Most encoded (uncompressed) bytes in one produce request; keep below the broker message.max.bytes after compression.',
    default: 900_000,
    check: integer(1024),
  },
  compression: {
    doc: 'Batch compression: none, gzip, snappy, lz4 or zstd. Consumers of snappy, lz4 and zstd need the codecs (this SDK registers them).',
    default: 'zstd' as Compression,
    check: oneOf(...COMPRESSIONS),
  },
  acks: {
    doc: 'Acknowledgements: -1 (all in-sync replicas), 1 (leader) or 0. The idempotent producer needs -1.',
    default: -1 as -1 | 0 | 1,
    check: oneOf(-1, 0, 1),
  },
  idempotent: {
    doc: 'Idempotent producer: broker-side de-duplication of retried batches (one request in flight).',
    default: true,
    check: bool,
  },
  deliveryTimeoutMs: {
    doc: "How long a send may keep retrying retriable failures (a broker restarting, a leader election) before the caller is told, as Kafka's delivery.timeout.ms (ms).",
    default: 120_000,
    check: integer(1),
  },
  timeoutMs: {
    doc: 'Broker-side time to wait for the acknowledgements of one request (ms).',
    default: 30_000,
    check: integer(1),
  },
  keyField: {
    doc: 'Field of the event used as the record key (string or Buffer); null sends no key unless send() gives one.',
    default: 'event_id' as string | null,
    check: (v: unknown) =>
      v === null || (typeof v === 'string' && v !== '') ? undefined : 'must be a field name or null',
  },
  autoRegister: {
    doc: 'Register a class schema that is not found. Local development only: in production the release step registers.',
    default: false,
    check: bool,
  },
  clientId: {
    doc: 'clientId of the kafkajs client built from plain config.',
    default: 'adlake-sdk',
    check: (v: unknown) => (typeof v === 'string' ? undefined : 'must be a string'),
  },
} satisfies Record<string, OptionSpec<unknown>>;

type Tuning = { -readonly [K in keyof typeof PRODUCER_OPTIONS]?: (typeof PRODUCER_OPTIONS)[K]['default'] };

export interface CreateProducerOptions extends Tuning {
  /** The application's kafkajs `Kafka`, or plain config (`{ brokers, ... }`) to build one. */
  kafka: KafkaOption;
  /** A `RegistryClient`, a @kafkajs/confluent-schema-registry `SchemaRegistry`, or `{ url }`. */
  registry: RegistryOption;
  /** Registry ids fixed per class: `[[AdImpression, 42]]`. */
  schemaIds?: Iterable<readonly [AnyEventClass, number]>;
  /**
   * Backoff for retriable send failures (defaults: 100 ms doubling to 10 s, ±20 % jitter, no count bound).
   * The deadline is always `deliveryTimeoutMs`; `maxAttempts` may bound the tries further.
   */
  retry?: Partial<Omit<RetryPolicy, 'deadlineMs' | 'lastWait'>>;
}

/**
 * Retries of a send are bounded by the delivery timeout, not a count: a broker restart must be waited out
 * however many tries it takes, and the last wait is shortened so the caller hears at the timeout, not after.
 */
const SEND_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxAttempts: Infinity,
  initialDelayMs: 100,
  maxDelayMs: 10_000,
  multiplier: 2,
  jitter: 0.2,
  lastWait: 'shorten',
});

export interface SendOptions {
  /** Overrides the class's topic. */
  topic?: string;
  /** Overrides the key taken from `keyField`; null sends no key. */
  key?: string | Buffer | null;
  headers?: IHeaders;
  partition?: number;
  /** Record timestamp (default: now, set by kafkajs). */
  timestamp?: Date | number;
}

export interface Producer {
  connect(): Promise<void>;
  /** Validates, encodes and queues one event; resolves when its batch is acknowledged. */
  send<I>(eventClass: EventCodec<unknown, I>, event: NoInfer<I>, options?: SendOptions): Promise<void>;
  /** The same for many events of one class: all are validated first, and none is sent if one is invalid. */
  sendBatch<I>(
    eventClass: EventCodec<unknown, I>,
    events: readonly NoInfer<I>[],
    options?: SendOptions,
  ): Promise<void>;
  /** Sends everything queued now and resolves when it is acknowledged or failed. */
  flush(): Promise<void>;
  /** Rejects new sends, flushes, then disconnects. */
  close(): Promise<void>;
  /** The registry id used for a class (looked up and cached on first use). */
  schemaId(eventClass: AnyEventClass): Promise<number>;
}

interface Entry {
  topic: string;
  subject: string;
  messages: Message[];
  bytes: number;
  resolve: (value: undefined) => void;
  reject: (error: unknown) => void;
  promise: Promise<undefined>;
}

/** The send retry policy, checked at creation so that a bad `retry` option fails there, naming its field. */
function sendRetryPolicy(option: CreateProducerOptions['retry'], deliveryTimeoutMs: number): RetryPolicy {
  try {
    return resolvePolicy(
      { ...option, deadlineMs: deliveryTimeoutMs, lastWait: 'shorten' },
      SEND_RETRY_POLICY,
    );
  } catch (error) {
    if (!(error instanceof RetryError)) throw error;
    const field = `/options/retry/${error.context.option ?? ''}`;
    throw new SdkError(SdkErrorCodes.CONFIG_INVALID, `${field}: ${error.message}`, {
      context: { option: field },
    });
  }
}

export function createProducer(options: CreateProducerOptions): Producer {
  const { kafka: kafkaOption, registry: registryOption, schemaIds, retry: retryOption, ...tuning } = options;
  const config = resolveOptions(PRODUCER_OPTIONS, tuning);
  if (config.idempotent && config.acks !== -1) {
    throw new SdkError(
      SdkErrorCodes.CONFIG_INVALID,
      '/options/acks must be -1 when /options/idempotent is true',
      {
        context: { option: '/options/acks' },
      },
    );
  }
  const policy = sendRetryPolicy(retryOption, config.deliveryTimeoutMs);
  registerCompressionCodecs();
  const kafka = toKafka(kafkaOption, config.clientId);
  const ids = new SchemaIdCache(toRegistryClient(registryOption), {
    autoRegister: config.autoRegister,
    ...(schemaIds === undefined ? {} : { pinned: schemaIds }),
  });
  const kafkaProducer: KafkaProducer = kafka.producer({
    idempotent: config.idempotent,
    ...(config.idempotent ? { maxInFlightRequests: 1 } : {}),
    // A few quick in-client retries (metadata refresh, leader moves); the SDK's jittered retry wraps them.
    retry: { retries: 2, initialRetryTime: 100 },
    // kafkajs' DefaultPartitioner assignment, without its per-byte Long arithmetic.
    createPartitioner,
  });
  const compression = COMPRESSION_TYPES[config.compression];
  const encoder = new WireEncoder();

  let connecting: Promise<void> | undefined;
  let connected = false;
  let closed = false;
  let pending: Entry[] = [];
  let pendingCount = 0;
  let pendingBytes = 0;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  let urgent = false;

  function connect(): Promise<void> {
    connecting ??= kafkaProducer.connect().then(
      () => {
        connected = true;
      },
      (error: unknown) => {
        connecting = undefined;
        throw new SdkError(SdkErrorCodes.SEND_FAILED, `cannot connect the producer: ${errorMessage(error)}`, {
          retriable: isRetriable(error),
          cause: error,
        });
      },
    );
    return connecting;
  }

  function keyOf(event: unknown, options: SendOptions | undefined): string | Buffer | null | undefined {
    if (options?.key !== undefined) return options.key;
    if (config.keyField === null) return null;
    return (event as Record<string, unknown>)[config.keyField] as string | Buffer | null | undefined;
  }

  function check(
    eventClass: AnyEventClass,
    events: readonly unknown[],
    options: SendOptions | undefined,
  ): void {
    let errors: InvalidField[] | undefined;
    for (let i = 0; i < events.length; i++) {
      const event = events[i];
      if (!eventClass.isValid(event)) {
        for (const e of eventClass.validate(event).errors) (errors ??= []).push({ ...e, index: i });
        continue;
      }
      const key = keyOf(event, options);
      if (key !== null && typeof key !== 'string' && !Buffer.isBuffer(key)) {
        (errors ??= []).push({
          index: i,
          path: config.keyField ?? '(key)',
          expected: 'string or Buffer (record key, see keyField)',
          actual: key === undefined ? 'undefined' : typeof key,
        });
      }
    }
    if (errors !== undefined) {
      if (channels.rejected.hasSubscribers) {
        channels.rejected.publish({
          subject: eventClass.subject,
          count: new Set(errors.map((e) => e.index)).size,
          errors,
        });
      }
      throw invalidEventError(eventClass.subject, errors, events.length);
    }
  }

  /**
   * Frames the events into messages, in chunks of at most batchSize, after checking every one. Each event is
   * checked and written in one pass by the class's compiled writer; only when the writer refuses one (or its
   * key is not a string or Buffer) does `check` run the path-reporting validator over the call, which throws
   * with today's messages, or, for the rare value only avsc accepts, the event is written by avsc instead.
   */
  function frame(
    eventClass: AnyEventClass,
    events: readonly unknown[],
    options: SendOptions | undefined,
    schemaId: number,
  ): Message[][] {
    const write = checkedWriter(eventClass.type);
    let type: Type | undefined;
    if (write === undefined) {
      check(eventClass, events, options);
      type = encodingType(eventClass);
    }
    const headers = options?.headers;
    const partition = options?.partition;
    const timestamp = options?.timestamp === undefined ? undefined : String(+options.timestamp);
    const chunks: Message[][] = [];
    let checked = write === undefined;
    for (let start = 0; start < events.length; start += config.batchSize) {
      const end = Math.min(events.length, start + config.batchSize);
      const messages: Message[] = new Array<Message>(end - start);
      for (let i = start; i < end; i++) {
        const event = events[i];
        const key = keyOf(event, options);
        let value = write === undefined ? undefined : encoder.encodeChecked(write, schemaId, event);
        if (value === undefined || (key !== null && typeof key !== 'string' && !Buffer.isBuffer(key))) {
          if (!checked) {
            check(eventClass, events, options); // throws unless avsc accepts what the writer refused
            checked = true;
          }
          value ??= encoder.encode((type ??= encodingType(eventClass)), schemaId, event);
        }
        const message: Message = { key: key ?? null, value };
        if (headers !== undefined) message.headers = headers;
        if (partition !== undefined) message.partition = partition;
        if (timestamp !== undefined) message.timestamp = timestamp;
        messages[i - start] = message;
      }
      chunks.push(messages);
    }
    return chunks;
  }

  function queue(
    eventClass: AnyEventClass,
    events: readonly unknown[],
    options: SendOptions | undefined,
    schemaId: number,
  ): Promise<undefined> {
    const chunks = frame(eventClass, events, options, schemaId);
    const topic = options?.topic ?? eventClass.topic;
    if (topic === undefined) {
      throw new SdkError(
        SdkErrorCodes.NO_TOPIC,
        `${eventClass.subject} has no topic: pass { topic } to send()`,
        {
          context: { subject: eventClass.subject },
        },
      );
    }
    const waits: Promise<undefined>[] = [];
    for (const messages of chunks) {
      let bytes = 0;
      for (const m of messages) bytes += (m.value as Buffer).length;
      const { promise, resolve, reject } = Promise.withResolvers<undefined>();
      pending.push({ topic, subject: eventClass.subject, messages, bytes, resolve, reject, promise });
      pendingCount += messages.length;
      pendingBytes += bytes;
      waits.push(promise);
    }
    schedule();
    return waits.length === 1 ? (waits[0] as Promise<undefined>) : Promise.all(waits).then(() => undefined);
  }

  /**
   * A send once the class's id is known and the producer connected: no await before the events are queued,
   * so a send costs no extra turns of the event loop.
   */
  function enqueue(
    eventClass: AnyEventClass,
    events: readonly unknown[],
    options: SendOptions | undefined,
  ): Promise<undefined> {
    const schemaId = ids.get(eventClass);
    if (closed || !connected || schemaId === undefined) return enqueueFirst(eventClass, events, options);
    try {
      return queue(eventClass, events, options, schemaId);
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  /** The first send of a class or before the connection: invalid events fail before the registry is asked. */
  async function enqueueFirst(
    eventClass: AnyEventClass,
    events: readonly unknown[],
    options: SendOptions | undefined,
  ): Promise<undefined> {
    if (closed) throw new SdkError(SdkErrorCodes.CLIENT_CLOSED, 'the producer is closed');
    check(eventClass, events, options);
    const topic = options?.topic ?? eventClass.topic;
    if (topic === undefined) {
      throw new SdkError(
        SdkErrorCodes.NO_TOPIC,
        `${eventClass.subject} has no topic: pass { topic } to send()`,
        {
          context: { subject: eventClass.subject },
        },
      );
    }
    const schemaId = ids.get(eventClass) ?? (await ids.resolve(eventClass));
    if (connecting === undefined) await connect();
    else await connecting;
    if (closed) throw new SdkError(SdkErrorCodes.CLIENT_CLOSED, 'the producer is closed');
    return queue(eventClass, events, options, schemaId);
  }

  function schedule(): void {
    if (inFlight !== undefined) return; // the end of the request in flight drains the rest
    if (
      urgent ||
      pendingCount >= config.batchSize ||
      pendingBytes >= config.batchBytes ||
      config.lingerMs === 0
    ) {
      drain();
    } else if (timer === undefined && pending.length > 0) {
      timer = setTimeout(drain, config.lingerMs);
    }
  }

  function take(): Entry[] {
    let count = 0;
    let bytes = 0;
    let n = 0;
    for (const entry of pending) {
      if (
        n > 0 &&
        (count + entry.messages.length > config.batchSize || bytes + entry.bytes > config.batchBytes)
      )
        break;
      count += entry.messages.length;
      bytes += entry.bytes;
      n++;
    }
    const batch = pending.slice(0, n);
    pending = pending.slice(n);
    pendingCount -= count;
    pendingBytes -= bytes;
    return batch;
  }

  function drain(): void {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (inFlight !== undefined || pending.length === 0) return;
    const batch = take();
    inFlight = sendOne(batch).finally(() => {
      inFlight = undefined;
      if (pending.length === 0) {
        urgent = false;
        return;
      }
      // Events queued during the request have already waited a round trip: send them now.
      drain();
    });
  }

  async function sendOne(batch: Entry[]): Promise<void> {
    const observed = channels.sent.hasSubscribers || channels.failed.hasSubscribers;
    const started = observed ? performance.now() : 0;
    const byTopic = new Map<string, Message[]>();
    for (const entry of batch) {
      const list = byTopic.get(entry.topic);
      if (list === undefined) byTopic.set(entry.topic, entry.messages.slice());
      else for (const m of entry.messages) list.push(m);
    }
    const topicMessages: TopicMessages[] = [...byTopic].map(([topic, messages]) => ({ topic, messages }));
    try {
      await retry(
        () =>
          kafkaProducer.sendBatch({
            topicMessages,
            acks: config.acks,
            timeout: config.timeoutMs,
            compression,
          }),
        {
          ...policy,
          retriable: isRetriable,
          onRetry: channels.retry.hasSubscribers
            ? ({ attempt, delayMs, error }) => channels.retry.publish({ retry: attempt, delayMs, error })
            : undefined,
        },
      );
    } catch (error) {
      const topics = [...byTopic.keys()].join(', ');
      const failure = new SdkError(
        SdkErrorCodes.SEND_FAILED,
        `sending ${batch.reduce((n, e) => n + e.messages.length, 0)} events to ${topics} failed: ${errorMessage(error)}`,
        { retriable: isRetriable(error), cause: error, context: { topic: topics } },
      );
      if (channels.failed.hasSubscribers) {
        const durationMs = performance.now() - started;
        for (const [key, group] of groups(batch)) {
          channels.failed.publish({ ...key, count: group.count, durationMs, error: failure });
        }
      }
      for (const entry of batch) entry.reject(failure);
      return;
    }
    if (channels.sent.hasSubscribers) {
      const durationMs = performance.now() - started;
      for (const [key, group] of groups(batch)) {
        channels.sent.publish({ ...key, count: group.count, bytes: group.bytes, durationMs });
      }
    }
    for (const entry of batch) entry.resolve(undefined);
  }

  async function flush(): Promise<void> {
    const waits: Promise<unknown>[] = pending.map((e) => e.promise);
    if (inFlight !== undefined) waits.push(inFlight);
    urgent = true;
    drain();
    await Promise.allSettled(waits);
  }

  return {
    connect,
    send: (eventClass, event, options) => enqueue(eventClass, [event], options),
    sendBatch: (eventClass, events, options) =>
      events.length === 0 ? Promise.resolve() : enqueue(eventClass, events, options),
    flush,
    async close() {
      if (closed) return;
      closed = true;
      await flush();
      while (inFlight !== undefined) await inFlight;
      if (connecting !== undefined) await kafkaProducer.disconnect();
    },
    schemaId: (eventClass) => ids.resolve(eventClass),
  };
}

function groups(
  batch: readonly Entry[],
): Map<{ topic: string; subject: string }, { count: number; bytes: number }> {
  const byKey = new Map<string, [{ topic: string; subject: string }, { count: number; bytes: number }]>();
  for (const e of batch) {
    const id = `${e.topic}\u0000${e.subject}`;
    const found = byKey.get(id);
    if (found === undefined)
      byKey.set(id, [
        { topic: e.topic, subject: e.subject },
        { count: e.messages.length, bytes: e.bytes },
      ]);
    else {
      found[1].count += e.messages.length;
      found[1].bytes += e.bytes;
    }
  }
  return new Map(byKey.values());
}
