// The runtime every generated event package imports from @adlake/event-runtime: avsc Type construction with our
// logical types and long representation wired in, validation that reports every bad path, and the event codec
// object. It is published to npm and runs on plain Node, so it imports nothing but `avsc` and Node globals; the
// generator imports it too, so that "does this logical type apply?" has exactly one answer.
import avro from 'avsc';
import type { Type } from 'avsc';

/** How Avro `long` is represented in JavaScript: a safe-integer `number` (avsc's default) or a `bigint`. */
export type LongRepresentation = 'number' | 'bigint';

/** Logical types with a dedicated JavaScript representation; every other logical type uses its underlying type. */
export type SupportedLogicalType = 'timestamp-millis' | 'date' | 'decimal' | 'uuid';

/** A schema as JSON: a type name, a union or a type object. */
export type AvroSchemaJson = string | readonly AvroSchemaJson[] | { readonly [key: string]: unknown };

export interface ValidationError {
  /** JavaScript accessor from the value's root: `device.os`, `attributes["k"]`, `segments[2]`; `""` is the root. */
  path: string;
  /** The Avro type expected there, e.g. `long (safe integer)` or `enum com.acme.Os ("IOS" | "ANDROID")`. */
  expected: string;
  /** What was found, e.g. `string "abc"` or `undefined`. */
  actual: string;
}

export interface ValidationResult {
  valid: boolean;
  errors: ValidationError[];
}

export interface ValidateOptions {
  /** Also reject record values carrying fields the schema does not declare. */
  noUndeclaredFields?: boolean;
}

/** The const object generated for each event: metadata plus a typed codec over one avsc Type. */
export interface EventCodec<Value, Input = Value> {
  readonly subject: string;
  readonly topic: string | undefined;
  /** Full name of the root named type; undefined when the root schema is not named. */
  readonly fullname: string | undefined;
  /** Self-contained schema JSON: named types from other files are inlined, so avsc parses it standalone. */
  readonly schema: AvroSchemaJson;
  readonly longs: LongRepresentation;
  /** The avsc Type, created on first use with `wrapUnions: 'auto'` and the logical types wired. */
  readonly type: Type;
  validate(value: unknown, options?: ValidateOptions): ValidationResult;
  isValid(value: unknown): value is Input;
  /** Avro binary; omitted fields that have a default are written with it. Throws EventCodecError on bad input. */
  encode(value: Input): Buffer;
  /**
   * Decodes Avro binary written with this exact schema. Records come back as avsc record instances. A valid
   * value this class cannot represent (a long beyond ±(2^53−1) with number longs, a timestamp beyond a Date)
   * is an EventCodecError whose cause is an AvroRangeError, never a different value.
   */
  decode(buffer: Uint8Array): Value;
  /**
   * avsc options to parse other schemas of this event (writer versions) into this class's values (`class`),
   * or into `lossless` values: longs as numbers when safe and bigints beyond, logical types not applied.
   */
  avroOptions(values?: 'class' | 'lossless'): AvroTypeOptions;
}

export interface EventDefinition {
  subject: string;
  topic: string | undefined;
  fullname: string | undefined;
  schema: AvroSchemaJson;
  longs: LongRepresentation;
}

export type EventCodecErrorCode = 'INVALID_VALUE' | 'DECODE_FAILED';

export class EventCodecError extends Error {
  readonly code: EventCodecErrorCode;
  readonly subject: string;
  /** Every bad path, for INVALID_VALUE. */
  readonly errors: readonly ValidationError[];

