// The one error base of the sink library: a stable code, whether retrying can help, and where it happened.

export const SinkErrorCodes = [
  'CONFIG_INVALID',
  'SCHEMA_UNSUPPORTED',
  'NO_TIMESTAMP',
  'DECODE_FAILED',
  'STORAGE_FAILED',
  'RENAME_FAILED',
  'COMMIT_CONFLICT',
  'LEDGER_CORRUPT',
  'RECOVERY_FAILED',
  'OFFSET_OUT_OF_RANGE',
  'MEMORY_BUDGET',
  /** A decoded value does not fit the Parquet columns derived from its schema (format/). */
  'VALUE_INVALID',
  /** A Parquet file writer was used after finish() (format/). */
  'WRITER_CLOSED',
  /** Another merger or compactor holds the tree (commit/lease.ts). */
  'FENCED',
  /** A Parquet file could not be read or rearranged by the merger or the compactor. */
  'FILE_UNREADABLE',
] as const;

export type SinkErrorCode = (typeof SinkErrorCodes)[number];

export interface SinkErrorContext {
  topic?: string;
  partition?: number;
  offset?: string;
  /** Storage path (HDFS or local) involved. */
  path?: string;
  /** Config key at fault, e.g. `rotation.maxRecords`. */
  configKey?: string;
  /** Field path inside a record, e.g. `device.os`. */
  field?: string;
}

export class SinkError extends Error {
  readonly code: SinkErrorCode;
  readonly retriable: boolean;
  readonly context: SinkErrorContext;

  constructor(
    code: SinkErrorCode,
    message: string,
    options: { retriable?: boolean; cause?: unknown; context?: SinkErrorContext } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SinkError';
    this.code = code;
    this.retriable = options.retriable ?? false;
    this.context = options.context ?? {};
  }
}
