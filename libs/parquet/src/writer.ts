// Writes one Parquet file from JavaScript rows: each row is shredded (Dremel) straight into per-column
// typed buffers in PLAIN form; once a buffer reaches the page size it becomes a compressed data page,
// dictionary-encoded while the column chunk's dictionary stays small and pays, PLAIN otherwise; `finish()`
// lays the pages out with the footer. No intermediate row objects, no Arrow, no async.
import { COMPRESSIONS, CODEC_ID, compress } from './compression.ts';
import type { Compression } from './compression.ts';
import { ByteDictionary, WordDictionary } from './dictionary.ts';
import { Bytes, bitWidth, encodeBooleans, encodeHybrid, encodeHybridWide } from './encoding.ts';
import { ENCODING, chunkEncodings, dataPageHeader, dictionaryPageHeader, fileMetaData } from './metadata.ts';
import type { ChunkMeta, RowGroupMeta } from './metadata.ts';
import { ParquetError } from './errors.ts';
import { planSchema } from './plan.ts';
import type { PlanLeaf, PlanNode } from './plan.ts';
import { ByteBounds, STATISTICS_TRUNCATE_BYTES, truncateMax, truncateMin } from './statistics.ts';
import type { ParquetPhysicalType, ParquetSchema, ParquetSchemaSpec } from './schema.ts';

export type { Compression } from './compression.ts';

export interface ParquetWriterOptions {
  /** The root name and fields; each field's shape also says which JavaScript values it takes. */
  schema: ParquetSchemaSpec;
  /** Page compression. Default `snappy`. */
  compression?: Compression;
  /** Rows per row group. Default 100,000. */
  rowGroupRows?: number;
  /** Target uncompressed size of a data page, in bytes. Default 1 MiB. */
  pageSizeBytes?: number;
  /** The footer's `created_by`. Default `@adlake/parquet 0.0.0`. */
  createdBy?: string;
  /** The footer's key-value metadata, in this order. */
  metadata?: readonly { key: string; value: string }[];
  /**
   * Largest dictionary page of a column chunk, in bytes (PLAIN size of its entries). A chunk whose
   * dictionary would grow past it writes the rest of its pages PLAIN. 0 writes no dictionaries. Default 1 MiB.
   */
  dictionaryPageSizeBytes?: number;
  /** Longest min/max statistic of a string or binary column, in bytes; longer bounds are truncated. Default 64. */
  statisticsTruncateBytes?: number;
}

export interface ParquetWriter {
  readonly schema: ParquetSchema;
  /** Rows appended so far. */
  readonly rows: number;
  /** Memory held by this writer in bytes: compressed pages plus the allocated column buffers. */
  readonly estimatedBytes: number;
  /**
   * Appends one row: an object with one property per top-level field. On a row that does not fit the schema
   * it throws ParquetError VALUE_INVALID (with `context.path`) and the file is left exactly as before the call.
   */
  append(row: unknown): void;
  /**
   * Appends one row by filling the leaf columns directly, for a caller that decodes its own format straight
   * into them instead of building a row object. `fill` must store exactly what `append` would store for the
   * row (each leaf's values and levels, as the plan's shape dictates). When it throws, the file is left
   * exactly as before the call and the error is rethrown as it is.
   */
  appendColumns(fill: (leaves: readonly LeafAppender[]) => void): void;
  /** The complete Parquet file. The writer cannot be used afterwards. */
  finish(): Uint8Array;
}

/** One leaf column as `appendColumns` hands it out, in the schema's column order. */
export interface LeafAppender {
  /** Whether the column stores definition levels (it or an ancestor is optional or repeated). */
  readonly hasDef: boolean;
  /** Stores one present value with the checks and conversions `append` applies to it. */
  value(v: unknown): void;
  /** Stores one definition level and repetition level. */
  level(def: number, rep: number): void;
  /**
   * Stores buf[start, end) as one BYTE_ARRAY value: raw bytes, or text whose UTF-8 encoding is exactly
   * these bytes. The same as `value` with that Buffer or string, without building it.
   */
  byteArray(buf: Uint8Array, start: number, end: number): void;
}

export const WRITER_DEFAULTS = {
  compression: 'snappy',
  rowGroupRows: 100_000,
  pageSizeBytes: 1024 * 1024,
  createdBy: '@adlake/parquet 0.0.0',
  dictionaryPageSizeBytes: 1024 * 1024,
  statisticsTruncateBytes: STATISTICS_TRUNCATE_BYTES,
} as const;

const INITIAL_CAPACITY = 256;
/**
 * Values of a chunk's first dictionary page on which the dictionary is first judged: enough for a column of
 * a few thousand distinct values to show it repeats, few enough that hashing unique ids costs little.
 */
const DICTIONARY_PROBE_VALUES = 8192;
/**
 * Share of distinct values among those that gives the dictionary up: unique columns show 0.99 and more,
 * while a column of a few ten thousand distinct values, whose dictionary still pays, shows below 0.95.
 */
const DICTIONARY_PROBE_DISTINCT = 0.98;
const MS_PER_DAY = 86_400_000;
const TWO_32 = 4294967296;

/** One leaf column's buffered page plus the pages already finished in the current row group. */
class Column {
  readonly leaf: PlanLeaf;
  readonly path: string[];
  readonly type: ParquetPhysicalType;
  readonly maxDef: number;
  readonly maxRep: number;
  readonly hasDef: boolean;
  readonly hasRep: boolean;
  /** Bytes per value in the typed buffers (0 for byte arrays). */
  readonly width: number;

