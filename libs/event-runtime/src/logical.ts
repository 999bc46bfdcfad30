// The four logical types with a dedicated JavaScript representation (timestamp-millis and date as Dates,
// decimal as canonical text, uuid as checked text), and the one answer to "does this logical type apply?" that
// the code generator shares. Every other logical type, or one on the wrong underlying type, reads as its
// underlying type, as the Avro spec says.
import avro from 'avsc';
import type { Type } from 'avsc';
import { AvroRangeError } from './errors.ts';
import { readUnderlyingLosslessly } from './longs.ts';

/** Logical types with a dedicated JavaScript representation, in the order the docs list them. */
export const SUPPORTED_LOGICAL_TYPES = ['timestamp-millis', 'date', 'decimal', 'uuid'] as const;

/** Logical types with a dedicated JavaScript representation; every other logical type uses its underlying type. */
export type SupportedLogicalType = (typeof SUPPORTED_LOGICAL_TYPES)[number];

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface DecimalSpec {
  precision: number;
  scale: number;
  /** Byte size when the underlying type is `fixed`. */
  size: number | undefined;
}

/** Decimal parameters when `schema` is a valid decimal per the Avro spec; undefined means "use the underlying type". */
export function decimalSpec(schema: unknown): DecimalSpec | undefined {
  if (!isObject(schema) || schema['logicalType'] !== 'decimal') return undefined;
  const { precision, scale = 0, type, size } = schema;
  if (!Number.isInteger(precision) || !Number.isInteger(scale)) return undefined;
  const p = precision as number;
  const s = scale as number;
  if (p <= 0 || s < 0 || s > p) return undefined;
  if (type === 'bytes') return { precision: p, scale: s, size: undefined };
  if (type === 'fixed' && Number.isInteger(size) && (size as number) > 0) {
    // floor(log10(2^(8n-1) - 1)) is the digit count of that number minus one.
    const maxPrecision = ((1n << BigInt(8 * (size as number) - 1)) - 1n).toString().length - 1;
    return p <= maxPrecision ? { precision: p, scale: s, size: size as number } : undefined;
  }
  return undefined;
}

/**
 * Which of our logical types applies to a schema object. Per the Avro spec an unknown logical type, or one on
 * the wrong underlying type, is ignored; our LogicalType constructors throw in that case so avsc falls back.
 */
export function supportedLogicalType(schema: unknown): SupportedLogicalType | undefined {
  if (!isObject(schema)) return undefined;
  switch (schema['logicalType']) {
    case 'timestamp-millis':
      return schema['type'] === 'long' ? 'timestamp-millis' : undefined;
    case 'date':
      return schema['type'] === 'int' ? 'date' : undefined;
    case 'uuid':
      return schema['type'] === 'string' ? 'uuid' : undefined;
    case 'decimal':
      return decimalSpec(schema) === undefined ? undefined : 'decimal';
    default:
      return undefined;
  }
}

type LogicalSchema = ConstructorParameters<typeof avro.types.LogicalType>[0];

function requireLogical(schema: LogicalSchema, name: SupportedLogicalType): void {
  if (supportedLogicalType(schema) !== name) throw new Error(`not a valid ${name} schema`);
}

const MAX_DATE_MS = 8.64e15;
const DAY_MS = 86_400_000;

/** A Date, or an AvroRangeError where a valid Avro value lies beyond a Date's ±8.64e15 ms (never Invalid Date). */
function toDate(ms: number | bigint, logicalType: 'timestamp-millis' | 'date', value: number | bigint): Date {
  // A bigint here is a stored long beyond ±(2^53−1): beyond a Date as well.
  if (typeof ms === 'bigint' || Math.abs(ms) > MAX_DATE_MS) {
    throw new AvroRangeError(
      `${logicalType} ${value} is beyond the range of a JavaScript Date (±8.64e15 ms)`,
      logicalType,
      value,
    );
  }
  return new Date(ms);
}

/** timestamp-millis ↔ Date. Millisecond precision is exactly a Date's; invalid Dates are rejected. */
class TimestampMillisType extends avro.types.LogicalType {
  constructor(schema: LogicalSchema, opts?: unknown) {
    requireLogical(schema, 'timestamp-millis');
    readUnderlyingLosslessly(schema as object);
    super(schema, opts);
  }
  protected override _fromValue(value: number | bigint): Date {
    return toDate(value, 'timestamp-millis', value);
  }
  protected override _toValue(value: unknown): number | undefined {
    return value instanceof Date && Number.isFinite(value.getTime()) ? value.getTime() : undefined;
  }
  protected override _resolve(type: Type): ((value: unknown) => unknown) | undefined {
    if (type.typeName === this.typeName) return (value) => value;
    if (type.typeName === 'long' || type.typeName === 'int')
      return (value) => toDate(value as number | bigint, 'timestamp-millis', value as number | bigint);
    return undefined;
  }
}

