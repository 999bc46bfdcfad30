// The Kafka client option: the application's own kafkajs `Kafka` (preferred: apps build clients), or plain
// config from which the SDK builds one.
import { Kafka, logLevel } from 'kafkajs';
import type { KafkaConfig } from 'kafkajs';
import { SdkError, SdkErrorCodes } from './errors.ts';

export type KafkaOption = Kafka | KafkaConfig;

export function toKafka(option: KafkaOption | undefined, clientId: string): Kafka {
  if (option instanceof Kafka || typeof (option as Kafka | undefined)?.producer === 'function')
    return option as Kafka;
  const config = option as KafkaConfig | undefined;
  if (config === undefined || (!Array.isArray(config.brokers) && typeof config.brokers !== 'function')) {
    throw new SdkError(
      SdkErrorCodes.CONFIG_INVALID,
      '/options/kafka must be a kafkajs Kafka or { brokers: string[], ... }',
      {
        context: { option: '/options/kafka' },
      },
    );
  }
  return new Kafka({ clientId, logLevel: logLevel.WARN, ...config });
}