  defs: Uint8Array;
  reps: Uint8Array;
  nLevels = 0;
  nValues = 0;
  i32: Int32Array;
  f32: Float32Array;
  f64: Float64Array;
  u8: Uint8Array;
  bytes: Buffer;
  bytesLen = 0;

  markLevels = 0;
  markValues = 0;
  markBytes = 0;

  min: number | bigint = Infinity;
  max: number | bigint = -Infinity;
  /** Bounds of a BYTE_ARRAY column (strings and binary); FIXED_LEN_BYTE_ARRAY and INT96 have none. */
  readonly bounds: ByteBounds | undefined;
  /** Whether the column holds text (UTF-8), which truncates its bounds on character boundaries. */
  readonly utf8: boolean;
  /** The chunk's dictionary (no dictionary for BOOLEAN, whose PLAIN bits are smaller than indices). */
  readonly words: WordDictionary | undefined;
  readonly byteDict: ByteDictionary | undefined;
  /** Set once the chunk's dictionary has proved too large or not worth it: the rest of the chunk is PLAIN. */
  plainOnly = false;
  dictionaryDataPages = 0;
  plainDataPages = 0;
  nullCount = 0;
  pages: Buffer[] = [];
  chunkValues = 0;
  chunkUncompressed = 0;
  chunkCompressed = 0;

  constructor(leaf: PlanLeaf, path: string[], maxDef: number, maxRep: number, dictionaries: boolean) {
    this.leaf = leaf;
    this.path = path;
    this.type = leaf.field.type ?? 'BYTE_ARRAY';
    this.maxDef = maxDef;
    this.maxRep = maxRep;
    this.hasDef = maxDef > 0;
    this.hasRep = maxRep > 0;
    this.defs = new Uint8Array(this.hasDef ? INITIAL_CAPACITY : 0);
    this.reps = new Uint8Array(this.hasRep ? INITIAL_CAPACITY : 0);
    const t = this.type;
    this.width =
      t === 'INT64' || t === 'DOUBLE' ? 8 : t === 'INT32' || t === 'FLOAT' ? 4 : t === 'BOOLEAN' ? 1 : 0;
    this.i32 = new Int32Array(t === 'INT32' ? INITIAL_CAPACITY : t === 'INT64' ? 2 * INITIAL_CAPACITY : 0);
    this.f32 = new Float32Array(t === 'FLOAT' ? INITIAL_CAPACITY : 0);
    this.f64 = new Float64Array(t === 'DOUBLE' ? INITIAL_CAPACITY : 0);
    this.u8 = new Uint8Array(t === 'BOOLEAN' ? INITIAL_CAPACITY : 0);
    this.bytes = Buffer.allocUnsafe(
      t === 'BYTE_ARRAY' || t === 'FIXED_LEN_BYTE_ARRAY' || t === 'INT96' ? 16 * INITIAL_CAPACITY : 0,
    );
    this.bounds = t === 'BYTE_ARRAY' ? new ByteBounds() : undefined;
    this.utf8 = leaf.conv === 'string';
    this.words = dictionaries
      ? t === 'INT32' || t === 'FLOAT'
        ? new WordDictionary(1)
        : t === 'INT64' || t === 'DOUBLE'
          ? new WordDictionary(2)
          : undefined
      : undefined;
    this.byteDict = dictionaries
      ? t === 'BYTE_ARRAY'
        ? new ByteDictionary(0)
        : t === 'FIXED_LEN_BYTE_ARRAY' || t === 'INT96'
          ? new ByteDictionary(t === 'INT96' ? 12 : leaf.size)
          : undefined
      : undefined;
  }

  /** Bytes of the page being buffered (levels at one byte each, values in PLAIN form). */
  pageBytes(): number {
    return (
      this.nLevels * ((this.hasDef ? 1 : 0) + (this.hasRep ? 1 : 0)) +
      this.nValues * this.width +
      this.bytesLen
    );
  }

  allocated(): number {
    return (
      this.defs.byteLength +
      this.reps.byteLength +
      this.i32.byteLength +
      this.f32.byteLength +
      this.f64.byteLength +
      this.u8.byteLength +
      this.bytes.byteLength +
      (this.words?.allocated ?? 0) +
      (this.byteDict?.allocated ?? 0)
    );
  }
}

function grow<T extends Int32Array | Float32Array | Float64Array | Uint8Array>(a: T, need: number): T {
  const next = new (a.constructor as new (n: number) => T)(Math.max(a.length * 2, need, INITIAL_CAPACITY));
  next.set(a);
  return next;
}

function level(c: Column, def: number, rep: number): void {
  const n = c.nLevels;
  if (n === c.defs.length) {
    c.defs = grow(c.defs, n + 1);
    if (c.hasRep) c.reps = grow(c.reps, n + 1);
  }
  c.defs[n] = def;
  if (c.hasRep) c.reps[n] = rep;
  c.nLevels = n + 1;
}

function ensureBytes(c: Column, extra: number): void {
  const need = c.bytesLen + extra;
  if (need <= c.bytes.length) return;
  const next = Buffer.allocUnsafe(Math.max(c.bytes.length * 2, need));
  c.bytes.copy(next, 0, 0, c.bytesLen);
  c.bytes = next;
}

function pushI32(c: Column, v: number): void {
  const n = c.nValues;
  if (n === c.i32.length) c.i32 = grow(c.i32, n + 1);
  c.i32[n] = v;
  c.nValues = n + 1;
  if (v < c.min) c.min = v;
  if (v > c.max) c.max = v;
}

