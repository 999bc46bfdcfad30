// Public surface of @adlake/event-runtime: what generated event classes import (`defineEvent`, `EventCodec` and
// the errors), and what the SDK and the code generator build on (Types with our logical types and exact longs,
// validation with paths, the logical types' rules).
export { defineEvent } from './codec.ts';
export type { EventCodec, EventDefinition } from './codec.ts';
export { AvroRangeError, EventCodecError, EventCodecErrorCodes } from './errors.ts';
export type { EventCodecErrorCode, RangeKind } from './errors.ts';
export { avroTypeOptions, createType } from './avro-type.ts';
export type { AvroSchemaJson, AvroTypeOptions, TypeOptions } from './avro-type.ts';
export {
  SUPPORTED_LOGICAL_TYPES,
  decimalSpec,
  formatDecimal,
  fromTwosComplement,
  parseDecimal,
  supportedLogicalType,
  toTwosComplement,
} from './logical.ts';
export type { DecimalSpec, SupportedLogicalType } from './logical.ts';
export { readLongExact, writeLongExact } from './longs.ts';
export type { LongRepresentation, Tap, ValueRepresentation } from './longs.ts';
export { describeType, describeValue, validateValue } from './validate.ts';
export type { ValidateOptions, ValidationError, ValidationResult } from './validate.ts';
export { checkedWriter } from './writer.ts';
export type { CheckedWriter } from './writer.ts';
