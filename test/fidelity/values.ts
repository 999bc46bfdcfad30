// Random valid Avro values for any schema (fast-check), with the boundary values of every type mixed in, and
// the three forms the fidelity tests compare them in: tagged JSON for the Python producer, and one canonical
// form that every reader's output is converted to (integers as decimal strings, floating point by its IEEE 754
// bits, bytes as hex, decimals as plain text, union members as Parquet writes them).
import fc from 'fast-check';
import { resolveAvroSchema } from '@adlake/sink';
import type { AvroNode } from '@adlake/sink';

/** A value of a union, with the index of its branch among the union's non-null branches. */
export class Branch {
  readonly index: number;
  readonly value: Model;
  constructor(index: number, value: Model) {
    this.index = index;
    this.value = value;
  }
}

/** A decimal by its unscaled integer. */
export class Decimal {
  readonly unscaled: bigint;
  readonly scale: number;
  constructor(unscaled: bigint, scale: number) {
    this.unscaled = unscaled;
    this.scale = scale;
  }
  text(): string {
    const negative = this.unscaled < 0n;
    const digits = (negative ? -this.unscaled : this.unscaled).toString().padStart(this.scale + 1, '0');
    const whole = digits.slice(0, digits.length - this.scale);
    const fraction = this.scale > 0 ? `.${digits.slice(digits.length - this.scale)}` : '';
    return `${negative ? '-' : ''}${whole}${fraction}`;
  }
}

/** Generated values: longs (and long-based logical types) as bigint, ints as number, decimals and branches tagged. */
export type Model =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | Decimal
  | Branch
  | Model[]
  | { [key: string]: Model };

export type Canonical = null | boolean | string | Canonical[] | { [key: string]: Canonical };

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

const LONG_EDGES: bigint[] = [0n, 1n, -1n, INT64_MIN, INT64_MAX, SAFE, -SAFE, SAFE + 1n, -SAFE - 1n];
for (const k of [31n, 32n, 52n, 53n, 62n]) {
  for (const d of [-1n, 0n, 1n]) LONG_EDGES.push(2n ** k + d, -(2n ** k) + d);
}
const INT_EDGES = [0, 1, -1, 2 ** 31 - 1, -(2 ** 31), 2 ** 30, -(2 ** 30) - 1, 127, 128, -64, -65];
const DOUBLE_EDGES = [
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -0,
  0,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  Number.MIN_VALUE,
  -Number.MIN_VALUE,
  Number.MAX_SAFE_INTEGER,
  2 ** 53 + 2,
  0.1,
  -1e-300,
];
const FLOAT_EDGES = [
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -0,
  0,
  Math.fround(3.4028234663852886e38),
  Math.fround(-3.4028234663852886e38),
  Math.fround(1.401298464324817e-45),
  Math.fround(0.1),
  2 ** 24 + 2,
];
// DuckDB converts TIMESTAMP(MILLIS) to microseconds in an int64, so its range is ±(2^63−1) µs; the
// fidelity tests compare with DuckDB and keep timestamps inside it (the extremes are checked by pyarrow).
const MS_LIMIT = 9_223_372_036_854_775n;
const MS_EDGES = [
  0n,
  -1n,
  SAFE,
  -SAFE,
  SAFE + 1n,
  -SAFE - 1n,
  2n ** 52n + 1n,
  -(2n ** 52n) - 1n,
  -2_208_988_800_001n /* 1899 */,
  4_102_444_800_001n /* 2100 */,
  MS_LIMIT,
  -MS_LIMIT,
];
// ±(2^63−1) µs are DuckDB's ±infinity: stay one inside.
const US_LIMIT = INT64_MAX - 1n;
const US_EDGES = [
  0n,
  -1n,
  SAFE,
  -SAFE - 1n,
  US_LIMIT,
  -US_LIMIT,
  -2_208_988_800_000_001n,
  4_102_444_800_000_001n,
];
const STRING_EDGES = ['', 'é', 'ad tech 広告 🎯', '\u0000', 'x'.repeat(300)];

function pick<T>(edges: readonly T[], rest: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.oneof({ arbitrary: fc.constantFrom(...edges), weight: 1 }, { arbitrary: rest, weight: 2 });
}

const bytes = (minLength: number, maxLength: number): fc.Arbitrary<Model> =>
  fc.uint8Array({ minLength, maxLength }).map((b) => Buffer.from(b));

/** Valid values of an Avro schema, boundary values included. */
export function arbitrary(schema: unknown): fc.Arbitrary<Model> {
  return arb(resolveAvroSchema(schema));
}

