// The sink's file writer: decoded Avro values plus their Kafka lineage, written as one Parquet file by
// @adlake/parquet over the spec the Avro mapping derives. Errors leave here as SinkErrors with the codes the
// sink has always used, so callers cannot tell the writer moved.
import { createParquetWriter, isParquetError, WRITER_DEFAULTS as PARQUET_DEFAULTS } from '@adlake/parquet';
import type { Compression, LeafAppender, ParquetError, ParquetSchema, ParquetWriter } from '@adlake/parquet';
import { SinkError } from '../errors.ts';
import { EncodedRecord } from './avro-direct.ts';
import { planSchema, sinkSchemaError, specOf } from './schema.ts';
import type { TimestampStorage, ValueRepresentation } from './schema.ts';

export type { Compression } from '@adlake/parquet';

export interface ParquetWriterOptions {
  /** The Avro record schema (JSON object or text) the values were decoded with. */
  avroSchema: unknown;
  /** Page compression. Default `snappy`. */
  compression?: Compression;
  /** Rows per row group. Default 100,000 (the sink setting `parquet.rowGroupRows` defaults to the same). */
  rowGroupRows?: number;
  /** Target uncompressed size of a data page, in bytes. Default 1 MiB. */
  pageSizeBytes?: number;
  /** Add the Kafka lineage columns. Default true. */
  lineage?: boolean;
  /** How the values are represented (default `number`): see ValueRepresentation. */
  values?: ValueRepresentation;
  /** Timestamp columns as INT64 logical timestamps (default) or INT96 for Hive 2/3: see TimestampStorage. */
  timestamps?: TimestampStorage;
}

/** Where a record came from; written to the lineage columns. */
export interface Lineage {
  topic: string;
  partition: number;
  /** Kafka offset (a safe integer, as everywhere in the sink). */
  offset: number;
  /** Kafka record timestamp in epoch milliseconds; null or negative is stored as null. */
  timestamp: number | null;
}

export interface ParquetFileWriter {
  readonly schema: ParquetSchema;
  /** Rows appended so far. */
  readonly rows: number;
  /** Memory held by this writer in bytes: compressed pages plus the allocated column buffers. */
  readonly estimatedBytes: number;
  /**
   * Appends one decoded value (avsc runtime representation). On a value that does not fit the schema it
   * throws SinkError VALUE_INVALID (with `context.field`) and the file is left exactly as before the call.
   */
  append(value: unknown, lineage?: Lineage): void;
  /** The complete Parquet file. The writer cannot be used afterwards. */
  finish(): Uint8Array;
}

export const WRITER_DEFAULTS = {
  compression: PARQUET_DEFAULTS.compression,
  rowGroupRows: PARQUET_DEFAULTS.rowGroupRows,
  pageSizeBytes: PARQUET_DEFAULTS.pageSizeBytes,
} as const;

/** What every file the sink writes names as its writer (footer `created_by`). */
const CREATED_BY = 'adlake-sink parquet writer 0.0.0';
/** Footer key holding the Avro schema the rows were decoded with. */
const AVRO_SCHEMA_KEY = 'adlake.avro.schema';

/** The sink's code for each of the library's: what callers and the docs have always seen. */
function toSinkError(error: unknown): unknown {
  if (!isParquetError(error)) return error;
  const e: ParquetError = error;
  switch (e.code) {
    case 'VALUE_INVALID':
      return new SinkError('VALUE_INVALID', e.message, {
        cause: e,
        ...(e.context.path === undefined ? {} : { context: { field: e.context.path } }),
      });
    case 'WRITER_CLOSED':
      return new SinkError('WRITER_CLOSED', e.message, { cause: e });
    case 'OPTION_INVALID':
      return new SinkError('CONFIG_INVALID', e.message, {
        cause: e,
        ...(e.context.option === undefined ? {} : { context: { configKey: e.context.option } }),
      });
    case 'SCHEMA_INVALID':
      return sinkSchemaError(e);
  }
}

/**
 * Builds the row @adlake/parquet takes, the record's top-level fields followed by the lineage columns, as
 * one object literal of a fixed shape per schema, so the copy stays cheap and monomorphic.
 */
