// The one error base of the Parquet library: a stable code, whether retrying can help, and where it happened.

export const ParquetErrorCodes = [
  /** A schema the writer cannot write: a logical type on the wrong physical type, an empty group, a bad length. */
  'SCHEMA_INVALID',
  /** A writer option or function argument out of range; `context.option` names it. */
  'OPTION_INVALID',
  /** An appended value does not fit its column; `context.path` is the column path, e.g. `items[].price`. */
  'VALUE_INVALID',
  /** append() or finish() after finish(). */
  'WRITER_CLOSED',
  /** The bytes are not a Parquet file: wrong magic, a footer length or offset out of range, corrupt Thrift. */
  'NOT_PARQUET',
  /** The tail given to readFooter() is too short to hold the footer; `context.needBytes` says how long it must be. */
  'FOOTER_TRUNCATED',
  /**
   * A valid file using a feature the reading side refuses rather than risk a wrong answer (data page v2, an
   * encoding other than PLAIN and dictionary, an unknown codec, encryption); `context.column` names the column
   * when there is one.
   */
  'UNSUPPORTED',
  /** readColumn() of a column the file does not have at the top level; `context.column` names it. */
  'COLUMN_NOT_FOUND',
  /** concatFooter() of files whose schemas differ; the message names the first difference. */
  'SCHEMA_MISMATCH',
  /** concatFooter() of files whose key/value metadata or created_by differ; the message names the first. */
  'METADATA_MISMATCH',
] as const;

export type ParquetErrorCode = (typeof ParquetErrorCodes)[number];

export interface ParquetErrorContext {
  /**
   * Path of the schema field or value at fault: `a.b` for group fields, `a[]` for list elements, `m{key}` and
   * `m{}` for map keys and values, `u<member0>` for one-of members.
   */
  readonly path?: string;
  /** Writer option or function argument at fault, e.g. `rowGroupRows`. */
  readonly option?: string;
  /** FOOTER_TRUNCATED: how many bytes from the end of the file readFooter() needs. */
  readonly needBytes?: number;
  /** Dotted path of the column at fault, e.g. `user.tags.list.element`. */
  readonly column?: string;
  /** Index of the input (concatFooter part) at fault. */
  readonly part?: number;
}

export class ParquetError extends Error {
  readonly code: ParquetErrorCode;
  /**
   * False for every code today: reading and writing are pure computation over bytes, so the same call fails
   * the same way again (FOOTER_TRUNCATED asks for a different call: more bytes).
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
