// The one error base of the event runtime. Every failure here is about a value, bytes or a schema, never about
// the network or a service, so none is retriable: the same input fails the same way every time.
import type { ValidationError } from './validate.ts';

export const EventCodecErrorCodes = [
  // A value does not match the schema; `errors` lists every bad path.
  'INVALID_VALUE',
  // Bytes do not decode with the schema (malformed, truncated, or a value the class cannot hold).
  'DECODE_FAILED',
  // A valid Avro value the chosen JavaScript representation cannot hold (thrown as AvroRangeError).
  'VALUE_OUT_OF_RANGE',
  // avsc cannot build a Type from the schema.
  'INVALID_SCHEMA',
] as const;

export type EventCodecErrorCode = (typeof EventCodecErrorCodes)[number];

export class EventCodecError extends Error {
  readonly code: EventCodecErrorCode;
  /** Always false: retrying with the same value, bytes or schema gives the same answer. */
  readonly retriable: boolean = false;
  /** The event's subject, when the failure belongs to an event codec. */
  readonly subject: string | undefined;
  /** Every bad path, for INVALID_VALUE. */
  readonly errors: readonly ValidationError[];

  constructor(
    code: EventCodecErrorCode,
    message: string,
    details: { subject?: string; errors?: readonly ValidationError[]; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'EventCodecError';
    this.code = code;
    this.subject = details.subject;
    this.errors = details.errors ?? [];
  }
}

/** The Avro type whose value does not fit its JavaScript representation. */
export type RangeKind = 'long' | 'timestamp-millis' | 'date';

/**
 * A valid Avro value that the chosen JavaScript representation cannot hold (code VALUE_OUT_OF_RANGE). Callers
 * that may see several copies of this package (an event package and the SDK can each bring one) should test
 * `code === 'VALUE_OUT_OF_RANGE'` rather than `instanceof`.
 */
export class AvroRangeError extends EventCodecError {
  /** The Avro type whose value does not fit: `long`, `timestamp-millis` or `date`. */
  readonly kind: RangeKind;
  /** The value as read (a bigint for a long beyond the safe range). */
  readonly value: number | bigint;

  constructor(message: string, kind: RangeKind, value: number | bigint) {
    super('VALUE_OUT_OF_RANGE', message);
    this.name = 'AvroRangeError';
    this.kind = kind;
    this.value = value;
  }
}