function rowBuilder(recordFields: readonly string[]): (value: object, lineage: Lineage) => object {
  // A JSON string is a JavaScript string literal; only `__proto__` needs a computed key to stay a property.
  const props = recordFields.map((name) => {
    const key = JSON.stringify(name);
    return `${name === '__proto__' ? `[${key}]` : key}: v[${key}],`;
  });
  return new Function(
    'v',
    'l',
    `return {\n${props.join('\n')}\n` +
      `_kafka_topic: l.topic,\n_kafka_partition: l.partition,\n_kafka_offset: l.offset,\n` +
      `_kafka_timestamp: l.timestamp === null || l.timestamp < 0 ? null : l.timestamp,\n};`,
  ) as (value: object, lineage: Lineage) => object;
}

/** Opens a writer for one Parquet file. Throws SCHEMA_UNSUPPORTED or CONFIG_INVALID before any row is taken. */
export function createParquetFileWriter(options: ParquetWriterOptions): ParquetFileWriter {
  let opened: { writer: ParquetWriter; row: ((value: object, lineage: Lineage) => object) | undefined };
  try {
    opened = open(options);
  } catch (error) {
    throw toSinkError(error);
  }
  const { writer, row } = opened;
  const columns = writer.schema.columns.length;
  let closed = false;
  // The record appendColumns is filling, so that one fill function serves every record.
  let pending: EncodedRecord | undefined;
  let pendingLineage: Lineage | undefined;
  const fillFromPending = (leaves: readonly LeafAppender[]): void => {
    const e = pending as EncodedRecord;
    e.reader.store(leaves, e.bytes, e.start, e.bytes.length, pendingLineage as Lineage);
  };
  return {
    schema: writer.schema,
    get rows() {
      return writer.rows;
    },
    get estimatedBytes() {
      return writer.estimatedBytes;
    },
    append(value: unknown, lin?: Lineage): void {
      if (value instanceof EncodedRecord) {
        const encoded = value;
        const reader = encoded.reader;
        if (
          row !== undefined &&
          lin !== undefined &&
          !closed &&
          reader.schema === options.avroSchema &&
          reader.columns === columns
        ) {
          try {
            pending = encoded;
            pendingLineage = lin;
            writer.appendColumns(fillFromPending);
            return;
          } catch {
            // The row path below stores the record, or says what is wrong with it, as it always has.
          }
        }
        value = encoded.decode();
      }
      try {
        // Without lineage, after finish() or for a value that is no record, the library has the answer.
        if (
          row === undefined ||
          closed ||
          value === null ||
          typeof value !== 'object' ||
          Array.isArray(value)
        ) {
          writer.append(value);
          return;
        }
        if (lin === undefined) {
          throw new SinkError(
            'VALUE_INVALID',
            '<lineage>: expected lineage { topic, partition, offset, timestamp }, got undefined',
            { context: { field: '<lineage>' } },
          );
        }
        writer.append(row(value, lin));
      } catch (error) {
        throw toSinkError(error);
      }
    },
    finish(): Uint8Array {
      try {
        const bytes = writer.finish();
        closed = true;
        return bytes;
      } catch (error) {
        throw toSinkError(error);
      }
    },
  };
}

function open(options: ParquetWriterOptions): {
  writer: ParquetWriter;
  row: ((value: object, lineage: Lineage) => object) | undefined;
} {
  const lineage = options.lineage ?? true;
  const plan = planSchema(options.avroSchema, {
    lineage,
    ...(options.values === undefined ? {} : { values: options.values }),
    ...(options.timestamps === undefined ? {} : { timestamps: options.timestamps }),
  });
  const writer = createParquetWriter({
    schema: specOf(plan),
    ...(options.compression === undefined ? {} : { compression: options.compression }),
    ...(options.rowGroupRows === undefined ? {} : { rowGroupRows: options.rowGroupRows }),
    ...(options.pageSizeBytes === undefined ? {} : { pageSizeBytes: options.pageSizeBytes }),
    createdBy: CREATED_BY,
    metadata: [{ key: AVRO_SCHEMA_KEY, value: avroSchemaText(options.avroSchema) }],
  });
  return { writer, row: lineage ? rowBuilder(plan.fields.map((f) => f.name)) : undefined };
}

function avroSchemaText(schema: unknown): string {
  return typeof schema === 'string' ? schema : JSON.stringify(schema);
}