function pushI64(c: Column, v: number | bigint): void {
  const n = c.nValues;
  const i = 2 * n;
  if (i + 2 > c.i32.length) c.i32 = grow(c.i32, i + 2);
  if (typeof v === 'number') {
    const hi = Math.floor(v / TWO_32);
    c.i32[i] = (v - hi * TWO_32) | 0;
    c.i32[i + 1] = hi;
  } else {
    c.i32[i] = Number(BigInt.asIntN(32, v));
    c.i32[i + 1] = Number(BigInt.asIntN(32, v >> 32n));
  }
  c.nValues = n + 1;
  if (v < c.min) c.min = v;
  if (v > c.max) c.max = v;
}

/** Julian day number of 1970-01-01: INT96 counts days from the Julian epoch. */
const JULIAN_UNIX_EPOCH = 2_440_588;

/**
 * An INT96 timestamp as Impala, Hive and Spark write it: 8 bytes little-endian nanoseconds of the day, then 4
 * bytes little-endian Julian day, proleptic Gregorian. No statistics: INT96 has no defined sort order.
 */
function pushInt96(c: Column, daysSinceEpoch: number, nanosOfDay: number): void {
  ensureBytes(c, 12);
  const b = c.bytes;
  const p = c.bytesLen;
  // Exact: a day holds fewer than 2^53 nanoseconds.
  const hi = Math.floor(nanosOfDay / TWO_32);
  b.writeUInt32LE(nanosOfDay - hi * TWO_32, p);
  b.writeUInt32LE(hi, p + 4);
  b.writeInt32LE(daysSinceEpoch + JULIAN_UNIX_EPOCH, p + 8);
  c.bytesLen = p + 12;
  c.nValues++;
}

function pushF32(c: Column, v: number): void {
  const n = c.nValues;
  if (n === c.f32.length) c.f32 = grow(c.f32, n + 1);
  c.f32[n] = v;
  c.nValues = n + 1;
  if (v < c.min) c.min = Math.fround(v);
  if (v > c.max) c.max = Math.fround(v);
}

function pushF64(c: Column, v: number): void {
  const n = c.nValues;
  if (n === c.f64.length) c.f64 = grow(c.f64, n + 1);
  c.f64[n] = v;
  c.nValues = n + 1;
  if (v < c.min) c.min = v;
  if (v > c.max) c.max = v;
}

function pushBool(c: Column, v: boolean): void {
  const n = c.nValues;
  if (n === c.u8.length) c.u8 = grow(c.u8, n + 1);
  c.u8[n] = v ? 1 : 0;
  c.nValues = n + 1;
}

function pushString(c: Column, s: string): void {
  const len = s.length;
  ensureBytes(c, 4 + 3 * len);
  const b = c.bytes;
  const p = c.bytesLen;
  let n = 0;
  // ASCII fast path: a JS loop beats a native call for the short strings events are made of.
  if (len < 64) {
    for (; n < len; n++) {
      const ch = s.charCodeAt(n);
      if (ch >= 0x80) break;
      b[p + 4 + n] = ch;
    }
  }
  if (n < len) n = b.write(s, p + 4, 'utf8');
  b[p] = n & 0xff;
  b[p + 1] = (n >>> 8) & 0xff;
  b[p + 2] = (n >>> 16) & 0xff;
  b[p + 3] = n >>> 24;
  c.bytesLen = p + 4 + n;
  c.nValues++;
}

function pushBinary(c: Column, v: Uint8Array): void {
  const n = v.length;
  ensureBytes(c, 4 + n);
  const p = c.bytesLen;
  c.bytes.writeUInt32LE(n, p);
  c.bytes.set(v, p + 4);
  c.bytesLen = p + 4 + n;
  c.nValues++;
}

function pushBinaryRange(c: Column, buf: Uint8Array, start: number, end: number): void {
  const n = end - start;
  ensureBytes(c, 4 + n);
  const p = c.bytesLen;
  const b = c.bytes;
  b[p] = n & 0xff;
  b[p + 1] = (n >>> 8) & 0xff;
  b[p + 2] = (n >>> 16) & 0xff;
  b[p + 3] = n >>> 24;
  // Short values, as events are made of, copy faster in a loop than through a native call.
  if (n < 32) for (let i = 0; i < n; i++) b[p + 4 + i] = buf[start + i] as number;
  else b.set(buf.subarray(start, end), p + 4);
  c.bytesLen = p + 4 + n;
  c.nValues++;
}

function pushFixed(c: Column, v: Uint8Array): void {
  ensureBytes(c, v.length);
  c.bytes.set(v, c.bytesLen);
  c.bytesLen += v.length;
  c.nValues++;
}

