// Longs. avsc 5.7 reads and writes `long` through a double: its zigzag arithmetic loses the low bit of values
// beyond ±2^52, which turns some negative longs into different positive ones without an error, and it refuses
// everything beyond ±(2^53−2). Every long this runtime reads or writes goes through the exact varint code
// below instead, in all three value representations:
//   number    a safe integer; a value beyond ±(2^53−1) is an AvroRangeError, never a nearby number;
//   bigint    the full signed 64-bit range;
//   lossless  a number when it is safe and a bigint beyond, logical types left as their underlying values
//             (what the sink writes to Parquet: no conversion can change a value).
import avro from 'avsc';
import type { Type } from 'avsc';
import { AvroRangeError, EventCodecError } from './errors.ts';

/** How Avro `long` is represented in JavaScript: a safe-integer `number` (avsc's default) or a `bigint`. */
export type LongRepresentation = 'number' | 'bigint';

/** How values are represented in JavaScript: a class's long representation, or `lossless` (see above). */
export type ValueRepresentation = LongRepresentation | 'lossless';

/** avsc's cursor over a buffer; only these two fields are used. */
export interface Tap {
  buf: Buffer;
  pos: number;
}

function malformed(reason: string): EventCodecError {
  return new EventCodecError('DECODE_FAILED', `invalid long: ${reason}`);
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
    if (bytes > 10 && b >= 0x80) throw malformed('varint longer than 10 bytes');
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
  if (hi >= 2 ** 37) throw malformed('more than 64 bits');
  const m = (BigInt(hi) << 27n) | BigInt(lo >>> 1);
  return negative ? -m - 1n : m;
}

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

const SAFE_MAX_BIGINT = BigInt(Number.MAX_SAFE_INTEGER);

/** Writes a safe integer or a 64-bit bigint as a zigzag varint, exactly. */
export function writeLongExact(tap: Tap, value: number | bigint): void {
  tap.pos = writeLongAt(tap.buf, tap.pos, value);
}

/**
 * writeLongExact on a buffer and a position, returning the position after the varint: the compiled writers
 * keep their position in a local instead of a tap object. Bytes past the end of `buf` are dropped.
 */
export function writeLongAt(buf: Uint8Array, pos: number, value: number | bigint): number {
  if (typeof value === 'number' && value >= -0x40000000 && value < 0x40000000) {
    let z = ((value << 1) ^ (value >> 31)) >>> 0;
    while (z > 0x7f) {
      buf[pos++] = (z & 0x7f) | 0x80;
      z >>>= 7;
    }
    buf[pos++] = z;
    return pos;
  }
  const negative = value < 0;
  if (typeof value === 'bigint' && (value > SAFE_MAX_BIGINT || value < -SAFE_MAX_BIGINT - 1n)) {
    // u = 2m + sign, written 7 bits at a time.
    let u = negative ? ((-value - 1n) << 1n) | 1n : value << 1n;
    while (u > 0x7fn) {
      buf[pos++] = Number(u & 0x7fn) | 0x80;
      u >>= 7n;
    }
    buf[pos++] = Number(u);
    return pos;
  }
  // m = magnitude without the sign bit, at most 2^53: exact in a double, so are m % 64 and m / 64.
  const n = Number(value);
  let m = negative ? -n - 1 : n;
  const first = ((m % 64) << 1) | (negative ? 1 : 0);
  m = Math.floor(m / 64);
  if (m === 0) {
    buf[pos++] = first;
    return pos;
  }
  buf[pos++] = first | 0x80;
  while (m > 0x7f) {
    buf[pos++] = (m % 128) | 0x80;
    m = Math.floor(m / 128);
  }
  buf[pos++] = m;
  return pos;
}

type AvscType = new () => Type;
type Hook = (value: unknown, type: unknown) => void;
interface Resolver {
  _read: (tap: Tap) => unknown;
}

// avsc calls `_write` without validating first (toBuffer): a value that is not a long must not be written.
function invalidLong(value: unknown): EventCodecError {
  return new EventCodecError(
    'INVALID_VALUE',
    `invalid "long": ${typeof value === 'bigint' ? `${value}n` : String(value)}`,
  );
}

export function isInt64(value: unknown): value is bigint {
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
export const BIGINT_LONG = avro.types.LongType.__with(
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
export const SAFE_LONG = new SafeLongType();
export const LOSSLESS_LONG = new LosslessLongType();
export const DOUBLE = new PromotingDoubleType();
export const FLOAT = new PromotingFloatType();

// Set by the timestamp-millis logical type just before avsc builds its underlying long, so that the type hook
// hands that long the lossless representation: a value beyond a Date is then named as a timestamp.
let pendingUnderlying: object | undefined;

/** Marks the schema object whose underlying long avsc builds next as one to read losslessly. */
export function readUnderlyingLosslessly(schema: object): void {
  pendingUnderlying = schema;
}

/** Whether `schema` is the marked one (and clears the mark): the type hook then returns LOSSLESS_LONG. */
export function takeUnderlyingLossless(schema: object): boolean {
  if (schema !== pendingUnderlying) return false;
  pendingUnderlying = undefined;
  return true;
}
