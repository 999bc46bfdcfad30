// The SDK's one error base: a code from a fixed list, a retriable flag, an optional cause and context fields.
import type { ValidationError } from '@adlake/event-runtime';

export const SdkErrorCodes = {
  /** An event failed validation against its class; nothing was sent. */
  INVALID_EVENT: 'INVALID_EVENT',
  /** An option has a wrong type or value (`/options/<key> ...`). */
  CONFIG_INVALID: 'CONFIG_INVALID',
  /** The class's schema is not registered under its subject (lookup by text and by fingerprint failed). */
  SCHEMA_NOT_REGISTERED: 'SCHEMA_NOT_REGISTERED',
  /** The registry answered with an error other than "not found". */
  REGISTRY_ERROR: 'REGISTRY_ERROR',
  /** The registry could not be reached or answered 5xx / 429. */
  REGISTRY_UNAVAILABLE: 'REGISTRY_UNAVAILABLE',
  /** Kafka did not accept a batch after every retry. */
  SEND_FAILED: 'SEND_FAILED',
  /** The producer or consumer is closed, or not connected yet. */
  CLIENT_CLOSED: 'CLIENT_CLOSED',
  /** The class has no topic and none was given. */
  NO_TOPIC: 'NO_TOPIC',
  /** The record's key field is missing or not a string/Buffer. */
  INVALID_KEY: 'INVALID_KEY',
  /** A record could not be decoded (see `DecodeFailureCode` for why). */
  DECODE_FAILED: 'DECODE_FAILED',
  /** A dead letter could not be written. */
  DEAD_LETTER_FAILED: 'DEAD_LETTER_FAILED',
  /** The application's handler threw. */
  HANDLER_FAILED: 'HANDLER_FAILED',
  /** Kafka refused the credentials, or the broker's certificate is not trusted: never retriable. */
  AUTHENTICATION_FAILED: 'AUTHENTICATION_FAILED',
  /** Kafka refused an operation for lack of an ACL: never retriable. */
  AUTHORIZATION_FAILED: 'AUTHORIZATION_FAILED',
} as const;

export type SdkErrorCode = (typeof SdkErrorCodes)[keyof typeof SdkErrorCodes];

export interface SdkErrorContext {
  subject?: string;
  topic?: string;
  partition?: number;
  offset?: string;
  schemaId?: number;
  fingerprint?: string;
  /** The option key, as `/options/<key>`. */
  option?: string;
  /** For INVALID_EVENT: every bad field (`index` is the event's position in a batch). */
  errors?: readonly InvalidField[];
}

export interface InvalidField extends ValidationError {
  /** Position of the event in the batch passed to `sendBatch`; 0 for `send`. */
  index: number;
}

export class SdkError extends Error {
  readonly code: SdkErrorCode;
  readonly retriable: boolean;
  readonly context: SdkErrorContext;

  constructor(
    code: SdkErrorCode,
    message: string,
    options: { retriable?: boolean; cause?: unknown; context?: SdkErrorContext } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SdkError';
    this.code = code;
    this.retriable = options.retriable ?? false;
    this.context = options.context ?? {};
  }

  /** Every bad field of an INVALID_EVENT error (empty otherwise). */
  get errors(): readonly InvalidField[] {
    return this.context.errors ?? [];
  }
}

/** One line per bad field: `[index] path: expected X, got Y` (the index only for batches). */
export function formatInvalidFields(errors: readonly InvalidField[], batch: boolean): string {
  return errors
    .map((e) => {
      const path = e.path === '' ? '(root)' : e.path;
      return `  ${batch ? `[${e.index}] ` : ''}${path}: expected ${e.expected}, got ${e.actual}`;
    })
    .join('\n');
}

export function invalidEventError(
  subject: string,
  errors: readonly InvalidField[],
  batchSize: number,
): SdkError {
  const events = new Set(errors.map((e) => e.index)).size;
  const head =
    batchSize > 1
      ? `${events} of ${batchSize} ${subject} events are invalid; nothing was sent:`
      : `invalid ${subject} event; nothing was sent:`;
  return new SdkError(SdkErrorCodes.INVALID_EVENT, `${head}\n${formatInvalidFields(errors, batchSize > 1)}`, {
    retriable: false,
    context: { subject, errors },
  });
}

/**
 * Whether an error is worth retrying: our own errors say so; kafkajs errors carry `retriable`, and its
 * "retries exceeded" wrapper is judged by the error it gave up on. Anything else (TypeError, a bug) is not.
 */
export function isRetriable(error: unknown): boolean {
  if (error instanceof SdkError) return error.retriable;
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { name?: unknown; retriable?: unknown; cause?: unknown; originalError?: unknown };
  // kafkajs wraps the error that ended its own retries (a broker restarting: a connection error, a leader
  // election) in these two; what counts is the cause.
  if (e.name === 'KafkaJSNumberOfRetriesExceeded' || e.name === 'KafkaJSNonRetriableError') {
    const cause = e.cause ?? e.originalError;
    return cause !== undefined && cause !== error && isRetriable(cause);
  }
  if (typeof e.name === 'string' && e.name.startsWith('KafkaJS')) return e.retriable === true;
  return false;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
