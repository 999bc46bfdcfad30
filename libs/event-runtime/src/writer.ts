// Checked writers: one function per Avro type, compiled once with `new Function`, that checks a value and
// writes its Avro binary in the same pass, instead of avsc's `isValid` walk followed by a second `encode` walk.
// A writer accepts only values avsc's `isValid` accepts, and writes exactly the bytes avsc would. It may refuse
// a value avsc would accept (an enum symbol given as an object whose toString is the symbol, a union value
// that fits two branches): callers then run the path-reporting validator and avsc, so the decision and the
// error messages stay theirs. A type the compiler does not know (a custom logical or long type) gets no writer.
import avro from 'avsc';
import type { Type } from 'avsc';
import { LOGICAL_TYPES } from './logical.ts';
import { BIGINT_LONG, isInt64, LOSSLESS_LONG, SAFE_LONG, writeLongAt } from './longs.ts';

/**
 * Writes `value` at `pos` and returns the position after it, or -1 when the value is refused (nothing past
 * `pos` is then meaningful). A result beyond `buf.length` means the value did not fit: the bytes past the end
 * were dropped, and the caller writes it again into a buffer of at least `result - pos` bytes from `pos`.
 */
export type CheckedWriter = (value: unknown, buf: Buffer, pos: number) => number;

interface Internals {
  typeName: string;
  name?: string;
  fields?: readonly { name: string; type: Type; defaultValue(): unknown }[];
  types?: readonly Type[];
  itemsType?: Type;
  valuesType?: Type;
  symbols?: readonly string[];
  size?: number;
  underlyingType?: Type;
  _check: unknown;
  _write: unknown;
}

const { types } = avro;
type Proto = { _check: unknown; _write: unknown };
const proto = (ctor: unknown): Proto => (ctor as { prototype: Proto }).prototype;

/** The avsc types whose check and write the compiler reproduces, when a subclass overrides neither. */
const PRIMITIVES: Record<string, Proto> = {
  null: proto(types.NullType),
  boolean: proto(types.BooleanType),
  int: proto(types.IntType),
  float: proto(types.FloatType),
  double: proto(types.DoubleType),
  string: proto(types.StringType),
  bytes: proto(types.BytesType),
  fixed: proto(types.FixedType),
  enum: proto(types.EnumType),
  array: proto(types.ArrayType),
  map: proto(types.MapType),
  'union:unwrapped': proto(types.UnwrappedUnionType),
  'union:wrapped': proto(types.WrappedUnionType),
};
const LOGICAL = proto(types.LogicalType);

class Unsupported extends Error {}

/** avsc's bucket of a branch type in an unwrapped union (getTypeBucket); logical branches have none. */
function bucketOf(typeName: string): string {
  switch (typeName) {
    case 'double':
    case 'float':
    case 'int':
    case 'long':
      return 'number';
    case 'bytes':
    case 'fixed':
      return 'buffer';
    case 'enum':
      return 'string';
    case 'map':
    case 'error':
    case 'record':
      return 'object';
    default:
      return typeName;
  }
}

/** The test that a value falls in a bucket, as avsc's getValueBucket sorts values. */
const BUCKET_GUARDS: Record<string, (x: string) => string> = {
  number: (x) => `typeof ${x} === 'number'`,
  string: (x) => `typeof ${x} === 'string'`,
  boolean: (x) => `typeof ${x} === 'boolean'`,
  array: (x) => `isArray(${x})`,
  buffer: (x) => `isBuffer(${x})`,
  object: (x) => `typeof ${x} === 'object' && ${x} !== null && !isArray(${x}) && !isBuffer(${x})`,
};

/**
 * The buckets whose values a logical or abstract branch may accept: ours accept only strings (uuid, decimal)
 * or Dates; anything else is assumed to accept every bucket, so its own check always runs.
 */
function dynamicBuckets(type: Type): readonly string[] {
  if (type instanceof LOGICAL_TYPES['uuid'] || type instanceof LOGICAL_TYPES['decimal']) return ['string'];
  if (type instanceof LOGICAL_TYPES['timestamp-millis'] || type instanceof LOGICAL_TYPES['date'])
    return ['object'];
  return ['null', 'number', 'string', 'boolean', 'array', 'buffer', 'object'];
}

