// @adlake/parquet: writes Parquet files from JavaScript rows. One job, no Avro, no Kafka, no storage:
// callers map their own types onto the schema spec (see README.md).
export { ParquetError, ParquetErrorCodes, isParquetError } from './errors.ts';
export type { ParquetErrorCode, ParquetErrorContext } from './errors.ts';
export {
  decimalBytes,
  formatLogicalType,
  formatParquetSchema,
  formatPhysical,
  maxDecimalPrecision,
} from './schema.ts';
export type {
  GroupShape,
  ListShape,
  MapShape,
  OneOfShape,
  ParquetColumn,
  ParquetField,
  ParquetFieldSpec,
  ParquetLogicalType,
  ParquetPhysicalType,
  ParquetRepetition,
  ParquetSchema,
  ParquetSchemaSpec,
  ParquetShape,
  PrimitiveShape,
} from './schema.ts';
export { parquetSchema } from './plan.ts';
export { COMPRESSIONS } from './compression.ts';
export type { Compression } from './compression.ts';
export { createParquetWriter, WRITER_DEFAULTS } from './writer.ts';
export type { ParquetWriter, ParquetWriterOptions } from './writer.ts';
