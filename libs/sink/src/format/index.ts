// The sink's Format: how a decoded Avro record becomes Parquet (schema mapping, file writer) and the Hive
// table that reads the result. See docs/parquet.md.
export { resolveAvroSchema } from './avro.ts';
export type { AvroField, AvroLogical, AvroNode, AvroPrimitive } from './avro.ts';
export { deriveParquetSchema, formatParquetSchema, LINEAGE_COLUMNS, TIMESTAMP_STORAGE } from './schema.ts';
export type {
  DeriveOptions,
  ParquetColumn,
  ParquetField,
  ParquetLogicalType,
  ParquetPhysicalType,
  ParquetRepetition,
  ParquetSchema,
  ValueRepresentation,
} from './schema.ts';
export { createParquetFileWriter, WRITER_DEFAULTS } from './writer.ts';
export type { Compression, Lineage, ParquetFileWriter, ParquetWriterOptions } from './writer.ts';
export { hiveCreateTable, hiveType } from './hive.ts';
export type { HiveTableOptions } from './hive.ts';
