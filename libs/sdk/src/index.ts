// Public API of @adlake/sdk: the typed producer and consumer, the wire decoder and dead-letter helper the sink
// reuses, the registry client, errors, retry policy and instrumentation channels.
// The contract every event class meets, from the runtime the generated classes are built on.
export type { EventCodec } from '@adlake/event-runtime';
export { createProducer, PRODUCER_OPTIONS } from './producer.ts';
export type { CreateProducerOptions, Producer, SendOptions } from './producer.ts';
export { createConsumer } from './consumer.ts';
export type {
  ConsumedEvent,
  Consumer,
  CreateConsumerOptions,
  DecodeErrorReport,
  EventHandler,
  SubscribeOptions,
} from './consumer.ts';
export { createWireDecoder, DecodeFailureCodes } from './decoder.ts';
export type {
  DecodeFailure,
  DecodeFailureCode,
  DecodeResult,
  DecodeSuccess,
  WireDecoder,
  WireDecoderOptions,
} from './decoder.ts';
export { deadLetter, DLQ_HEADERS } from './dead-letter.ts';
export type { DeadLetterReason, OriginRecord } from './dead-letter.ts';
export { createRegistryClient, fromConfluentSchemaRegistry, toRegistryClient } from './registry/client.ts';
export type {
  RegisteredSchema,
  RegistryClient,
  RegistryClientOptions,
  RegistryOption,
  SchemaReference,
} from './registry/client.ts';
export { canonicalForm, fingerprint } from './registry/resolve.ts';
export { SchemaIdCache } from './schema-ids.ts';
export type { AnyEventClass, SchemaIdOptions, SchemaIdSource } from './schema-ids.ts';
export { SdkError, SdkErrorCodes, isRetriable } from './errors.ts';
export type { InvalidField, SdkErrorCode, SdkErrorContext } from './errors.ts';
// The producer's `retry` option is a policy of @adlake/retry, the one retry helper.
export type { RetryPolicy } from '@adlake/retry';
export { CHANNEL_NAMES, collectMetrics } from './instrumentation.ts';
export type { SdkMetrics } from './instrumentation.ts';
export { COMPRESSIONS, registerCompressionCodecs } from './compression.ts';
export type { Compression } from './compression.ts';
export { encodingType } from './avro-types.ts';
export { createPartitioner, murmur2 } from './partitioner.ts';
export { HARMLESS_KAFKAJS_LOGS, ignoreKafkajsTimerWarning, kafkaLogCreator } from './kafka.ts';
export type { KafkaLogLevel } from './kafka.ts';
export { HEADER_SIZE, MAGIC_BYTE, WireEncoder, frame, readSchemaId } from './wire.ts';
export {
  checkConsumerAccess,
  KafkaRefusals,
  KAFKA_SECURITY_PROTOCOLS,
  kafkaAccessError,
  kafkaSecurityConfig,
  readSecret,
  SASL_MECHANISMS,
} from './security.ts';
export type {
  KafkaAccess,
  KafkaSecurity,
  KafkaSecurityProtocol,
  SaslMechanism,
  SecretSource,
  SettingNames,
} from './security.ts';