// Helpers the compiled code calls. Each returns the position after what it wrote; writes past the end of the
// buffer are dropped (typed arrays ignore them, the others are guarded) and only the position advances.

/**
 * avsc's Tap.writeString, byte for byte. The ASCII case is kept small so that it is inlined into the compiled
 * writers; anything else goes to writeUtf8.
 */
function writeString(b: Buffer, p: number, s: string): number {
  const n = s.length;
  if (n < 64) {
    // The length is the character count, one varint byte; any non-ASCII character sets a bit above 0x7f.
    b[p] = n << 1;
    let seen = 0;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      seen |= c;
      b[p + 1 + i] = c;
    }
    if (seen < 0x80) return p + 1 + n;
  }
  return writeUtf8(b, p, s);
}

/** avsc's Tap.writeString for any string (it writes a lone surrogate as 3 bytes of its own code point). */
function writeUtf8(b: Buffer, p: number, s: string): number {
  const n = s.length;
  const len = Buffer.byteLength(s);
  p = writeLongAt(b, p, len);
  if (p + len > b.length) return p + len;
  if (len > 64) {
    b.write(s, p, len, 'utf8');
    return p + len;
  }
  for (let i = 0; i < n; i++) {
    let c1 = s.charCodeAt(i);
    let c2: number;
    if (c1 < 0x80) {
      b[p++] = c1;
    } else if (c1 < 0x800) {
      b[p++] = (c1 >> 6) | 0xc0;
      b[p++] = (c1 & 0x3f) | 0x80;
    } else if ((c1 & 0xfc00) === 0xd800 && ((c2 = s.charCodeAt(i + 1)) & 0xfc00) === 0xdc00) {
      c1 = 0x10000 + ((c1 & 0x03ff) << 10) + (c2 & 0x03ff);
      i++;
      b[p++] = (c1 >> 18) | 0xf0;
      b[p++] = ((c1 >> 12) & 0x3f) | 0x80;
      b[p++] = ((c1 >> 6) & 0x3f) | 0x80;
      b[p++] = (c1 & 0x3f) | 0x80;
    } else {
      b[p++] = (c1 >> 12) | 0xe0;
      b[p++] = ((c1 >> 6) & 0x3f) | 0x80;
      b[p++] = (c1 & 0x3f) | 0x80;
    }
  }
  return p;
}

/** 1 for the characters of a hex digit, by UTF-16 code unit. */
const HEX = new Uint8Array(65536);
for (const c of '0123456789abcdefABCDEF') HEX[c.charCodeAt(0)] = 1;

function hexRun(b: Buffer, p: number, s: string, from: number, to: number): number {
  let ok = 1;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    ok &= HEX[c] as number;
    b[p + i] = c;
  }
  return ok;
}

/** The uuid logical type's check (8-4-4-4-12 hex digits) and its string's bytes, in one pass; -1 if not a uuid. */
function writeUuid(b: Buffer, p: number, s: unknown): number {
  if (typeof s !== 'string' || s.length !== 36) return -1;
  if (
    s.charCodeAt(8) !== 0x2d ||
    s.charCodeAt(13) !== 0x2d ||
    s.charCodeAt(18) !== 0x2d ||
    s.charCodeAt(23) !== 0x2d
  )
    return -1;
  b[p++] = 72; // zigzag(36)
  const ok =
    hexRun(b, p, s, 0, 8) &
    hexRun(b, p, s, 9, 13) &
    hexRun(b, p, s, 14, 18) &
    hexRun(b, p, s, 19, 23) &
    hexRun(b, p, s, 24, 36);
  b[p + 8] = 0x2d;
  b[p + 13] = 0x2d;
  b[p + 18] = 0x2d;
  b[p + 23] = 0x2d;
  return ok === 1 ? p + 36 : -1;
}

function writeInt(b: Buffer, p: number, n: number): number {
  let z = ((n << 1) ^ (n >> 31)) >>> 0;
  while (z > 0x7f) {
    b[p++] = (z & 0x7f) | 0x80;
    z >>>= 7;
  }
  b[p++] = z;
  return p;
}