function arb(node: AvroNode): fc.Arbitrary<Model> {
  switch (node.kind) {
    case 'primitive': {
      switch (node.logical?.name) {
        case 'timestamp-millis':
        case 'local-timestamp-millis':
          return pick(MS_EDGES, fc.bigInt({ min: -MS_LIMIT, max: MS_LIMIT }));
        case 'timestamp-micros':
        case 'local-timestamp-micros':
          return pick(US_EDGES, fc.bigInt({ min: -US_LIMIT, max: US_LIMIT }));
        case 'date':
          return pick(INT_EDGES, fc.integer());
        case 'time-millis':
          return fc.integer({ min: 0, max: 86_399_999 });
        case 'time-micros':
          return fc.bigInt({ min: 0n, max: 86_399_999_999n });
        case 'uuid':
          return fc.uuid();
        case 'decimal': {
          const { precision, scale } = node.logical;
          const max = 10n ** BigInt(precision) - 1n;
          return pick([0n, max, -max, 1n, -1n], fc.bigInt({ min: -max, max })).map(
            (u) => new Decimal(u, scale),
          );
        }
        default:
          break;
      }
      switch (node.type) {
        case 'null':
          return fc.constant(null);
        case 'boolean':
          return fc.boolean();
        case 'int':
          return pick(INT_EDGES, fc.integer());
        case 'long':
          return pick(LONG_EDGES, fc.bigInt({ min: INT64_MIN, max: INT64_MAX }));
        case 'float':
          return pick(FLOAT_EDGES, fc.float());
        case 'double':
          return pick(DOUBLE_EDGES, fc.double());
        case 'string':
          return pick(STRING_EDGES, fc.string({ unit: 'grapheme', maxLength: 20 }));
        case 'bytes':
          return bytes(0, 24);
      }
      throw new Error(`no arbitrary for ${node.type}`);
    }
    case 'fixed':
      if (node.logical?.name === 'decimal') {
        return arb({ kind: 'primitive', type: 'bytes', logical: node.logical });
      }
      return bytes(node.size, node.size);
    case 'enum':
      return fc.constantFrom(...node.symbols);
    case 'array':
      return fc.array(arb(node.items), { maxLength: 4 });
    case 'map':
      return fc.dictionary(fc.string({ unit: 'grapheme', maxLength: 8 }), arb(node.values), { maxKeys: 3 });
    case 'record': {
      const fields: Record<string, fc.Arbitrary<Model>> = {};
      for (const f of node.fields) fields[f.name] = arb(f.type);
      return fc.record(fields) as fc.Arbitrary<Model>;
    }
    case 'union': {
      const nonNull = node.branches.filter((b) => !(b.kind === 'primitive' && b.type === 'null'));
      const options: fc.Arbitrary<Model>[] = nonNull.map((b, i) => arb(b).map((v) => new Branch(i, v)));
      if (nonNull.length < node.branches.length) options.unshift(fc.constant(null));
      return fc.oneof(...options);
    }
  }
}

function doubleBits(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  const b = Buffer.alloc(8);
  b.writeDoubleBE(v);
  return b.toString('hex');
}

/** The canonical form of a generated value, as the sink must store it. */
export function canonical(schema: unknown, value: Model): Canonical {
  return canon(resolveAvroSchema(schema), value);
}

function canon(node: AvroNode, v: Model): Canonical {
  if (v === null) return null;
  switch (node.kind) {
    case 'primitive':
    case 'fixed':
      if (v instanceof Decimal) return v.text();
      if (typeof v === 'bigint') return v.toString();
      if (typeof v === 'number') {
        return node.kind === 'primitive' && (node.type === 'float' || node.type === 'double')
          ? doubleBits(v)
          : String(v);
      }
      if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
      return v as boolean | string;
    case 'enum':
      return v as string;
    case 'array':
      return (v as Model[]).map((item) => canon(node.items, item));
    case 'map':
      return Object.fromEntries(
        Object.entries(v as Record<string, Model>).map(([k, x]) => [k, canon(node.values, x)]),
      );
    case 'record':
      return Object.fromEntries(
        node.fields.map((f) => [f.name, canon(f.type, (v as Record<string, Model>)[f.name] ?? null)]),
      );
    case 'union': {
      const nonNull = node.branches.filter((b) => !(b.kind === 'primitive' && b.type === 'null'));
      const branch = v as Branch;
      const inner = canon(nonNull[branch.index] as AvroNode, branch.value);
      if (nonNull.length === 1) return inner;
      return Object.fromEntries(nonNull.map((_, i) => [`member${i}`, i === branch.index ? inner : null]));
    }
  }
}

/** Tagged JSON for test/python/produce.py (see its docstring). */
export function toPython(value: Model): unknown {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'bigint') return { $i: value.toString() };
  if (typeof value === 'number')
    return Number.isInteger(value) && !Object.is(value, -0) ? { $i: String(value) } : floatTag(value);
  if (value instanceof Decimal) return { $d: value.text() };
  if (value instanceof Uint8Array) return { $b: Buffer.from(value).toString('hex') };
  if (value instanceof Branch) return toPython(value.value);
  if (Array.isArray(value)) return value.map(toPython);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toPython(v)]));
}

function floatTag(v: number): unknown {
  const b = Buffer.alloc(8);
  b.writeDoubleBE(v);
  return { $f: b.toString('hex') };
}

/**
 * Tagged JSON where the schema says which numbers are floating point (an integral double such as 2.0 must
 * reach Python as a float, not an int).
 */
