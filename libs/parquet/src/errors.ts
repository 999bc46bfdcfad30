// The one error base of the Parquet library: a stable code, whether retrying can help, and where it happened.

export const ParquetErrorCodes = [
  /** A schema the writer cannot write: a logical type on the wrong physical type, an empty group, a bad length. */
  'SCHEMA_INVALID',
  /** A writer option out of range; `context.option` names it. */
  'OPTION_INVALID',
  /** An appended value does not fit its column; `context.path` is the column path, e.g. `items[].price`. */
  'VALUE_INVALID',
  /** append() or finish() after finish(). */
  'WRITER_CLOSED',
] as const;

export type ParquetErrorCode = (typeof ParquetErrorCodes)[number];

export interface ParquetErrorContext {
  /**
   * Path of the schema field or value at fault: `a.b` for group fields, `a[]` for list elements, `m{key}` and
   * `m{}` for map keys and values, `u<member0>` for one-of members.
   */
  readonly path?: string;
  /** Writer option at fault, e.g. `rowGroupRows`. */
  readonly option?: string;
}

export class ParquetError extends Error {
  readonly code: ParquetErrorCode;
  /**
   * False for every code today: the writer is pure computation, so the same call fails the same way again.
   * Kept so callers can treat every library's errors alike.
   */
  readonly retriable: boolean;
  readonly context: ParquetErrorContext;

  constructor(
    code: ParquetErrorCode,
    message: string,
    options: { retriable?: boolean; cause?: unknown; context?: ParquetErrorContext } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ParquetError';
    this.code = code;
    this.retriable = options.retriable ?? false;
    this.context = options.context ?? {};
  }
}

export function isParquetError(error: unknown): error is ParquetError {
  return error instanceof ParquetError;
}