  constructor(
    code: EventCodecErrorCode,
    message: string,
    details: { subject: string; errors?: readonly ValidationError[]; cause?: unknown },
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'EventCodecError';
    this.code = code;
    this.subject = details.subject;
    this.errors = details.errors ?? [];
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
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
    pendingUnderlying = schema as object;
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

const LOGICAL_TYPES = {
  'timestamp-millis': TimestampMillisType,
  date: DateType,
  uuid: UuidType,
  decimal: DecimalType,
};

// ---------------------------------------------------------------------------------------------------------
// Longs. avsc 5.7 reads and writes `long` through a double: its zigzag arithmetic loses the low bit of values
// beyond ±2^52, which turns some negative longs into different positive ones without an error, and it refuses
// everything beyond ±(2^53−2). Every long this runtime reads or writes goes through the exact varint code
// below instead, in all three value representations:
//   number    a safe integer; a value beyond ±(2^53−1) is an AvroRangeError, never a nearby number;
//   bigint    the full signed 64-bit range;
//   lossless  a number when it is safe and a bigint beyond, logical types left as their underlying values
//             (what the sink writes to Parquet: no conversion can change a value).

/** A valid Avro value that the chosen JavaScript representation cannot hold. */
export class AvroRangeError extends RangeError {
  readonly code = 'VALUE_OUT_OF_RANGE';
  /** The Avro type whose value does not fit: `long`, `timestamp-millis` or `date`. */
  readonly kind: 'long' | 'timestamp-millis' | 'date';
  /** The value as read (a bigint for a long beyond the safe range). */
  readonly value: number | bigint;
  constructor(message: string, kind: AvroRangeError['kind'], value: number | bigint) {
    super(message);
    this.name = 'AvroRangeError';
    this.kind = kind;
    this.value = value;
  }
}

/** avsc's cursor over a buffer; only these two fields are used. */
interface Tap {
  buf: Buffer;
  pos: number;
}

const TWO_27 = 134_217_728;
const TWO_26 = 67_108_864;

/**
 * Reads one zigzag varint exactly: a number when it is a safe integer, a bigint otherwise. A varint longer
 * than the 10 bytes of a 64-bit value is malformed. Past the end of the buffer it returns 0 and leaves
 * `pos` beyond the end, which avsc reports as truncated.
 */
export function readLongExact(tap: Tap): number | bigint {
  const buf = tap.buf;
  let pos = tap.pos;
  let b = buf[pos++] ?? 0;
  let lo = b & 0x7f;
  if (b < 0x80) {
    tap.pos = pos;
    return (lo >>> 1) ^ -(lo & 1);
  }
  let shift = 7;
  // The low 28 bits in a 32-bit integer, the rest (up to 36 bits) in a double, where they are exact.
  while (shift < 28) {
    b = buf[pos++] ?? 0;
    lo |= (b & 0x7f) << shift;
    shift += 7;
    if (b < 0x80) {
      tap.pos = pos;
      return (lo >>> 1) ^ -(lo & 1);
    }
  }
  let hi = 0;
  let scale = 1;
  let bytes = 4;
  do {
    b = buf[pos++] ?? 0;
    hi += (b & 0x7f) * scale;
    scale *= 128;
    bytes += 1;
    if (bytes > 10 && b >= 0x80) throw new RangeError('invalid long: varint longer than 10 bytes');
  } while (b >= 0x80);
  tap.pos = pos;
  const negative = (lo & 1) === 1;
  // value = negative ? -(m + 1) : m, with m = u >>> 1 = hi * 2^27 + (lo >>> 1).
  if (hi < TWO_26) {
    const m = hi * TWO_27 + (lo >>> 1);
    // m <= 2^53 - 1: exact; -(2^53) is the one negative that is not safe.
    if (!negative) return m;
    if (m < Number.MAX_SAFE_INTEGER) return -m - 1;
  }
  if (hi >= 2 ** 37) throw new RangeError('invalid long: more than 64 bits');
  const m = (BigInt(hi) << 27n) | BigInt(lo >>> 1);
  return negative ? -m - 1n : m;
}

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

const SAFE_MAX_BIGINT = BigInt(Number.MAX_SAFE_INTEGER);

/** Writes a safe integer or a 64-bit bigint as a zigzag varint, exactly. */
export function writeLongExact(tap: Tap, value: number | bigint): void {
  const buf = tap.buf;
  if (typeof value === 'number' && value >= -0x40000000 && value < 0x40000000) {
    let z = ((value << 1) ^ (value >> 31)) >>> 0;
    while (z > 0x7f) {
      buf[tap.pos++] = (z & 0x7f) | 0x80;
      z >>>= 7;
    }
    buf[tap.pos++] = z;
    return;
  }
  const negative = value < 0;
  if (typeof value === 'bigint' && (value > SAFE_MAX_BIGINT || value < -SAFE_MAX_BIGINT - 1n)) {
    // u = 2m + sign, written 7 bits at a time.
    let u = negative ? ((-value - 1n) << 1n) | 1n : value << 1n;
    while (u > 0x7fn) {
      buf[tap.pos++] = Number(u & 0x7fn) | 0x80;
      u >>= 7n;
    }
    buf[tap.pos++] = Number(u);
    return;
  }
  // m = magnitude without the sign bit, at most 2^53: exact in a double, so are m % 64 and m / 64.
  const n = Number(value);
  let m = negative ? -n - 1 : n;
  const first = ((m % 64) << 1) | (negative ? 1 : 0);
  m = Math.floor(m / 64);
  if (m === 0) {
    buf[tap.pos++] = first;
    return;
  }
  buf[tap.pos++] = first | 0x80;
  while (m > 0x7f) {
    buf[tap.pos++] = (m % 128) | 0x80;
    m = Math.floor(m / 128);
  }
  buf[tap.pos++] = m;
}

type AvscType = new () => Type;
type Hook = (value: unknown, type: unknown) => void;
interface Resolver {
  _read: (tap: Tap) => unknown;
}

function invalidLong(value: unknown): Error {
  return new Error(`invalid "long": ${typeof value === 'bigint' ? `${value}n` : String(value)}`);
}

function isInt64(value: unknown): value is bigint {
  return typeof value === 'bigint' && value >= INT64_MIN && value <= INT64_MAX;
}

/** `long` as a safe-integer number, read and written exactly; a wider value is an AvroRangeError. */
class SafeLongType extends (avro.types.LongType as unknown as AvscType) {
  _check(value: unknown, _flags: unknown, hook?: Hook): boolean {
    const ok = Number.isSafeInteger(value);
    if (!ok && hook) hook(value, this);
    return ok;
  }
  // Resolvers call `_read` detached from the type, so it must not use `this`.
  _read(tap: Tap): number {
    const value = readLongExact(tap);
    if (typeof value === 'bigint') {
      throw new AvroRangeError(
        `long ${value} is beyond ±(2^53−1), the range of a number: use bigint longs to read it`,
        'long',
        value,
      );
    }
    return value;
  }
  _write(tap: Tap, value: unknown): void {
    if (!Number.isSafeInteger(value)) throw invalidLong(value);
    writeLongExact(tap, value as number);
  }
}

/** `long` as a number when it is safe and a bigint beyond: every 64-bit value, unchanged. */
class LosslessLongType extends (avro.types.LongType as unknown as AvscType) {
  _check(value: unknown, _flags: unknown, hook?: Hook): boolean {
    const ok = Number.isSafeInteger(value) || isInt64(value);
    if (!ok && hook) hook(value, this);
    return ok;
  }
  _read(tap: Tap): number | bigint {
    return readLongExact(tap);
  }
  _write(tap: Tap, value: unknown): void {
    if (!Number.isSafeInteger(value) && !isInt64(value)) throw invalidLong(value);
    writeLongExact(tap, value as number | bigint);
  }
}

/** Reading a long writer as float or double is a promotion: the nearest double of the exact value. */
function readsLongExactly(resolver: Resolver, writer: Type): boolean {
  if (writer.typeName !== 'long' && writer.typeName !== 'abstract:long') return false;
  resolver._read = (tap) => Number(readLongExact(tap));
  return true;
}

type Update = (this: unknown, resolver: Resolver, writer: Type) => void;
const doubleUpdate = (avro.types.DoubleType.prototype as unknown as { _update: Update })._update;
const floatUpdate = (avro.types.FloatType.prototype as unknown as { _update: Update })._update;

class PromotingDoubleType extends (avro.types.DoubleType as unknown as AvscType) {
  _update(resolver: Resolver, writer: Type): void {
    if (!readsLongExactly(resolver, writer)) doubleUpdate.call(this, resolver, writer);
  }
}

class PromotingFloatType extends (avro.types.FloatType as unknown as AvscType) {
  _update(resolver: Resolver, writer: Type): void {
    if (!readsLongExactly(resolver, writer)) floatUpdate.call(this, resolver, writer);
  }
}

const BIGINT_SCRATCH = Buffer.alloc(10);

/** `long` as a bigint over the full signed 64-bit range (avsc's hook for a custom long, on our varint code). */
const BIGINT_LONG = avro.types.LongType.__with(
  {
    fromBuffer: (varint: Buffer): bigint => BigInt(readLongExact({ buf: varint, pos: 0 })),
    toBuffer: (value: bigint): Buffer => {
      const tap = { buf: BIGINT_SCRATCH, pos: 0 };
      writeLongExact(tap, value);
      return BIGINT_SCRATCH.subarray(0, tap.pos);
    },
    // Defaults in schema JSON arrive as numbers (or strings); the JSON form is a number when it is safe.
    fromJSON: (value: unknown): bigint => BigInt(value as number | string),
    toJSON: (value: bigint): number | string =>
      value >= -SAFE_MAX_BIGINT && value <= SAFE_MAX_BIGINT ? Number(value) : String(value),
    isValid: isInt64,
    compare: (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0),
  },
  true,
);
const SAFE_LONG = new SafeLongType();
const LOSSLESS_LONG = new LosslessLongType();
const DOUBLE = new PromotingDoubleType();
const FLOAT = new PromotingFloatType();

/** How values are represented in JavaScript: a class's long representation, or `lossless` (see Longs). */
export type ValueRepresentation = LongRepresentation | 'lossless';

export type AvroTypeOptions = NonNullable<Parameters<typeof avro.Type.forSchema>[1]>;

// Set by TimestampMillisType just before avsc builds its underlying long, so the hook can hand it the exact one.
let pendingUnderlying: object | undefined;

/**
 * avsc options for parsing a schema (a class's own or a writer's) into values of one representation. Writer
 * schemas must be parsed with the reader's options: avsc only resolves a logical type from the same one.
 * `wrapUnions: 'auto'` is explicit on purpose: the generated TypeScript mirrors it (unambiguous unions
 * unwrapped, ambiguous ones wrapped as `{ branchName: value }`).
 */
export function avroTypeOptions(values: ValueRepresentation = 'number'): AvroTypeOptions {
  const long = values === 'bigint' ? BIGINT_LONG : values === 'lossless' ? LOSSLESS_LONG : SAFE_LONG;
  const options: AvroTypeOptions = {
    wrapUnions: 'auto',
    // `"long"` references go through the registry (fresh for each parse: avsc adds named types to it);
    // `{ "type": "long", … }` objects through the type hook.
    registry: { long, double: DOUBLE, float: FLOAT },
    typeHook: (s: unknown) => {
      if (!isObject(s)) return undefined;
      if (s === pendingUnderlying) {
        // A timestamp's long, read losslessly so that a value beyond a Date is named as a timestamp.
        pendingUnderlying = undefined;
        return LOSSLESS_LONG;
      }
      switch (s['type']) {
        case 'long':
          return values !== 'lossless' && supportedLogicalType(s) !== undefined ? undefined : long;
        case 'double':
          return DOUBLE;
        case 'float':
          return FLOAT;
        default:
          return undefined;
      }
    },
  };
  if (values !== 'lossless') options.logicalTypes = LOGICAL_TYPES;
  return options;
}

/** Builds the avsc Type for a self-contained schema in one value representation. */
export function createType(schema: AvroSchemaJson, values: ValueRepresentation = 'number'): Type {
  return avro.Type.forSchema(schema as Parameters<typeof avro.Type.forSchema>[0], avroTypeOptions(values));
}

interface AvscInternals {
  typeName: string;
  name?: string;
  branchName?: string;
  underlyingType?: Type;
  types?: readonly Type[];
  itemsType?: Type;
  valuesType?: Type;
  size?: number;
  symbols?: readonly string[];
  spec?: DecimalSpec;
  field?: (name: string) => { type: Type } | undefined;
}

function internals(type: Type): AvscInternals {
  return type as unknown as AvscInternals;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Skips logical wrappers and picks the branch of an unwrapped union the value went down. */
function structural(type: Type, value: unknown): Type {
  let current = internals(type);
  for (;;) {
    if (current.typeName.startsWith('logical:') && current.underlyingType) {
      current = internals(current.underlyingType);
    } else if (current.typeName === 'union:unwrapped' && current.types) {
      const wanted = Array.isArray(value) ? ['array'] : ['record', 'error', 'map'];
      const branch = current.types.find((t) => wanted.includes(internals(structural(t, value)).typeName));
      if (!branch) return current as unknown as Type;
      current = internals(branch);
    } else {
      return current as unknown as Type;
    }
  }
}

function formatPath(root: Type, rootValue: unknown, segments: readonly string[]): string {
  let type: Type | undefined = root;
  let value = rootValue;
  let path = '';
  for (const segment of segments) {
    const t: AvscInternals | undefined = type === undefined ? undefined : internals(structural(type, value));
    switch (t?.typeName) {
      case 'record':
      case 'error':
        path += path === '' ? segment : `.${segment}`;
        type = t.field?.(segment)?.type;
        break;
      case 'map':
        path += `[${JSON.stringify(segment)}]`;
        type = t.valuesType;
        break;
      case 'array':
        path += `[${segment}]`;
        type = t.itemsType;
        break;
      default:
        // A wrapped union's branch key, or something we cannot see into: render as a property access.
        path += IDENTIFIER.test(segment)
          ? path === ''
            ? segment
            : `.${segment}`
          : `[${JSON.stringify(segment)}]`;
        type = t?.types?.find((b) => internals(b).branchName === segment);
    }
    value = isObject(value) || Array.isArray(value) ? (value as Record<string, unknown>)[segment] : undefined;
  }
  return path;
}

function branchLabel(type: Type): string {
  const t = internals(type);
  if (t.typeName.startsWith('logical:')) return t.typeName.slice('logical:'.length);
  if (t.typeName === 'abstract:long') return 'long';
  return t.name ?? t.typeName;
}

/** Human-readable expected type for a validation error. */
export function describeType(type: Type): string {
  const t = internals(type);
  switch (t.typeName) {
    case 'logical:timestamp-millis':
      return 'timestamp-millis (Date)';
    case 'logical:date':
      return 'date (Date at UTC midnight)';
    case 'logical:uuid':
      return 'uuid (string)';
    case 'logical:decimal':
      return `decimal(${t.spec?.precision},${t.spec?.scale}) (decimal string)`;
    case 'abstract:long':
      return 'long (bigint)';
    case 'long':
      return 'long (safe integer, within ±(2^53−1))';
    case 'int':
      return 'int (32-bit integer)';
    case 'float':
    case 'double':
      return `${t.typeName} (number)`;
    case 'bytes':
      return 'bytes (Buffer)';
    case 'fixed':
      return `fixed ${t.name} (Buffer of ${t.size} bytes)`;
    case 'enum':
      return `enum ${t.name} (${(t.symbols ?? []).map((s) => JSON.stringify(s)).join(' | ')})`;
    case 'record':
    case 'error':
      return `record ${t.name}`;
    case 'array':
      return t.itemsType ? `array<${branchLabel(t.itemsType)}>` : 'array';
    case 'map':
      return t.valuesType ? `map<${branchLabel(t.valuesType)}>` : 'map';
    case 'union:unwrapped':
    case 'union:wrapped':
      return `union (${(t.types ?? []).map(branchLabel).join(' | ')})${t.typeName === 'union:wrapped' ? ' wrapped as { branch: value }' : ''}`;
    default:
      return t.typeName;
  }
}

/** Human-readable actual value for a validation error. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'string':
      return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    case 'number':
    case 'boolean':
      return `${typeof value} ${String(value)}`;
    case 'bigint':
      return `bigint ${value}n`;
    case 'object':
      if (Buffer.isBuffer(value)) return `Buffer(${value.length} bytes)`;
      if (value instanceof Date)
        return Number.isFinite(value.getTime()) ? `Date ${value.toISOString()}` : 'Invalid Date';
      if (Array.isArray(value)) return `array(${value.length})`;
      return value.constructor === Object || value.constructor === undefined
        ? 'object'
        : `object ${value.constructor.name}`;
    default:
      return typeof value;
  }
}

/** Checks a value against a type and lists every bad path (avsc's errorHook keeps going after the first). */
export function validateValue(type: Type, value: unknown, options: ValidateOptions = {}): ValidationResult {
  const errors: ValidationError[] = [];
  let valid: boolean;
  try {
    valid = type.isValid(value, {
      noUndeclaredFields: options.noUndeclaredFields ?? false,
      errorHook: (path: string[], actual: unknown, at: Type) => {
        errors.push({
          path: formatPath(type, value, path),
          expected: describeType(at),
          actual: describeValue(actual),
        });
      },
    });
  } catch (error) {
    // avsc throws "ambiguous conversion" when a value fits two unwrapped-union branches.
    valid = false;
    errors.push({
      path: '',
      expected: describeType(type),
      actual: error instanceof Error ? error.message : String(error),
    });
  }
  return { valid: valid && errors.length === 0, errors };
}

function formatErrors(errors: readonly ValidationError[]): string {
  return errors
    .map((e) => `${e.path === '' ? '(root)' : e.path}: expected ${e.expected}, got ${e.actual}`)
    .join('; ');
}

class Codec<Value, Input> implements EventCodec<Value, Input> {
  readonly subject: string;
  readonly topic: string | undefined;
  readonly fullname: string | undefined;
  readonly schema: AvroSchemaJson;
  readonly longs: LongRepresentation;
  #type: Type | undefined;

  constructor(definition: EventDefinition) {
    this.subject = definition.subject;
    this.topic = definition.topic;
    this.fullname = definition.fullname;
    this.schema = definition.schema;
    this.longs = definition.longs;
  }

  get type(): Type {
    this.#type ??= createType(this.schema, this.longs);
    return this.#type;
  }

  validate(value: unknown, options?: ValidateOptions): ValidationResult {
    return validateValue(this.type, value, options);
  }

  isValid(value: unknown): value is Input {
    try {
      return this.type.isValid(value);
    } catch {
      return false;
    }
  }

  encode(value: Input): Buffer {
    if (!this.isValid(value)) {
      const { errors } = this.validate(value);
      throw new EventCodecError('INVALID_VALUE', `invalid ${this.subject} value: ${formatErrors(errors)}`, {
        subject: this.subject,
        errors,
      });
    }
    return this.type.toBuffer(value);
  }

  avroOptions(values: 'class' | 'lossless' = 'class'): AvroTypeOptions {
    return avroTypeOptions(values === 'class' ? this.longs : 'lossless');
  }

  decode(buffer: Uint8Array): Value {
    const bytes = Buffer.isBuffer(buffer)
      ? buffer
      : Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    try {
      return this.type.fromBuffer(bytes) as Value;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new EventCodecError('DECODE_FAILED', `cannot decode ${this.subject}: ${reason}`, {
        subject: this.subject,
        cause: error,
      });
    }
  }
}

/** Creates the codec object a generated event module exports; the avsc Type is built on first use. */
export function defineEvent<Value, Input = Value>(definition: EventDefinition): EventCodec<Value, Input> {
  return new Codec<Value, Input>(definition);
}
