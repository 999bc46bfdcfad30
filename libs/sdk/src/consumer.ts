// The typed consumer: per subscribed class, decodes each fetched batch with the wire decoder (writer schema by
// id, resolved to the class's schema) and hands typed values to the handler; undecodable records are reported
// with their coordinates and reason, and dead-lettered when a topic is configured, never dropped silently.
import { performance } from 'node:perf_hooks';
import { Partitioners } from 'kafkajs';
import type {
  Consumer as KafkaConsumer,
  ConsumerConfig,
  EachBatchPayload,
  IHeaders,
  Producer as KafkaProducer,
} from 'kafkajs';
import type { EventCodec } from '@adlake/event-runtime';
import { registerCompressionCodecs } from './compression.ts';
import { deadLetter } from './dead-letter.ts';
import type { OriginRecord } from './dead-letter.ts';
import { createWireDecoder } from './decoder.ts';
import type { DecodeFailure, WireDecoder } from './decoder.ts';
import { SdkError, SdkErrorCodes, errorMessage } from './errors.ts';
import { channels } from './instrumentation.ts';
import { toKafka } from './kafka.ts';
import type { KafkaOption } from './kafka.ts';
import { toRegistryClient } from './registry/client.ts';
import type { RegistryClient, RegistryOption } from './registry/client.ts';

export interface ConsumedEvent<V> {
  value: V;
  topic: string;
  partition: number;
  offset: string;
  /** Record timestamp, ms since the epoch as a string (kafkajs' representation). */
  timestamp: string;
  key: Buffer | null;
  headers: IHeaders;
  /** Registry id of the schema the record was written with. */
  schemaId: number;
}

export interface DecodeErrorReport extends DecodeFailure {
  topic: string;
  partition: number;
  offset: string;
  /** The dead-letter topic the record went to, if any. */
  deadLetterTopic?: string;
}

export interface CreateConsumerOptions {
  kafka: KafkaOption;
  registry: RegistryOption;
  groupId: string;
  /** Where undecodable records go: a topic, or a function of the origin topic. Unset: reported and skipped. */
  deadLetterTopic?: string | ((topic: string) => string);
  /** Called for every undecodable record (after it was dead-lettered). Default: a structured warning on the kafkajs logger. */
  onDecodeError?: (report: DecodeErrorReport) => void;
  /** Extra kafkajs consumer settings (sessionTimeout, retry, ...). */
  consumerConfig?: Omit<ConsumerConfig, 'groupId'>;
  /** clientId when `kafka` is plain config. */
  clientId?: string;
}

export interface SubscribeOptions {
  /** Overrides the class's topic. */
  topic?: string;
  /** Start from the earliest offset when the group has no committed offset (default false: latest). */
  fromBeginning?: boolean;
}

export type EventHandler<V> = (event: ConsumedEvent<V>) => Promise<void> | void;

export interface Consumer {
  /** Adds a class and its handler; call before `run`. One class per topic. */
  subscribe<V>(
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any input type
    eventClass: EventCodec<V, any>,
    handler: EventHandler<V>,
    options?: SubscribeOptions,
  ): Consumer;
  /** Connects, subscribes and starts consuming; resolves once the consumer runs. */
  run(): Promise<void>;
  /** Stops consuming, commits what was handled, disconnects. */
  close(): Promise<void>;
}

interface Subscription {
  topic: string;
  fromBeginning: boolean;
  decoder: WireDecoder<unknown>;
  handler: EventHandler<unknown>;
}

