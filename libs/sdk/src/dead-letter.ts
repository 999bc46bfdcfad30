// Writes a record that cannot be processed to a dead-letter topic: key, value and headers kept byte for byte,
// plus headers naming the reason and the origin, so it can be inspected and replayed.
import type { IHeaders, Producer as KafkaProducer } from 'kafkajs';
import { SdkError, SdkErrorCodes, errorMessage, isRetriable } from './errors.ts';

export const DLQ_HEADERS = {
  reason: 'adlake.dlq.reason',
  errorCode: 'adlake.dlq.error-code',
  originTopic: 'adlake.dlq.origin.topic',
  originPartition: 'adlake.dlq.origin.partition',
  originOffset: 'adlake.dlq.origin.offset',
  originTimestamp: 'adlake.dlq.origin.timestamp',
  schemaId: 'adlake.dlq.schema-id',
  failedAt: 'adlake.dlq.failed-at',
} as const;

/** The record as read from Kafka (the shape of a kafkajs message plus its topic and partition). */
export interface OriginRecord {
  topic: string;
  partition: number;
  offset: string;
  timestamp: string;
  key?: Buffer | null;
  value: Buffer | null;
  headers?: IHeaders;
}

export interface DeadLetterReason {
  /** A decode failure code (`NOT_WIRE_FORMAT`, ...) or the application's own. */
  code: string;
  reason: string;
  schemaId?: number;
}

/**
 * Sends the record to `topic` with acks from all in-sync replicas and resolves when it is stored. Throws a
 * DEAD_LETTER_FAILED SdkError (retriable when Kafka's error was): the caller must then not commit the offset.
 */
export async function deadLetter(
  producer: Pick<KafkaProducer, 'send'>,
  topic: string,
  record: OriginRecord,
  reason: DeadLetterReason,
): Promise<void> {
  const headers: IHeaders = {
    ...record.headers,
    [DLQ_HEADERS.reason]: reason.reason,
    [DLQ_HEADERS.errorCode]: reason.code,
    [DLQ_HEADERS.originTopic]: record.topic,
    [DLQ_HEADERS.originPartition]: String(record.partition),
    [DLQ_HEADERS.originOffset]: record.offset,
    [DLQ_HEADERS.originTimestamp]: record.timestamp,
    [DLQ_HEADERS.failedAt]: String(Date.now()),
  };
  if (reason.schemaId !== undefined) headers[DLQ_HEADERS.schemaId] = String(reason.schemaId);
  try {
    await producer.send({
      topic,
      acks: -1,
      messages: [{ key: record.key ?? null, value: record.value, headers }],
    });
  } catch (error) {
    throw new SdkError(
      SdkErrorCodes.DEAD_LETTER_FAILED,
      `cannot dead-letter ${record.topic}/${record.partition}@${record.offset} to ${topic}: ${errorMessage(error)}`,
      {
        retriable: isRetriable(error),
        cause: error,
        context: { topic: record.topic, partition: record.partition, offset: record.offset },
      },
    );
  }
}