/** date (days since epoch) ↔ Date at UTC midnight; a Date with a time of day is rejected rather than truncated. */
class DateType extends avro.types.LogicalType {
  constructor(schema: LogicalSchema, opts?: unknown) {
    requireLogical(schema, 'date');
    super(schema, opts);
  }
  protected override _fromValue(value: number): Date {
    return toDate(value * DAY_MS, 'date', value);
  }
  protected override _toValue(value: unknown): number | undefined {
    if (!(value instanceof Date)) return undefined;
    const ms = value.getTime();
    return Number.isFinite(ms) && Math.abs(ms) <= MAX_DATE_MS && ms % DAY_MS === 0 ? ms / DAY_MS : undefined;
  }
  protected override _resolve(type: Type): ((value: unknown) => unknown) | undefined {
    if (type.typeName === this.typeName) return (value) => value;
    if (type.typeName === 'int')
      return (value) => toDate((value as number) * DAY_MS, 'date', value as number);
    return undefined;
  }
}

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** uuid ↔ string in the 8-4-4-4-12 hex form; decoding does not re-check what a writer wrote. */
class UuidType extends avro.types.LogicalType {
  constructor(schema: LogicalSchema, opts?: unknown) {
    requireLogical(schema, 'uuid');
    super(schema, opts);
  }
  protected override _fromValue(value: string): string {
    return value;
  }
  protected override _toValue(value: unknown): string | undefined {
    return typeof value === 'string' && UUID.test(value) ? value : undefined;
  }
  protected override _resolve(type: Type): ((value: unknown) => unknown) | undefined {
    return type.typeName === this.typeName || type.typeName === 'string' ? (value) => value : undefined;
  }
}

const DECIMAL_TEXT = /^(-?)(\d+)(?:\.(\d+))?$/;

/** Parses decimal text to its unscaled integer; undefined when it has more than `scale` fraction digits or overflows. */
export function parseDecimal(text: unknown, precision: number, scale: number): bigint | undefined {
  if (typeof text !== 'string') return undefined;
  const match = DECIMAL_TEXT.exec(text);
  if (!match) return undefined;
  const [, sign = '', whole = '', fraction = ''] = match;
  if (fraction.length > scale) return undefined;
  const digits = (whole + fraction.padEnd(scale, '0')).replace(/^0+(?=\d)/, '');
  if (digits.length > precision) return undefined;
  const unscaled = BigInt(digits);
  return sign === '-' ? -unscaled : unscaled;
}

/** Canonical text of a decimal: exactly `scale` fraction digits, no exponent. */
export function formatDecimal(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale);
  return (negative ? '-' : '') + whole + (scale > 0 ? `.${fraction}` : '');
}

/** Big-endian two's complement, minimal length (bytes) or sign-extended to `size` (fixed); undefined on overflow. */
export function toTwosComplement(value: bigint, size?: number): Buffer | undefined {
  let length = 1;
  while (value < -(1n << BigInt(8 * length - 1)) || value >= 1n << BigInt(8 * length - 1)) length += 1;
  if (size !== undefined) {
    if (length > size) return undefined;
    length = size;
  }
  let rest = value < 0n ? (1n << BigInt(8 * length)) + value : value;
  const buffer = Buffer.alloc(length);
  for (let i = length - 1; i >= 0; i -= 1) {
    buffer[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return buffer;
}

export function fromTwosComplement(buffer: Uint8Array): bigint {
  let value = 0n;
  for (const byte of buffer) value = (value << 8n) | BigInt(byte);
  const first = buffer[0];
  return first !== undefined && first & 0x80 ? value - (1n << BigInt(8 * buffer.length)) : value;
}

/** decimal (bytes or fixed) ↔ canonical decimal text such as `"12.30"`; inputs never get rounded. */
class DecimalType extends avro.types.LogicalType {
  readonly spec: DecimalSpec;
  constructor(schema: LogicalSchema, opts?: unknown) {
    const spec = decimalSpec(schema);
    if (spec === undefined) throw new Error('not a valid decimal schema');
    super(schema, opts);
    this.spec = spec;
  }
  protected override _fromValue(value: Buffer): string {
    return formatDecimal(fromTwosComplement(value), this.spec.scale);
  }
  protected override _toValue(value: unknown): Buffer | undefined {
    const unscaled = parseDecimal(value, this.spec.precision, this.spec.scale);
    return unscaled === undefined ? undefined : toTwosComplement(unscaled, this.spec.size);
  }
  protected override _resolve(type: Type): ((value: unknown) => unknown) | undefined {
    if (type instanceof DecimalType && type.spec.scale === this.spec.scale) return (value) => value;
    return undefined;
  }
  protected override _export(schema: LogicalSchema): void {
    const attrs = schema as { [key: string]: unknown };
    attrs['precision'] = this.spec.precision;
    attrs['scale'] = this.spec.scale;
  }
}

/** avsc's `logicalTypes` option: our implementation of each supported logical type. */
export const LOGICAL_TYPES: Record<SupportedLogicalType, typeof avro.types.LogicalType> = {
  'timestamp-millis': TimestampMillisType,
  date: DateType,
  uuid: UuidType,
  decimal: DecimalType,
};