export function toPythonTyped(schema: unknown, value: Model): unknown {
  return typed(resolveAvroSchema(schema), value);
}

function typed(node: AvroNode, v: Model): unknown {
  if (v === null) return null;
  switch (node.kind) {
    case 'primitive':
      if ((node.type === 'float' || node.type === 'double') && typeof v === 'number') return floatTag(v);
      return toPython(v);
    case 'array':
      return (v as Model[]).map((x) => typed(node.items, x));
    case 'map':
      return Object.fromEntries(
        Object.entries(v as Record<string, Model>).map(([k, x]) => [k, typed(node.values, x)]),
      );
    case 'record':
      return Object.fromEntries(
        node.fields.map((f) => [f.name, typed(f.type, (v as Record<string, Model>)[f.name] ?? null)]),
      );
    case 'union': {
      const nonNull = node.branches.filter((b) => !(b.kind === 'primitive' && b.type === 'null'));
      const branch = v as Branch;
      return typed(nonNull[branch.index] as AvroNode, branch.value);
    }
    default:
      return toPython(v);
  }
}

/** A DuckDB expression that turns column expression `x` into the canonical form (floats left as numbers). */
export function duckdbExpression(node: AvroNode, x: string): string {
  switch (node.kind) {
    case 'primitive':
      switch (node.logical?.name) {
        case 'timestamp-millis':
        case 'local-timestamp-millis':
          return `CAST(epoch_ms(${x}) AS VARCHAR)`;
        case 'timestamp-micros':
        case 'local-timestamp-micros':
          return `CAST(epoch_us(${x}) AS VARCHAR)`;
        case 'date':
          return `CAST(${x} - DATE '1970-01-01' AS VARCHAR)`;
        case 'time-millis':
          return `CAST(epoch_us(${x}) // 1000 AS VARCHAR)`;
        case 'time-micros':
          return `CAST(epoch_us(${x}) AS VARCHAR)`;
        case 'decimal':
          return `CAST(${x} AS VARCHAR)`;
        default:
          break;
      }
      switch (node.type) {
        case 'int':
        case 'long':
          return `CAST(${x} AS VARCHAR)`;
        case 'bytes':
          return `lower(hex(${x}))`;
        default:
          return x;
      }
    case 'fixed':
      return node.logical?.name === 'decimal' ? `CAST(${x} AS VARCHAR)` : `lower(hex(${x}))`;
    case 'enum':
      return x;
    case 'array':
      return `list_transform(${x}, e${depth(x)} -> ${duckdbExpression(node.items, `e${depth(x)}`)})`;
    case 'map': {
      const e = `m${depth(x)}`;
      return `list_transform(map_entries(${x}), ${e} -> struct_pack(k := ${e}.key, v := ${duckdbExpression(node.values, `${e}.value`)}))`;
    }
    case 'record':
      return nullable(
        x,
        `struct_pack(${node.fields.map((f) => `"${f.name}" := ${duckdbExpression(f.type, `${x}."${f.name}"`)}`).join(', ')})`,
      );
    case 'union': {
      const nonNull = node.branches.filter((b) => !(b.kind === 'primitive' && b.type === 'null'));
      if (nonNull.length === 1) return duckdbExpression(nonNull[0] as AvroNode, x);
      return nullable(
        x,
        `struct_pack(${nonNull.map((b, i) => `member${i} := ${duckdbExpression(b, `${x}.member${i}`)}`).join(', ')})`,
      );
    }
  }
}

/** struct_pack of a NULL struct's fields is a struct of NULLs: keep NULL as NULL. */
function nullable(x: string, expression: string): string {
  return `CASE WHEN ${x} IS NULL THEN NULL ELSE ${expression} END`;
}

function depth(x: string): number {
  return x.length;
}

/** Finishes DuckDB's output of duckdbExpression: floats by their bits, map entry lists as objects. */
export function fromDuckdb(node: AvroNode, v: unknown): Canonical {
  if (v === null || v === undefined) return null;
  switch (node.kind) {
    case 'primitive':
      if (node.type === 'float' || node.type === 'double') {
        return doubleBits(typeof v === 'number' ? v : Number(v));
      }
      return v as Canonical;
    case 'array':
      return (v as unknown[]).map((x) => fromDuckdb(node.items, x));
    case 'map':
      return Object.fromEntries(
        (v as { k: string; v: unknown }[]).map((e) => [e.k, fromDuckdb(node.values, e.v)]),
      );
    case 'record':
      return Object.fromEntries(
        node.fields.map((f) => [f.name, fromDuckdb(f.type, (v as Record<string, unknown>)[f.name])]),
      );
    case 'union': {
      const nonNull = node.branches.filter((b) => !(b.kind === 'primitive' && b.type === 'null'));
      if (nonNull.length === 1) return fromDuckdb(nonNull[0] as AvroNode, v);
      return Object.fromEntries(
        nonNull.map((b, i) => [`member${i}`, fromDuckdb(b, (v as Record<string, unknown>)[`member${i}`])]),
      );
    }
    default:
      return v as Canonical;
  }
}