function invalid(path: string, expected: string, actual: unknown): ParquetError {
  return new ParquetError('VALUE_INVALID', `${path}: expected ${expected}, got ${describe(actual)}`, {
    context: { path },
  });
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (v instanceof Date) return `Date(${Number.isNaN(v.getTime()) ? 'invalid' : v.toISOString()})`;
  if (v instanceof Uint8Array) return `${v.constructor.name}(${v.length} bytes)`;
  if (Array.isArray(v)) return `array(${v.length})`;
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'object') return 'object';
  return `${typeof v} ${String(v)}`;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Stores one present value of a leaf column (levels are the caller's job). */
function valueWriter(c: Column): (v: unknown) => void {
  const leaf = c.leaf;
  const path = leaf.path;
  switch (leaf.conv) {
    case 'boolean':
      return (v) => {
        if (typeof v !== 'boolean') throw invalid(path, 'boolean', v);
        pushBool(c, v);
      };
    case 'int':
      return (v) => {
        if (typeof v !== 'number' || (v | 0) !== v) throw invalid(path, 'int (32-bit integer)', v);
        pushI32(c, v);
      };
    case 'long':
      return (v) => {
        if (typeof v === 'number' && Number.isSafeInteger(v)) pushI64(c, v);
        else if (typeof v === 'bigint' && v >= INT64_MIN && v <= INT64_MAX) pushI64(c, v);
        else throw invalid(path, 'long (safe integer or 64-bit bigint)', v);
      };
    case 'timestamp-millis':
      return (v) => {
        const ms = v instanceof Date ? v.getTime() : v;
        if (typeof ms === 'number' && Number.isSafeInteger(ms)) pushI64(c, ms);
        else if (typeof ms === 'bigint' && ms >= INT64_MIN && ms <= INT64_MAX) pushI64(c, ms);
        else throw invalid(path, 'timestamp-millis (valid Date or epoch milliseconds)', v);
      };
    case 'int96-millis':
    case 'int96-micros': {
      const perDay = leaf.conv === 'int96-millis' ? MS_PER_DAY : MS_PER_DAY * 1000;
      const nanosPerUnit = leaf.conv === 'int96-millis' ? 1_000_000 : 1000;
      const perDayBig = BigInt(perDay);
      // A Date holds milliseconds: taken as microseconds it would land a thousand times too close to 1970.
      const takesDate = leaf.conv === 'int96-millis';
      return (v) => {
        const t = takesDate && v instanceof Date ? v.getTime() : v;
        if (typeof t === 'number' && Number.isSafeInteger(t)) {
          // t - day * perDay is a safe integer below perDay, so the split is exact.
          const day = Math.floor(t / perDay);
          pushInt96(c, day, (t - day * perDay) * nanosPerUnit);
        } else if (typeof t === 'bigint' && t >= INT64_MIN && t <= INT64_MAX) {
          // Floor division: BigInt division truncates toward zero.
          const day = t / perDayBig - (t % perDayBig < 0n ? 1n : 0n);
          pushInt96(c, Number(day), Number(t - day * perDayBig) * nanosPerUnit);
        } else
          throw invalid(
            path,
            takesDate
              ? 'timestamp in milliseconds (Date, safe integer or 64-bit bigint)'
              : 'timestamp in microseconds (safe integer or 64-bit bigint)',
            v,
          );
      };
    }
    case 'date':
      return (v) => {
        const days = v instanceof Date ? Math.floor(v.getTime() / MS_PER_DAY) : v;
        if (typeof days !== 'number' || (days | 0) !== days)
          throw invalid(path, 'date (Date or days since epoch)', v);
        pushI32(c, days);
      };
    case 'float':
      return (v) => {
        if (typeof v !== 'number') throw invalid(path, 'float', v);
        pushF32(c, v);
      };
    case 'double':
      return (v) => {
        if (typeof v !== 'number') throw invalid(path, 'double', v);
        pushF64(c, v);
      };
    case 'string':
      return (v) => {
        if (typeof v !== 'string') throw invalid(path, 'string', v);
        pushString(c, v);
      };
    case 'bytes':
      return (v) => {
        if (!(v instanceof Uint8Array)) throw invalid(path, 'bytes (Buffer)', v);
        pushBinary(c, v);
      };
    case 'fixed': {
      const size = leaf.size;
      return (v) => {
        if (!(v instanceof Uint8Array) || v.length !== size) throw invalid(path, `fixed (${size} bytes)`, v);
        pushFixed(c, v);
      };
    }
    case 'decimal': {
      const scratch = Buffer.alloc(leaf.size);
      return (v) => {
        if (typeof v === 'string') {
          if (!decimalTextToBytes(v, leaf.scale, leaf.precision, scratch)) {
            throw invalid(path, `decimal(${leaf.precision},${leaf.scale}) text`, v);
          }
        } else if (v instanceof Uint8Array) {
          if (!signExtend(v, scratch))
            throw invalid(path, `decimal(${leaf.precision},${leaf.scale}) bytes`, v);
        } else throw invalid(path, `decimal(${leaf.precision},${leaf.scale}) as string`, v);
        pushFixed(c, scratch);
      };
    }
  }
}

const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/**
 * Writes the unscaled value of decimal text (`"-12.30"`) as big-endian two's complement into `out`.
 * False when it is not decimal text, has more than `scale` fraction digits (we never round) or more than
 * `precision` digits.
 */
export function decimalTextToBytes(text: string, scale: number, precision: number, out: Uint8Array): boolean {
  const m = DECIMAL_TEXT.exec(text);
  if (m === null) return false;
  const int = m[2] ?? '';
  const frac = m[3] ?? '';
  if (int === '' && frac === '') return false;
  if (frac.length > scale) return false;
  const digits = (int + frac.padEnd(scale, '0')).replace(/^0+/, '');
  if (digits.length > precision) return false;
  const negative = m[1] === '-';
  if (digits.length <= 15) {
    let v = digits === '' ? 0 : Number(digits);
    if (negative) v = -v;
    for (let i = out.length - 1; i >= 0; i--) {
      out[i] = ((v % 256) + 256) % 256;
      v = Math.floor(v / 256);
    }
  } else {
    let v = BigInt(digits);
    if (negative) v = -v;
    for (let i = out.length - 1; i >= 0; i--) {
      out[i] = Number(v & 0xffn);
      v >>= 8n;
    }
  }
  return true;
}

/** Copies a big-endian two's complement integer into `out`, sign-extended; false if it does not fit. */
function signExtend(v: Uint8Array, out: Uint8Array): boolean {
  const negative = v.length > 0 && ((v[0] as number) & 0x80) !== 0;
  const fill = negative ? 0xff : 0;
  let start = 0;
  while (v.length - start > out.length) {
    if (v[start] !== fill) return false;
    start++;
  }
  const n = v.length - start;
  out.fill(fill, 0, out.length - n);
  out.set(v.subarray(start), out.length - n);
  return n === 0 || start === 0 || (((v[start] as number) & 0x80) !== 0) === negative;
}

type Writer = (v: unknown, rep: number) => void;

/** Builds the appender tree for a plan: one closure per node, record field reads generated as code. */
function compile(node: PlanNode, defAbove: number, repAbove: number, cols: Column[]): Writer {
  const def = defAbove + (node.optional ? 1 : 0);
  const inner = compileInner(node, def, repAbove, cols);
  if (!node.optional) return inner;
  const under = leavesUnder(node).map((l) => cols[l.column] as Column);
  return (v, rep) => {
    if (v === null || v === undefined) {
      for (let i = 0; i < under.length; i++) level(under[i] as Column, defAbove, rep);
    } else inner(v, rep);
  };
}

function compileInner(node: PlanNode, def: number, rep: number, cols: Column[]): Writer {
  switch (node.kind) {
    case 'leaf': {
      const c = cols[node.column] as Column;
      const write = valueWriter(c);
      const path = node.path;
      if (!c.hasDef) {
        return (v) => {
          if (v === null || v === undefined) throw invalid(path, 'a value (field is required)', v);
          write(v);
        };
      }
      return (v, r) => {
        if (v === null || v === undefined) throw invalid(path, 'a value (field is required)', v);
        write(v);
        level(c, def, r);
      };
    }
    case 'record': {
      const writers = node.fields.map((f) => compile(f.node, def, rep, cols));
      const path = node.path;
      const args = node.fields.map((_, i) => `w${i}`);
      // A JSON string is a JavaScript string literal, so any field name inlines safely as a property read.
      const body = node.fields.map((f, i) => `w${i}(v[${JSON.stringify(f.name)}], r);`).join('\n');
      const check = (v: unknown): void => {
        if (v === null || typeof v !== 'object' || Array.isArray(v))
          throw invalid(path || '<root>', 'a record', v);
      };
      const fn = new Function('check', ...args, `return function record(v, r) {\ncheck(v);\n${body}\n};`) as (
        ...a: unknown[]
      ) => Writer;
      return fn(check, ...writers);
    }
    case 'list': {
      const r = rep + 1;
      const item = compile(node.item, def + 1, r, cols);
      const under = leavesUnder(node).map((l) => cols[l.column] as Column);
      const path = node.path;
      return (v, rp) => {
        if (!Array.isArray(v)) throw invalid(path, 'an array', v);
        const n = v.length;
        if (n === 0) {
          for (let i = 0; i < under.length; i++) level(under[i] as Column, def, rp);
          return;
        }
        item(v[0], rp);
        for (let i = 1; i < n; i++) item(v[i], r);
      };
    }
    case 'map': {
      const r = rep + 1;
      const key = compile(node.key, def + 1, r, cols);
      const value = compile(node.value, def + 1, r, cols);
      const under = leavesUnder(node).map((l) => cols[l.column] as Column);
      const path = node.path;
      return (v, rp) => {
        if (v === null || typeof v !== 'object' || Array.isArray(v)) throw invalid(path, 'a map (object)', v);
        let cur = rp;
        const m = v as Record<string, unknown>;
        for (const k in m) {
          if (!Object.hasOwn(m, k)) continue;
          key(k, cur);
          value(m[k], cur);
          cur = r;
        }
        if (cur === rp) for (let i = 0; i < under.length; i++) level(under[i] as Column, def, rp);
      };
    }
    case 'oneOf': {
      const members = node.members.map((m) => ({
        write: compile(m, def, rep, cols),
        under: leavesUnder(m).map((l) => cols[l.column] as Column),
      }));
      const { path, select, unwrap, expected } = node;
      const n = members.length;
      return (v, rp) => {
        const index = select(v);
        // A caller's select may answer anything: only a real member index may pick one.
        if (!Number.isInteger(index) || index < 0 || index >= n) throw invalid(path, expected, v);
        const inner = unwrap === undefined ? v : unwrap(v, index);
        for (let i = 0; i < n; i++) {
          const m = members[i] as (typeof members)[number];
          if (i === index) m.write(inner, rp);
          else for (let j = 0; j < m.under.length; j++) level(m.under[j] as Column, def, rp);
        }
      };
    }
  }
}

function leavesUnder(node: PlanNode): PlanLeaf[] {
  switch (node.kind) {
    case 'leaf':
      return [node];
    case 'record':
      return node.fields.flatMap((f) => leavesUnder(f.node));
    case 'list':
      return leavesUnder(node.item);
    case 'map':
      return [node.key, ...leavesUnder(node.value)];
    case 'oneOf':
      return node.members.flatMap((m) => leavesUnder(m));
  }
}

function option<T>(
  value: T | undefined,
  fallback: T,
  key: string,
  ok: (v: T) => boolean,
  expected: string,
): T {
  if (value === undefined) return fallback;
  if (!ok(value)) {
    throw new ParquetError(
      'OPTION_INVALID',
      `/options/${key} must be ${expected}, got ${JSON.stringify(value)}`,
      {
        context: { option: key },
      },
    );
  }
  return value;
}

/** Opens a writer for one Parquet file. Throws OPTION_INVALID or SCHEMA_INVALID before any row is taken. */
export function createParquetWriter(options: ParquetWriterOptions): ParquetWriter {
  const compression = option<Compression>(
    options.compression,
    WRITER_DEFAULTS.compression,
    'compression',
    (v) => (COMPRESSIONS as readonly string[]).includes(v),
    `one of ${COMPRESSIONS.join(', ')}`,
  );
  const positiveInt = (v: number): boolean => Number.isSafeInteger(v) && v > 0;
  const rowGroupRows = option(
    options.rowGroupRows,
    WRITER_DEFAULTS.rowGroupRows,
    'rowGroupRows',
    positiveInt,
    'a positive integer',
  );
  const pageSizeBytes = option(
    options.pageSizeBytes,
    WRITER_DEFAULTS.pageSizeBytes,
    'pageSizeBytes',
    positiveInt,
    'a positive integer',
  );
  const createdBy = option(
    options.createdBy,
    WRITER_DEFAULTS.createdBy,
    'createdBy',
    (v) => typeof v === 'string',
    'a string',
  );
  const metadata = option(
    options.metadata,
    [],
    'metadata',
    (v) =>
      Array.isArray(v) &&
      v.every((kv: unknown) => {
        const o = kv as { key?: unknown; value?: unknown } | null;
        return (
          o !== null && typeof o === 'object' && typeof o.key === 'string' && typeof o.value === 'string'
        );
      }),
    'an array of { key: string, value: string }',
  );
  const dictionaryPageSizeBytes = option(
    options.dictionaryPageSizeBytes,
    WRITER_DEFAULTS.dictionaryPageSizeBytes,
    'dictionaryPageSizeBytes',
    (v) => Number.isSafeInteger(v) && v >= 0,
    'a whole number of bytes (0: no dictionaries)',
  );
  const truncateBytes = option<number>(
    options.statisticsTruncateBytes,
    WRITER_DEFAULTS.statisticsTruncateBytes,
    'statisticsTruncateBytes',
    positiveInt,
    'a positive integer',
  );
  const plan = planSchema(options.schema);
  const codec = CODEC_ID[compression];

  // planSchema lists leaves and columns in the same (file) order.
  const cols = plan.schema.columns.map(
    (meta, i) =>
      new Column(
        plan.leaves[i] as PlanLeaf,
        meta.path,
        meta.maxDefinitionLevel,
        meta.maxRepetitionLevel,
        dictionaryPageSizeBytes > 0,
      ),
  );
  const root = compileInner(
    {
      kind: 'record',
      field: { name: plan.schema.name, repetition: 'REQUIRED' },
      optional: false,
      path: '',
      fields: plan.fields,
    },
    0,
    0,
    cols,
  );

  const scratch = new Bytes(64 * 1024);
  // Dictionary indices of the page being cut, shared by all columns: pages are cut one at a time.
  let indices = new Uint32Array(0);
  const parts: Uint8Array[] = [Buffer.from('PAR1')];
  let fileLength = 4;
  const rowGroups: RowGroupMeta[] = [];
  let rows = 0;
  let groupRows = 0;
  let pagesBytes = 0;
  let finished = false;

  function cutPage(c: Column): void {
    scratch.len = 0;
    for (const [has, levels, max] of [
      [c.hasRep, c.reps, c.maxRep],
      [c.hasDef, c.defs, c.maxDef],
    ] as const) {
      if (!has) continue;
      scratch.ensure(4);
      const at = scratch.len;
      scratch.len += 4;
      encodeHybrid(scratch, levels, c.nLevels, bitWidth(max));
      scratch.buf.writeUInt32LE(scratch.len - at - 4, at);
    }
    const dictionaryEncoded = encodeIndices(c, scratch);
    if (!dictionaryEncoded) {
      switch (c.type) {
        case 'BOOLEAN':
          encodeBooleans(scratch, c.u8, c.nValues);
          break;
        case 'INT32':
        case 'INT64':
          appendView(scratch, c.i32.buffer, c.i32.byteOffset, c.nValues * c.width);
          break;
        case 'FLOAT':
          appendView(scratch, c.f32.buffer, c.f32.byteOffset, c.nValues * 4);
          break;
        case 'DOUBLE':
          appendView(scratch, c.f64.buffer, c.f64.byteOffset, c.nValues * 8);
          break;
        default:
          appendView(scratch, c.bytes.buffer, c.bytes.byteOffset, c.bytesLen);
          if (c.bounds !== undefined) addPlainBounds(c.bounds, c.bytes, c.nValues);
      }
      c.plainDataPages++;
    } else c.dictionaryDataPages++;
    const body = compress(compression, scratch.view());
    const numValues = c.hasDef ? c.nLevels : c.nValues;
    const header = dataPageHeader({
      uncompressedSize: scratch.len,
      compressedSize: body.length,
      numValues,
      encoding: dictionaryEncoded ? ENCODING.RLE_DICTIONARY : ENCODING.PLAIN,
    });
    c.pages.push(header, body);
    c.chunkValues += numValues;
    c.chunkUncompressed += header.length + scratch.len;
    c.chunkCompressed += header.length + body.length;
    c.nullCount += numValues - c.nValues;
    pagesBytes += header.length + body.length;
    c.nLevels = 0;
    c.nValues = 0;
    c.bytesLen = 0;
    c.markLevels = 0;
    c.markValues = 0;
    c.markBytes = 0;
  }

  /**
   * Dictionary-encodes the buffered values after the levels in `out` (bit width, then the indices), unless
   * the chunk is PLAIN from here on. Falls back to PLAIN for the rest of the chunk when the dictionary would
   * pass its size limit, or when on its first page dictionary and indices are no smaller than PLAIN values
   * (parquet-mr's rule: unique ids, offsets and timestamps are not worth a dictionary). A first page whose
   * first DICTIONARY_PROBE_VALUES values are nearly all distinct is given up there, so a column of unique
   * values is not hashed in full only to be written PLAIN.
   */
  function encodeIndices(c: Column, out: Bytes): boolean {
    const n = c.nValues;
    // A page without values is PLAIN: the levels are all it holds, with or without a dictionary.
    if (c.plainOnly || n === 0) return false;
    const dict = c.words ?? c.byteDict;
    if (dict === undefined) return false;
    if (indices.length < n) indices = new Uint32Array(Math.max(n, 2 * indices.length));
    const before = dict.count;
    const probe = before === 0 && n > DICTIONARY_PROBE_VALUES ? DICTIONARY_PROBE_VALUES : n;
    let fits = encodeValues(c, 0, probe);
    if (fits && probe < n) {
      // Nearly all distinct so far: ids, offsets, timestamps, coordinates. Their dictionary would be no
      // smaller than PLAIN at the end of the page either, so the rest of the page is not hashed.
      if (dict.count >= DICTIONARY_PROBE_DISTINCT * probe) fits = false;
      else fits = encodeValues(c, probe, n);
    }
    if (!fits) {
      dict.truncate(before);
      c.plainOnly = true;
      return false;
    }
    const start = out.len;
    const width = bitWidth(dict.count - 1);
    out.ensure(1);
    out.buf[out.len++] = width;
    encodeHybridWide(out, indices, n, width);
    const plainBytes = c.width > 0 ? n * c.width : c.bytesLen;
    if (before === 0 && out.len - start + dict.byteLength >= plainBytes) {
      dict.reset();
      c.plainOnly = true;
      out.len = start;
      return false;
    }
    return true;
  }

  /** Dictionary indices of buffered values `from` to `to` into `indices`; false past the size limit. */
  function encodeValues(c: Column, from: number, to: number): boolean {
    const out = from === 0 ? indices : indices.subarray(from);
    if (c.words !== undefined) {
      const w = c.words.words;
      const src =
        c.type === 'FLOAT'
          ? new Int32Array(c.f32.buffer, c.f32.byteOffset + 4 * from, to - from)
          : c.type === 'DOUBLE'
            ? new Int32Array(c.f64.buffer, c.f64.byteOffset + 8 * from, 2 * (to - from))
            : c.i32.subarray(w * from, w * to);
      return c.words.encode(src, to - from, out, dictionaryPageSizeBytes);
    }
    const dict = c.byteDict as ByteDictionary;
    return dict.encode(c.bytes, plainOffset(c, from), to - from, out, dictionaryPageSizeBytes);
  }

  /** The chunk's dictionary page (header and compressed body), when its data pages use one. */
  function dictionaryPage(c: Column): { header: Buffer; body: Buffer; plainBytes: number } | undefined {
    const dict = c.words ?? c.byteDict;
    if (dict === undefined || dict.count === 0) return undefined;
    const plain = dict.plain();
    const body = compress(compression, plain);
    const header = dictionaryPageHeader({
      uncompressedSize: plain.length,
      compressedSize: body.length,
      numValues: dict.count,
    });
    return { header, body, plainBytes: plain.length };
  }

  function flushRowGroup(): void {
    if (groupRows === 0) return;
    const chunks: ChunkMeta[] = [];
    const groupOffset = fileLength;
    for (const c of cols) {
      if (c.nLevels > 0 || c.nValues > 0) cutPage(c);
      const dictPage = dictionaryPage(c);
      const chunkStart = fileLength;
      if (dictPage !== undefined) {
        c.pages.unshift(dictPage.header, dictPage.body);
        const n = dictPage.header.length + dictPage.body.length;
        c.chunkCompressed += n;
        c.chunkUncompressed += dictPage.header.length + dictPage.plainBytes;
        pagesBytes += n;
        if (c.bounds !== undefined) addDictionaryBounds(c.bounds, c.byteDict as ByteDictionary);
      }
      const { encodings, stats: encodingStats } = chunkEncodings(
        {
          dictionaryPages: dictPage === undefined ? 0 : 1,
          dictionaryDataPages: c.dictionaryDataPages,
          plainDataPages: c.plainDataPages,
        },
        c.hasDef || c.hasRep,
      );
      const chunk: ChunkMeta = {
        type: c.type,
        path: c.path,
        codec,
        encodings,
        encodingStats,
        numValues: c.chunkValues,
        uncompressedSize: c.chunkUncompressed,
        compressedSize: c.chunkCompressed,
        dataPageOffset:
          dictPage === undefined ? chunkStart : chunkStart + dictPage.header.length + dictPage.body.length,
        nullCount: c.nullCount,
      };
      if (dictPage !== undefined) chunk.dictionaryPageOffset = chunkStart;
      const stats = statBytes(c);
      if (stats !== undefined) {
        chunk.min = stats.min;
        chunk.max = stats.max;
      }
      if (c.bounds !== undefined) setByteBounds(chunk, c.bounds, truncateBytes, c.utf8);
      chunks.push(chunk);
      for (const p of c.pages) parts.push(p);
      fileLength += c.chunkCompressed;
      pagesBytes -= c.chunkCompressed;
      c.pages = [];
      c.chunkValues = 0;
      c.chunkUncompressed = 0;
      c.chunkCompressed = 0;
      c.nullCount = 0;
      c.min = Infinity;
      c.max = -Infinity;
      c.bounds?.reset();
      (c.words ?? c.byteDict)?.reset();
      c.plainOnly = false;
      c.dictionaryDataPages = 0;
      c.plainDataPages = 0;
    }
    rowGroups.push({ columns: chunks, numRows: groupRows, fileOffset: groupOffset });
    groupRows = 0;
  }

  const leaves: LeafAppender[] = cols.map((c) => {
    const value = valueWriter(c);
    return {
      hasDef: c.hasDef,
      value,
      level: (def: number, rep: number) => level(c, def, rep),
      byteArray: (buf: Uint8Array, start: number, end: number) => pushBinaryRange(c, buf, start, end),
    };
  });

  /** Ends a row that is complete in every column: counts it, cuts full pages, moves the rollback marks. */
  function endRow(): void {
    rows++;
    groupRows++;
    for (let i = 0; i < cols.length; i++) {
      const c = cols[i] as Column;
      if (c.pageBytes() >= pageSizeBytes) cutPage(c);
      else {
        c.markLevels = c.nLevels;
        c.markValues = c.nValues;
        c.markBytes = c.bytesLen;
      }
    }
    if (groupRows >= rowGroupRows) flushRowGroup();
  }

  function rollback(): void {
    for (const c of cols) {
      c.nLevels = c.markLevels;
      c.nValues = c.markValues;
      c.bytesLen = c.markBytes;
    }
  }

  return {
    schema: plan.schema,
    get rows() {
      return rows;
    },
    get estimatedBytes() {
      let n = fileLength + pagesBytes + scratch.buf.length + indices.byteLength;
      for (const c of cols) n += c.allocated();
      return n;
    },
    append(row: unknown): void {
      if (finished) throw new ParquetError('WRITER_CLOSED', 'append after finish()');
      try {
        root(row, 0);
      } catch (error) {
        rollback();
        if (error instanceof ParquetError) throw error;
        // A throwing getter or select(): still a row that cannot be written, and the file stays intact.
        throw new ParquetError(
          'VALUE_INVALID',
          `value does not fit the schema: ${(error as Error).message}`,
          {
            cause: error,
          },
        );
      }
      endRow();
    },
    appendColumns(fill: (leaves: readonly LeafAppender[]) => void): void {
      if (finished) throw new ParquetError('WRITER_CLOSED', 'append after finish()');
      try {
        fill(leaves);
      } catch (error) {
        rollback();
        throw error;
      }
      endRow();
    },
    finish(): Uint8Array {
      if (finished) throw new ParquetError('WRITER_CLOSED', 'finish() called twice');
      finished = true;
      flushRowGroup();
      const footer = fileMetaData({
        fields: plan.schema.fields,
        rootName: plan.schema.name,
        numRows: rows,
        rowGroups,
        keyValues: metadata,
        createdBy,
        numColumns: cols.length,
      });
      const tail = Buffer.alloc(8);
      tail.writeUInt32LE(footer.length, 0);
      tail.write('PAR1', 4, 'latin1');
      parts.push(footer, tail);
      return Buffer.concat(parts);
    },
  };
}

function appendView(out: Bytes, buffer: ArrayBufferLike, offset: number, length: number): void {
  out.ensure(length);
  out.buf.set(new Uint8Array(buffer, offset, length), out.len);
  out.len += length;
}

/** Where buffered value `k` starts in the column's PLAIN bytes. */
function plainOffset(c: Column, k: number): number {
  if (c.width > 0) return k * c.width;
  const fixed = c.byteDict?.width ?? 0;
  if (fixed > 0 || c.type !== 'BYTE_ARRAY') return k * fixed;
  let p = 0;
  for (let i = 0; i < k; i++) p += 4 + c.bytes.readUInt32LE(p);
  return p;
}

/** Adds the `n` PLAIN byte-array values at the start of `bytes` to the bounds. */
function addPlainBounds(bounds: ByteBounds, bytes: Buffer, n: number): void {
  let p = 0;
  for (let i = 0; i < n; i++) {
    const end = p + 4 + bytes.readUInt32LE(p);
    bounds.add(bytes, p + 4, end);
    p = end;
  }
}

/** Adds every dictionary entry: all of them are used by the chunk's pages. */
function addDictionaryBounds(bounds: ByteBounds, dict: ByteDictionary): void {
  for (let i = 0; i < dict.count; i++)
    bounds.add(dict.data, (dict.starts[i] as number) + 4, dict.starts[i + 1] as number);
}

/** The chunk's byte-array min/max, truncated to `limit` bytes, with whether each is exact. */
export function setByteBounds(chunk: ChunkMeta, bounds: ByteBounds, limit: number, utf8: boolean): void {
  if (bounds.min === undefined || bounds.max === undefined) return;
  const max = truncateMax(bounds.max, limit, utf8);
  // A max that cannot be cut short is left out, and the min with it: readers use the pair.
  if (max === undefined) return;
  const min = truncateMin(bounds.min, limit, utf8);
  chunk.min = min.value;
  chunk.max = max.value;
  chunk.minExact = min.exact;
  chunk.maxExact = max.exact;
}

function statBytes(c: Column): { min: Uint8Array; max: Uint8Array } | undefined {
  if (c.min === Infinity || c.max === -Infinity) return undefined;
  const enc = (v: number | bigint, isMin: boolean): Uint8Array => {
    const b = Buffer.alloc(c.type === 'INT32' || c.type === 'FLOAT' ? 4 : 8);
    switch (c.type) {
      case 'INT32':
        b.writeInt32LE(Number(v));
        break;
      case 'INT64':
        b.writeBigInt64LE(BigInt(v));
        break;
      case 'FLOAT':
        b.writeFloatLE(v === 0 ? (isMin ? -0 : 0) : Number(v));
        break;
      default:
        b.writeDoubleLE(v === 0 ? (isMin ? -0 : 0) : Number(v));
    }
    return b;
  };
  return { min: enc(c.min, true), max: enc(c.max, false) };
}
