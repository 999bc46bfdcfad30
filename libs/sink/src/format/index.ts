// The sink's Format: how a decoded Avro record becomes Parquet (the Avro → Parquet mapping, written by
// @adlake/parquet) and the Hive table that reads the result. See docs/parquet.md.
export { resolveAvroSchema } from './avro.ts';
export type { AvroField, AvroLogical, AvroNode, AvroPrimitive } from './avro.ts';
export { deriveParquetSchema, LINEAGE_COLUMNS, TIMESTAMP_STORAGE } from './schema.ts';
export type { DeriveOptions, TimestampStorage, ValueRepresentation } from './schema.ts';
// The Parquet schema types and text form live in @adlake/parquet; re-exported so the sink's API is unchanged.
export { formatParquetSchema } from '@adlake/parquet';
export type {
  ParquetColumn,
  ParquetField,
  ParquetLogicalType,
  ParquetPhysicalType,
  ParquetRepetition,
  ParquetSchema,
} from '@adlake/parquet';
export { createParquetFileWriter, WRITER_DEFAULTS } from './record-writer.ts';
export { compileDirectReader, EncodedRecord } from './avro-direct.ts';
export type { DirectReader } from './avro-direct.ts';
export type { Compression, Lineage, ParquetFileWriter, ParquetWriterOptions } from './record-writer.ts';
export { hiveCreateTable, hiveType } from './hive.ts';
export type { HiveTableOptions } from './hive.ts';