/**
 * A safe integer as a zigzag varint (the bytes of writeLongAt): 32-bit arithmetic below ±2^30, else the
 * magnitude split into 27 low bits and the rest, both exact, instead of a division per byte.
 */
function writeSafeLong(b: Buffer, p: number, n: number): number {
  if (n >= -0x40000000 && n < 0x40000000) return writeInt(b, p, n);
  const negative = n < 0;
  const m = negative ? -n - 1 : n;
  const low = m % 0x8000000;
  let lo = (low * 2 + (negative ? 1 : 0)) | 0; // 28 bits
  let hi = (m - low) / 0x8000000; // below 2^26
  b[p++] = (lo & 0x7f) | 0x80;
  lo >>>= 7;
  b[p++] = (lo & 0x7f) | 0x80;
  lo >>>= 7;
  b[p++] = (lo & 0x7f) | 0x80;
  lo >>>= 7;
  // hi > 0 here: m >= 2^30 - 1 > 2^27
  b[p++] = lo | 0x80;
  while (hi > 0x7f) {
    b[p++] = (hi & 0x7f) | 0x80;
    hi >>>= 7;
  }
  b[p++] = hi;
  return p;
}

// Floats go through one shared typed array instead of Buffer#writeDoubleLE's per-call checks; its bytes are
// in the machine's order, so a big-endian machine reverses them.
const F64 = new Float64Array(1);
const F64_BYTES = new Uint8Array(F64.buffer);
const F32 = new Float32Array(1);
const F32_BYTES = new Uint8Array(F32.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function writeFloat(b: Buffer, p: number, x: number): number {
  if (!LITTLE_ENDIAN) {
    if (p + 4 <= b.length) b.writeFloatLE(x, p);
    return p + 4;
  }
  F32[0] = x;
  b[p] = F32_BYTES[0] as number;
  b[p + 1] = F32_BYTES[1] as number;
  b[p + 2] = F32_BYTES[2] as number;
  b[p + 3] = F32_BYTES[3] as number;
  return p + 4;
}

function writeDouble(b: Buffer, p: number, x: number): number {
  if (!LITTLE_ENDIAN) {
    if (p + 8 <= b.length) b.writeDoubleLE(x, p);
    return p + 8;
  }
  F64[0] = x;
  b[p] = F64_BYTES[0] as number;
  b[p + 1] = F64_BYTES[1] as number;
  b[p + 2] = F64_BYTES[2] as number;
  b[p + 3] = F64_BYTES[3] as number;
  b[p + 4] = F64_BYTES[4] as number;
  b[p + 5] = F64_BYTES[5] as number;
  b[p + 6] = F64_BYTES[6] as number;
  b[p + 7] = F64_BYTES[7] as number;
  return p + 8;
}

function writeFixed(b: Buffer, p: number, x: Uint8Array): number {
  const n = x.length;
  if (p + n <= b.length) b.set(x, p);
  return p + n;
}

function writeBytes(b: Buffer, p: number, x: Uint8Array): number {
  return writeFixed(b, writeLongAt(b, p, x.length), x);
}

const MAX_DATE_MS = 8.64e15;
const DAY_MS = 86_400_000;

const HELPERS = {
  writeString,
  writeUuid,
  writeInt,
  writeLong: writeLongAt,
  writeSafeLong,
  writeFloat,
  writeDouble,
  writeFixed,
  writeBytes,
  isInt64,
  isBuffer: Buffer.isBuffer,
  isArray: Array.isArray,
  MAX_DATE_MS,
  DAY_MS,
};

class Compiler {
  readonly #names: string[] = Object.keys(HELPERS);
  readonly #values: unknown[] = Object.values(HELPERS);
  readonly #records = new Map<Type, string>();
  readonly #functions: string[] = [];
  #locals = 0;

  compile(root: Type): CheckedWriter {
    const body = `return function writeRoot(v, b, p) {\n${this.#emit(root, 'v')}  return p;\n};`;
    const source = `${this.#functions.join('\n')}\n${body}`;
    const factory = new Function(...this.#names, source) as (...args: unknown[]) => CheckedWriter;
    return factory(...this.#values);
  }

  #constant(value: unknown): string {
    const name = `k${this.#names.length}`;
    this.#names.push(name);
    this.#values.push(value);
    return name;
  }

  #local(): string {
    return `x${this.#locals++}`;
  }

  /** Statements that check the value in local `x` against `type` and write it at `p`, or `return -1`. */
  #emit(type: Type, x: string): string {
    const t = type as unknown as Internals;
    if (type === SAFE_LONG)
      return `  if (!Number.isSafeInteger(${x})) return -1;\n  p = writeSafeLong(b, p, ${x});\n`;
    if (type === LOSSLESS_LONG) {
      return (
        `  if (Number.isSafeInteger(${x})) p = writeSafeLong(b, p, ${x});\n` +
        `  else if (isInt64(${x})) p = writeLong(b, p, ${x});\n  else return -1;\n`
      );
    }
    if (type === BIGINT_LONG) return `  if (!isInt64(${x})) return -1;\n  p = writeLong(b, p, ${x});\n`;
    if (t.typeName === 'record' || t.typeName === 'error') {
      if (!(type instanceof types.RecordType)) throw new Unsupported(t.typeName);
      return `  p = ${this.#record(type)}(${x}, b, p);\n  if (p < 0) return -1;\n`;
    }
    if (t.typeName.startsWith('logical:')) return this.#logical(type, x);
    const base = PRIMITIVES[t.typeName];
    if (base === undefined || t._check !== base._check || t._write !== base._write) {
      throw new Unsupported(t.typeName);
    }
    switch (t.typeName) {
      case 'null':
        return `  if (${x} !== null) return -1;\n`;
      case 'boolean':
        return `  if (typeof ${x} !== 'boolean') return -1;\n  b[p++] = ${x} ? 1 : 0;\n`;
      case 'int':
        // avsc's test is `x === (x | 0)`, which throws for a bigint: the typeof keeps the writer from throwing.
        return `  if (typeof ${x} !== 'number' || ${x} !== (${x} | 0)) return -1;\n  p = writeInt(b, p, ${x});\n`;
      case 'float':
        return `  if (typeof ${x} !== 'number') return -1;\n  p = writeFloat(b, p, ${x});\n`;
      case 'double':
        return `  if (typeof ${x} !== 'number') return -1;\n  p = writeDouble(b, p, ${x});\n`;
      case 'string':
        return `  if (typeof ${x} !== 'string') return -1;\n  p = writeString(b, p, ${x});\n`;
      case 'bytes':
        return `  if (!isBuffer(${x})) return -1;\n  p = writeBytes(b, p, ${x});\n`;
      case 'fixed':
        return `  if (!isBuffer(${x}) || ${x}.length !== ${t.size ?? -1}) return -1;\n  p = writeFixed(b, p, ${x});\n`;
      case 'enum': {
        // Own symbols only: avsc's index lookup also finds Object.prototype's names ("toString"), which it
        // cannot write; such values take the caller's slow path.
        const indices = this.#constant(new Map((t.symbols ?? []).map((s, i) => [s, i])));
        const i = this.#local();
        return `  const ${i} = typeof ${x} === 'string' ? ${indices}.get(${x}) : undefined;\n  if (${i} === undefined) return -1;\n  p = writeInt(b, p, ${i});\n`;
      }
      case 'array': {
        const [n, i, item] = [this.#local(), this.#local(), this.#local()];
        return (
          `  if (!isArray(${x})) return -1;\n  const ${n} = ${x}.length;\n` +
          `  if (${n} > 0) {\n  p = writeLong(b, p, ${n});\n` +
          `  for (let ${i} = 0; ${i} < ${n}; ${i}++) {\n  const ${item} = ${x}[${i}];\n${this.#emit(t.itemsType as Type, item)}  }\n  }\n` +
          `  b[p++] = 0;\n`
        );
      }
      case 'map': {
        const [keys, n, i, key, value] = [
          this.#local(),
          this.#local(),
          this.#local(),
          this.#local(),
          this.#local(),
        ];
        return (
          `  if (!${x} || typeof ${x} !== 'object' || isArray(${x})) return -1;\n` +
          `  const ${keys} = Object.keys(${x});\n  const ${n} = ${keys}.length;\n` +
          `  if (${n} > 0) {\n  p = writeLong(b, p, ${n});\n` +
          `  for (let ${i} = 0; ${i} < ${n}; ${i}++) {\n  const ${key} = ${keys}[${i}];\n  p = writeString(b, p, ${key});\n` +
          `  const ${value} = ${x}[${key}];\n${this.#emit(t.valuesType as Type, value)}  }\n  }\n` +
          `  b[p++] = 0;\n`
        );
      }
      case 'union:unwrapped':
        return this.#unwrapped(t.types ?? [], x);
      case 'union:wrapped':
        return this.#wrapped(t.types ?? [], x);
      default:
        throw new Unsupported(t.typeName);
    }
  }

  #record(type: Type): string {
    const known = this.#records.get(type);
    if (known !== undefined) return known;
    const name = `record${this.#records.size}`;
    this.#records.set(type, name); // before the fields: a recursive type refers to itself
    const t = type as unknown as Internals;
    let body = `function ${name}(v, b, p) {\n  if (v === null || typeof v !== 'object') return -1;\n`;
    for (const field of t.fields ?? []) {
      const x = this.#local();
      body += `  const ${x} = v[${JSON.stringify(field.name)}];\n`;
      const fallback = field.defaultValue();
      if (fallback === undefined) {
        body += this.#emit(field.type, x);
      } else {
        // avsc writes an omitted field's default; its bytes are computed once here, by avsc.
        const bytes = field.type.toBuffer(fallback);
        const write =
          bytes.length <= 8
            ? `${[...bytes].map((byte) => `  b[p++] = ${byte};\n`).join('')}`
            : `  p = writeFixed(b, p, ${this.#constant(bytes)});\n`;
        body += `  if (${x} === undefined) {\n${write}  } else {\n${this.#emit(field.type, x)}  }\n`;
      }
    }
    this.#functions.push(`${body}  return p;\n}`);
    return name;
  }

  #logical(type: Type, x: string): string {
    const t = type as unknown as Internals;
    if (t._check !== LOGICAL._check || t._write !== LOGICAL._write || t.underlyingType === undefined) {
      throw new Unsupported(t.typeName);
    }
    const underlying = t.underlyingType;
    if (type instanceof LOGICAL_TYPES['uuid']) {
      if (!this.#isPlain(underlying, 'string')) throw new Unsupported(t.typeName);
      return `  p = writeUuid(b, p, ${x});\n  if (p < 0) return -1;\n`;
    }
    const ms = this.#local();
    if (type instanceof LOGICAL_TYPES['timestamp-millis']) {
      return (
        `  if (!(${x} instanceof Date)) return -1;\n  const ${ms} = ${x}.getTime();\n` +
        this.#emit(underlying, ms)
      );
    }
    if (type instanceof LOGICAL_TYPES['date']) {
      const days = this.#local();
      return (
        `  if (!(${x} instanceof Date)) return -1;\n  const ${ms} = ${x}.getTime();\n` +
        `  if (!Number.isFinite(${ms}) || Math.abs(${ms}) > MAX_DATE_MS || ${ms} % DAY_MS !== 0) return -1;\n` +
        `  const ${days} = ${ms} / DAY_MS;\n${this.#emit(underlying, days)}`
      );
    }
    // Any other logical type: its own conversion, as avsc's LogicalType check and write call it.
    const logical = this.#constant(type);
    const u = this.#local();
    return (
      `  let ${u};\n  try {\n  ${u} = ${logical}._toValue(${x});\n  } catch {\n  return -1;\n  }\n` +
      `  if (${u} === undefined) return -1;\n${this.#emit(underlying, u)}`
    );
  }

  #isPlain(type: Type, typeName: string): boolean {
    const t = type as unknown as Internals;
    const base = PRIMITIVES[typeName];
    return (
      t.typeName === typeName && base !== undefined && t._check === base._check && t._write === base._write
    );
  }

  /**
   * avsc's UnwrappedUnionType: the branch of the value's bucket (getValueBucket), unless a logical or abstract
   * branch also accepts the value, which avsc refuses as an "ambiguous conversion" (left to the slow path).
   */
  #unwrapped(branches: readonly Type[], x: string): string {
    const dynamic: number[] = [];
    const guards: string[] = [];
    let nullIndex = -1;
    branches.forEach((branch, i) => {
      const name = (branch as unknown as Internals).typeName;
      if (name.startsWith('logical:') || name.startsWith('abstract:')) dynamic.push(i);
      else if (name === 'null') nullIndex = i;
      else guards[i] = BUCKET_GUARDS[bucketOf(name)]?.(x) ?? 'false';
    });
    // The index is written as one byte: avsc's unions are far below 64 branches.
    if (branches.length > 63) throw new Unsupported('union of 64 branches or more');
    const ambiguity = (bucket: string): string =>
      dynamic
        .filter((i) => dynamicBuckets(branches[i] as Type).includes(bucket))
        .map((i) => `  if (${this.#constant(branches[i])}._check(${x})) return -1;\n`)
        .join('');
    const cases: string[] = [];
    if (nullIndex >= 0)
      cases.push(`if (${x} === null) {\n${ambiguity('null')}  b[p++] = ${2 * nullIndex};\n  }`);
    branches.forEach((branch, i) => {
      const guard = guards[i];
      if (guard === undefined) return;
      const bucket = bucketOf((branch as unknown as Internals).typeName);
      cases.push(`if (${guard}) {\n${ambiguity(bucket)}  b[p++] = ${2 * i};\n${this.#emit(branch, x)}  }`);
    });
    let code = cases.length === 0 ? '  if (false) {\n  }' : `  ${cases.join(' else ')}`;
    const [only] = dynamic;
    if (dynamic.length === 0 || only === undefined) {
      code += ' else {\n  return -1;\n  }\n';
    } else if (dynamic.length === 1) {
      // No other branch takes the value's bucket: the one logical branch is tried by writing it; if it
      // refuses the value, so does avsc.
      code += ` else {\n  b[p++] = ${2 * only};\n${this.#emit(branches[only] as Type, x)}  }\n`;
    } else {
      const index = this.#local();
      code += ` else {\n  let ${index} = -1;\n`;
      for (const i of dynamic) {
        code += `  if (${this.#constant(branches[i])}._check(${x})) {\n  if (${index} !== -1) return -1;\n  ${index} = ${i};\n  }\n`;
      }
      code += `  switch (${index}) {\n`;
      for (const i of dynamic) {
        code += `  case ${i}: {\n  b[p++] = ${2 * i};\n${this.#emit(branches[i] as Type, x)}  break;\n  }\n`;
      }
      code += '  default:\n  return -1;\n  }\n  }\n';
    }
    return code;
  }

  /** avsc's WrappedUnionType: null, or an object with exactly one key naming a branch. */
  #wrapped(branches: readonly Type[], x: string): string {
    const names = branches.map((branch) => (branch as unknown as { branchName: string }).branchName);
    const nullIndex = names.indexOf('null');
    const keys = this.#local();
    let code = `  if (${x} === null) {\n`;
    code += nullIndex < 0 ? `  return -1;\n` : `  p = writeInt(b, p, ${nullIndex});\n`;
    code += `  } else {\n  if (typeof ${x} !== 'object') return -1;\n  const ${keys} = Object.keys(${x});\n  if (${keys}.length !== 1) return -1;\n  switch (${keys}[0]) {\n`;
    branches.forEach((branch, i) => {
      if (names[i] === 'null') return;
      const value = this.#local();
      code += `  case ${JSON.stringify(names[i])}: {\n  p = writeInt(b, p, ${i});\n  const ${value} = ${x}[${JSON.stringify(names[i])}];\n${this.#emit(branch, value)}  break;\n  }\n`;
    });
    return `${code}  default:\n  return -1;\n  }\n  }\n`;
  }
}

const compiled = new WeakMap<Type, CheckedWriter | null>();

/**
 * The checked writer of a type, compiled on first use and cached; undefined when the type holds something
 * the compiler does not reproduce exactly, so the caller keeps avsc's path for it.
 */
export function checkedWriter(type: Type): CheckedWriter | undefined {
  let writer = compiled.get(type);
  if (writer === undefined) {
    try {
      writer = new Compiler().compile(type);
    } catch (error) {
      if (!(error instanceof Unsupported)) throw error;
      writer = null;
    }
    compiled.set(type, writer);
  }
  return writer ?? undefined;
}
