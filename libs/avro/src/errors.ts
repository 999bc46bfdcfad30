// The one error base of the Avro schema model. Every failure names where in the schema it is: a JSON pointer
// and, when the text was parsed here, the line and column.

export const AvroErrorCodes = [
  'JSON_SYNTAX',
  'AVRO_INVALID',
  'UNKNOWN_NAMED_TYPE',
  'REFERENCE_CYCLE',
  'DUPLICATE_NAME',
] as const;

export type AvroErrorCode = (typeof AvroErrorCodes)[number];

export interface AvroErrorContext {
  file?: string;
  line?: number;
  column?: number;
  /** JSON pointer into the schema document, e.g. `/fields/2/type`. */
  path?: string;
}

export class AvroError extends Error {
  readonly code: AvroErrorCode;
  /** A schema does not become valid by asking again. */
  readonly retriable = false;
  readonly context: AvroErrorContext;

  constructor(
    code: AvroErrorCode,
    message: string,
    options: { cause?: unknown; context?: AvroErrorContext } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AvroError';
    this.code = code;
    this.context = options.context ?? {};
  }
}