export function createConsumer(options: CreateConsumerOptions): Consumer {
  if (typeof options.groupId !== 'string' || options.groupId === '') {
    throw new SdkError(SdkErrorCodes.CONFIG_INVALID, '/options/groupId must be a non-empty string', {
      context: { option: '/options/groupId' },
    });
  }
  registerCompressionCodecs();
  const kafka = toKafka(options.kafka, options.clientId ?? 'adlake-sdk');
  const registry: RegistryClient = toRegistryClient(options.registry);
  const logger = kafka.logger().namespace('adlake-sdk');
  const subscriptions = new Map<string, Subscription>();
  const deadLetterTopic =
    typeof options.deadLetterTopic === 'function'
      ? options.deadLetterTopic
      : (): string | undefined => options.deadLetterTopic as string | undefined;
  const report =
    options.onDecodeError ??
    ((r: DecodeErrorReport): void => {
      logger.warn('record cannot be decoded', { ...r });
    });
  let consumer: KafkaConsumer | undefined;
  let dlqProducer: KafkaProducer | undefined;
  let closed = false;

  async function onFailure(
    payload: EachBatchPayload,
    message: EachBatchPayload['batch']['messages'][number],
    failure: DecodeFailure,
  ): Promise<void> {
    const { topic, partition } = payload.batch;
    const target = deadLetterTopic(topic);
    const r: DecodeErrorReport = { ...failure, topic, partition, offset: message.offset };
    if (channels.decodeFailed.hasSubscribers) channels.decodeFailed.publish(r);
    if (target !== undefined && dlqProducer !== undefined) {
      const origin: OriginRecord = {
        topic,
        partition,
        offset: message.offset,
        timestamp: message.timestamp,
        key: message.key,
        value: message.value,
        ...(message.headers === undefined ? {} : { headers: message.headers }),
      };
      // A failure here throws: the batch is retried from the last resolved offset, nothing is skipped.
      await deadLetter(dlqProducer, target, origin, failure);
      r.deadLetterTopic = target;
      if (channels.deadLettered.hasSubscribers) {
        channels.deadLettered.publish({
          topic,
          partition,
          offset: message.offset,
          deadLetterTopic: target,
          code: failure.code,
        });
      }
    }
    report(r);
  }

  async function eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, isRunning, isStale } = payload;
    const subscription = subscriptions.get(batch.topic);
    if (subscription === undefined) return;
    const started = channels.consumed.hasSubscribers ? performance.now() : 0;
    // One registry round trip per new writer id for the whole batch; a registry outage throws (retriable) so
    // kafkajs retries the batch instead of dead-lettering healthy records.
    await subscription.decoder.prepare(batch.messages.map((m) => m.value));
    let handled = 0;
    for (const message of batch.messages) {
      if (!isRunning() || isStale()) break;
      let result = subscription.decoder.decodeSync(message.value);
      if (!result.ok && result.code === 'SCHEMA_NOT_LOADED')
        result = await subscription.decoder.decode(message.value);
      if (result.ok) {
        try {
          await subscription.handler({
            value: result.value,
            topic: batch.topic,
            partition: batch.partition,
            offset: message.offset,
            timestamp: message.timestamp,
            key: message.key,
            headers: message.headers ?? {},
            schemaId: result.schemaId,
          });
        } catch (error) {
          throw new SdkError(
            SdkErrorCodes.HANDLER_FAILED,
            `handler failed on ${batch.topic}/${batch.partition}@${message.offset}: ${errorMessage(error)}`,
            {
              retriable: true,
              cause: error,
              context: { topic: batch.topic, partition: batch.partition, offset: message.offset },
            },
          );
        }
        handled++;
      } else {
        await onFailure(payload, message, result);
      }
      resolveOffset(message.offset);
      await heartbeat();
    }
    if (channels.consumed.hasSubscribers) {
      channels.consumed.publish({
        topic: batch.topic,
        partition: batch.partition,
        count: handled,
        durationMs: performance.now() - started,
      });
    }
  }

  const api: Consumer = {
    subscribe(eventClass, handler, subscribeOptions = {}) {
      const topic = subscribeOptions.topic ?? eventClass.topic;
      if (topic === undefined) {
        throw new SdkError(
          SdkErrorCodes.NO_TOPIC,
          `${eventClass.subject} has no topic: pass { topic } to subscribe()`,
          {
            context: { subject: eventClass.subject },
          },
        );
      }
      if (consumer !== undefined)
        throw new SdkError(SdkErrorCodes.CONFIG_INVALID, 'subscribe() must come before run()');
      subscriptions.set(topic, {
        topic,
        fromBeginning: subscribeOptions.fromBeginning ?? false,
        decoder: createWireDecoder({ registry, readerClass: eventClass }) as WireDecoder<unknown>,
        handler: handler as EventHandler<unknown>,
      });
      return api;
    },
    async run() {
      if (closed) throw new SdkError(SdkErrorCodes.CLIENT_CLOSED, 'the consumer is closed');
      if (subscriptions.size === 0)
        throw new SdkError(SdkErrorCodes.CONFIG_INVALID, 'subscribe() to at least one class before run()');
      consumer = kafka.consumer({ ...options.consumerConfig, groupId: options.groupId });
      if (options.deadLetterTopic !== undefined) {
        // Bounded retries: a missing or unwritable DLQ topic must surface, not retry forever.
        dlqProducer = kafka.producer({
          retry: { retries: 5 },
          createPartitioner: Partitioners.DefaultPartitioner,
        });
        await dlqProducer.connect();
      }
      await consumer.connect();
      for (const s of subscriptions.values())
        await consumer.subscribe({ topic: s.topic, fromBeginning: s.fromBeginning });
      await consumer.run({ eachBatchAutoResolve: false, eachBatch });
    },
    async close() {
      if (closed) return;
      closed = true;
      await consumer?.disconnect();
      await dlqProducer?.disconnect();
    },
  };
  return api;
}
