// @adlake/parquet: writes Parquet files from JavaScript rows, and reads and rearranges files it wrote without
// changing a value (footer, one column, row filter, concatenation). No Avro, no Kafka, no storage: callers map
// their own types onto the schema spec and bring the bytes (see README.md).
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
export type { LeafAppender, ParquetWriter, ParquetWriterOptions } from './writer.ts';
export { footerOf, readFooter } from './footer.ts';
export type {
  FooterColumn,
  FooterColumnChunk,
  FooterRowGroup,
  FooterSchemaElement,
  FooterStatistics,
  ParquetFooter,
} from './footer.ts';
export { int96ToEpochNanos, readColumn, readStringColumn } from './columns.ts';
export type { ParquetCell } from './columns.ts';
export { filterRows } from './filter.ts';
export { concatFiles, concatFooter, schemaDifference } from './concat.ts';
export type { ConcatPart } from './concat.ts';
