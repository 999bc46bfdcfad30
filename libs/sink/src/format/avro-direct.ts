// Reads Avro binary bodies straight into the Parquet writer's columns when a record was written with the
// reader's own schema: one walk checks a body (and reads its partition timestamp), a second stores it, with
// no value objects in between. It stores exactly what decoding the body to lossless values and appending
// them stores; whatever it cannot vouch for the same way (a malformed or truncated body, a non-ASCII or
// numeric map key, which JavaScript objects treat specially) it declines, and the caller takes the row path
// for that record. Schemas it does not cover (several non-null branches in a union, a field named
// `__proto__`, a timestamp path through a union) get no direct reader at all.
import type { LeafAppender } from '@adlake/parquet';
import { resolveAvroSchema } from './avro.ts';
import type { AvroNode } from './avro.ts';
import type { Lineage } from './record-writer.ts';

/** Where a walk stands in a body; `time` is the partition timestamp field's value a check found. */
interface Cursor {
  buf: Buffer;
  pos: number;
  end: number;
  time: unknown;
}

type Check = (c: Cursor) => void;

interface Compiled {
  check: Check;
  /** How many leaf columns the node fills. */
  leaves: number;
}

/** Thrown by a walk that cannot vouch for a body; preallocated, it carries no stack worth building. */
const DECLINE = new Error('declined: the row path reads this record');

/** A schema the direct reader does not cover. */
class Unsupported extends Error {}

const TWO_26 = 67_108_864;
const TWO_27 = 134_217_728;

/**
 * A zigzag varint exactly as the event runtime's lossless long reads it: a number when safe, a bigint
 * beyond. Declines what that reader refuses (more than 10 bytes or 64 bits).
 */
function readLong(c: Cursor): number | bigint {
  const buf = c.buf;
  let pos = c.pos;
  let b = buf[pos++] ?? 0;
  let lo = b & 0x7f;
  if (b < 0x80) {
    c.pos = pos;
    return (lo >>> 1) ^ -(lo & 1);
  }
  let shift = 7;
  while (shift < 28) {
    b = buf[pos++] ?? 0;
    lo |= (b & 0x7f) << shift;
    shift += 7;
    if (b < 0x80) {
      c.pos = pos;
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
    if (bytes > 10 && b >= 0x80) throw DECLINE;
  } while (b >= 0x80);
  c.pos = pos;
  const negative = (lo & 1) === 1;
  if (hi < TWO_26) {
    const m = hi * TWO_27 + (lo >>> 1);
    if (!negative) return m;
    if (m < Number.MAX_SAFE_INTEGER) return -m - 1;
  }
  if (hi >= 2 ** 37) throw DECLINE;
  const m = (BigInt(hi) << 27n) | BigInt(lo >>> 1);
  return negative ? -m - 1n : m;
}

/** A varint that must be a 32-bit int (an Avro int, a union index, an enum index). */
function readInt(c: Cursor): number {
  const buf = c.buf;
  let pos = c.pos;
  let u = 0;
  let shift = 0;
  for (;;) {
    const b = buf[pos++];
    if (b === undefined) throw DECLINE;
    if (shift === 28) {
      // The fifth byte holds the top four bits; anything more is not an int.
      if (b > 0x0f) throw DECLINE;
      u = (u | (b << 28)) >>> 0;
      break;
    }
    u |= (b & 0x7f) << shift;
    if (b < 0x80) break;
    shift += 7;
  }
  c.pos = pos;
  return (u >>> 1) ^ -(u & 1);
}

/** A length or block count: a non-negative safe integer that fits what is left of the body. */
function readLength(c: Cursor): number {
  const n = readLong(c);
  if (typeof n !== 'number' || n < 0 || n > c.end - c.pos) throw DECLINE;
  return n;
}

/**
 * The item count of the next array or map block (0 at the end), skipping the byte size a negative count
 * announces. Every item takes at least one byte (the mapping refuses zero-size types), so a count beyond
 * what is left of the body is malformed.
 */
function readBlock(c: Cursor): number {
  let n = readLong(c);
  if (typeof n !== 'number') throw DECLINE;
  if (n < 0) {
    n = -n;
    readLong(c);
  }
  if (n > c.end - c.pos) throw DECLINE;
  return n;
}

function isAscii(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if ((buf[i] as number) >= 0x80) return false;
  return true;
}

/** The node a union of one non-null branch stands for, and the branch index of null (-1 without one). */
function nullable(node: Extract<AvroNode, { kind: 'union' }>): { inner: AvroNode; nullIndex: number } {
  const nonNull = node.branches.filter((b) => !(b.kind === 'primitive' && b.type === 'null'));
  if (nonNull.length !== 1) throw new Unsupported('a union of several non-null branches');
  return {
    inner: nonNull[0] as AvroNode,
    nullIndex: node.branches.findIndex((b) => b.kind === 'primitive' && b.type === 'null'),
  };
}

/** The check of a node: it advances over a value and declines what the row path might read differently. */
function compile(node: AvroNode): Compiled {
  if (node.kind !== 'union') return compileInner(node);
  const { inner, nullIndex } = nullable(node);
  const branches = node.branches.length;
  const present = compileInner(inner);
  return {
    leaves: present.leaves,
    check: (c) => {
      const index = readInt(c);
      if (index < 0 || index >= branches) throw DECLINE;
      if (index !== nullIndex) present.check(c);
    },
  };
}

function compileInner(node: AvroNode): Compiled {
  switch (node.kind) {
    case 'primitive':
    case 'enum':
    case 'fixed':
      return { leaves: 1, check: reader(node).check };
    case 'record': {
      const fields = node.fields.map((f) => {
        if (f.name === '__proto__') throw new Unsupported('a field named __proto__');
        return compile(f.type);
      });
      const checks = fields.map((f) => f.check);
      const n = fields.length;
      return {
        leaves: fields.reduce((sum, f) => sum + f.leaves, 0),
        check: (c) => {
          for (let i = 0; i < n; i++) (checks[i] as Check)(c);
        },
      };
    }
    case 'array': {
      const item = compile(node.items);
      return {
        leaves: item.leaves,
        check: (c) => {
          for (let n = readBlock(c); n !== 0; n = readBlock(c)) for (; n > 0; n--) item.check(c);
        },
      };
    }
    case 'map': {
      const value = compile(node.values);
      const starts: number[] = [];
      const ends: number[] = [];
      return {
        leaves: 1 + value.leaves,
        check: (c) => {
          let seen = 0;
          for (let n = readBlock(c); n !== 0; n = readBlock(c)) {
            for (; n > 0; n--) {
              const len = readLength(c);
              const start = c.pos;
              const end = start + len;
              // As object keys, numeric keys would be reordered, `__proto__` dropped, invalid UTF-8 merged
              // and a repeated key kept once: the row path stores those maps as it always has.
              if (len > 0 && (c.buf[start] as number) <= 0x39 && (c.buf[start] as number) >= 0x30)
                throw DECLINE;
              if (!isAscii(c.buf, start, end) || isProto(c.buf, start, end)) throw DECLINE;
              for (let k = 0; k < seen; k++)
                if (sameBytes(c.buf, starts[k] as number, ends[k] as number, start, end)) throw DECLINE;
              starts[seen] = start;
              ends[seen] = end;
              seen++;
              c.pos = end;
              value.check(c);
            }
          }
        },
      };
    }
    case 'union':
      throw new Unsupported('a union inside a union');
  }
}

const PROTO = Buffer.from('__proto__');

function isProto(buf: Buffer, start: number, end: number): boolean {
  return end - start === PROTO.length && buf.compare(PROTO, 0, PROTO.length, start, end) === 0;
}

function sameBytes(buf: Buffer, a: number, aEnd: number, b: number, bEnd: number): boolean {
  if (aEnd - a !== bEnd - b) return false;
  for (let i = 0; i < aEnd - a; i++) if (buf[a + i] !== buf[b + i]) return false;
  return true;
}

function reader(node: Extract<AvroNode, { kind: 'primitive' | 'enum' | 'fixed' }>): {
  check: Check;
  value: (c: Cursor) => unknown;
} {
  switch (node.kind) {
    case 'enum': {
      const symbols = node.symbols;
      return {
        check: (c) => {
          const i = readInt(c);
          if (i < 0 || i >= symbols.length) throw DECLINE;
        },
        value: (c) => symbols[readInt(c)],
      };
    }
    case 'fixed': {
      const size = node.size;
      return {
        check: (c) => {
          c.pos += size;
          if (c.pos > c.end) throw DECLINE;
        },
        value: (c) => c.buf.subarray(c.pos, (c.pos += size)),
      };
    }
    case 'primitive':
      switch (node.type) {
        case 'boolean':
          return {
            check: (c) => {
              if (++c.pos > c.end) throw DECLINE;
            },
            value: (c) => c.buf[c.pos++] !== 0,
          };
        case 'int':
          return {
            check: (c) => {
              readInt(c);
            },
            value: readInt,
          };
        case 'long':
          return {
            check: (c) => {
              readLong(c);
              if (c.pos > c.end) throw DECLINE;
            },
            value: readLong,
          };
        case 'float':
          return {
            check: (c) => {
              if ((c.pos += 4) > c.end) throw DECLINE;
            },
            value: (c) => c.buf.readFloatLE((c.pos += 4) - 4),
          };
        case 'double':
          return {
            check: (c) => {
              if ((c.pos += 8) > c.end) throw DECLINE;
            },
            value: (c) => c.buf.readDoubleLE((c.pos += 8) - 8),
          };
        case 'string':
        case 'bytes':
          return {
            check: (c) => {
              const len = readLength(c);
              c.pos += len;
            },
            // Decimals in bytes: the writer's own conversion checks that they fit.
            value: (c) => {
              const len = readLength(c);
              return c.buf.subarray(c.pos, (c.pos += len));
            },
          };
        case 'null':
          throw new Unsupported('a null outside a union');
      }
  }
}

/**
 * The check of a record whose field at `path` holds the partition timestamp: it keeps that field's value
 * (what the row path's partitioner would read from the decoded record) in `cursor.time`.
 */
function withTime(node: AvroNode, compiled: Compiled, path: readonly string[]): Check {
  if (node.kind !== 'record' || path.length === 0) return compiled.check;
  const at = node.fields.findIndex((f) => f.name === path[0]);
  // No such field: the row path reads undefined, as the cursor holds.
  if (at < 0) return compiled.check;
  const checks: Check[] = [];
  node.fields.forEach((f, i) => {
    const field = compile(f.type);
    if (i !== at) checks.push(field.check);
    else if (path.length > 1) {
      if (f.type.kind !== 'record') throw new Unsupported('a timestamp path through a non-record');
      checks.push(withTime(f.type, field, path.slice(1)));
    } else checks.push(timeCheck(f.type, field.check));
  });
  const n = checks.length;
  return (c) => {
    for (let i = 0; i < n; i++) (checks[i] as Check)(c);
  };
}

function timeCheck(type: AvroNode, check: Check): Check {
  const numeric = (t: AvroNode): boolean =>
    t.kind === 'primitive' &&
    (t.type === 'int' || t.type === 'long' || t.type === 'float' || t.type === 'double');
  if (numeric(type)) {
    const read = reader(type as Extract<AvroNode, { kind: 'primitive' }>).value;
    return (c) => {
      const start = c.pos;
      check(c);
      const end = c.pos;
      c.pos = start;
      c.time = read(c);
      c.pos = end;
    };
  }
  if (type.kind === 'union') {
    const { inner, nullIndex } = nullable(type);
    if (numeric(inner)) {
      const read = reader(inner as Extract<AvroNode, { kind: 'primitive' }>).value;
      return (c) => {
        const start = c.pos;
        check(c);
        const end = c.pos;
        c.pos = start;
        c.time = readInt(c) === nullIndex ? null : read(c);
        c.pos = end;
      };
    }
  }
  // Any other type is no timestamp to the partitioner, whatever its value.
  return check;
}

/**
 * The store walk of a record as one generated function: each leaf's read and column calls inline, so every
 * call site sees one column and one type (closures shared by all leaves of a kind would not). It follows
 * the same rules as `compile` above (the checks stay closures): same leaf order, levels and values.
 */
function generateStore(root: Extract<AvroNode, { kind: 'record' }>): {
  store: (c: Cursor, leaves: readonly LeafAppender[]) => void;
  leaves: number;
} {
  const symbols: (readonly string[])[] = [];
  let leafCount = 0;
  let loops = 0;

  /** Code that stores the levels of a null or empty node: every leaf under it at `def`, `rep`. */
  const levels = (under: number[], def: number, rep: string): string =>
    under.map((i) => `L${i}.level(${def}, ${rep});`).join('\n');

  /** How many leaf columns a node takes, without generating anything. */
  function count(node: AvroNode): number {
    switch (node.kind) {
      case 'record':
        return node.fields.reduce((n, f) => n + count(f.type), 0);
      case 'array':
        return count(node.items);
      case 'map':
        return 1 + count(node.values);
      case 'union':
        return count(nullable(node).inner);
      default:
        return 1;
    }
  }
  const range = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => from + i);

  /**
   * `repLevel` is the node's maximum repetition level (what `compile` calls rep); `rep` is the expression
   * holding the repetition level of the current slot at run time.
   */
  function gen(node: AvroNode, defAbove: number, repLevel: number, rep: string): string {
    if (node.kind !== 'union') return inner(node, defAbove, repLevel, rep);
    const { inner: present, nullIndex } = nullable(node);
    if (nullIndex < 0) return `readInt(c);\n${inner(present, defAbove, repLevel, rep)}`;
    const under = range(leafCount, count(present));
    return `if (readInt(c) === ${nullIndex}) {\n${levels(under, defAbove, rep)}\n} else {\n${inner(present, defAbove + 1, repLevel, rep)}\n}`;
  }

  function inner(node: AvroNode, def: number, repLevel: number, rep: string): string {
    switch (node.kind) {
      case 'record':
        return node.fields.map((f) => gen(f.type, def, repLevel, rep)).join('\n');
      case 'array': {
        const under = range(leafCount, count(node.items));
        const k = loops++;
        const item = gen(node.items, def + 1, repLevel + 1, `cur${k}`);
        return [
          `{ let cur${k} = ${rep};`,
          `for (let n${k} = readBlock(c); n${k} !== 0; n${k} = readBlock(c)) {`,
          `for (; n${k} > 0; n${k}--) {`,
          item,
          `cur${k} = ${repLevel + 1};`,
          `} }`,
          `if (cur${k} === ${rep}) {`,
          levels(under, def, rep),
          `} }`,
        ].join('\n');
      }
      case 'map': {
        const key = leafCount++;
        const under = [key, ...range(leafCount, count(node.values))];
        const k = loops++;
        const value = gen(node.values, def + 1, repLevel + 1, `cur${k}`);
        return [
          `{ let cur${k} = ${rep};`,
          `for (let n${k} = readBlock(c); n${k} !== 0; n${k} = readBlock(c)) {`,
          `for (; n${k} > 0; n${k}--) {`,
          `n = readLength(c);`,
          `L${key}.byteArray(c.buf, c.pos, c.pos + n);`,
          `L${key}.level(${def + 1}, cur${k});`,
          `c.pos += n;`,
          value,
          `cur${k} = ${repLevel + 1};`,
          `} }`,
          `if (cur${k} === ${rep}) {`,
          levels(under, def, rep),
          `} }`,
        ].join('\n');
      }
      case 'union':
        throw new Unsupported('a union inside a union');
      default: {
        const i = leafCount++;
        const L = `L${i}`;
        const level = def > 0 ? `\n${L}.level(${def}, ${rep});` : '';
        return `${leafValue(node, L)}${level}`;
      }
    }
  }

  function leafValue(node: Extract<AvroNode, { kind: 'primitive' | 'enum' | 'fixed' }>, L: string): string {
    switch (node.kind) {
      case 'enum':
        symbols.push(node.symbols);
        return `${L}.value(S${symbols.length - 1}[readInt(c)]);`;
      case 'fixed':
        return `${L}.value(c.buf.subarray(c.pos, (c.pos += ${node.size})));`;
      case 'primitive':
        switch (node.type) {
          case 'boolean':
            return `${L}.value(c.buf[c.pos++] !== 0);`;
          case 'int':
            return `${L}.value(readInt(c));`;
          case 'long':
            return `${L}.value(readLong(c));`;
          case 'float':
            return `${L}.value(c.buf.readFloatLE((c.pos += 4) - 4));`;
          case 'double':
            return `${L}.value(c.buf.readDoubleLE((c.pos += 8) - 8));`;
          case 'string':
            // Non-ASCII text goes through a string as the row path's does, so invalid UTF-8 is replaced alike.
            return [
              `n = readLength(c); s = c.pos; c.pos = s + n;`,
              `if (isAscii(c.buf, s, s + n)) ${L}.byteArray(c.buf, s, s + n);`,
              `else ${L}.value(c.buf.toString('utf8', s, s + n));`,
            ].join('\n');
          case 'bytes':
            if (node.logical !== undefined)
              // Decimals in bytes: the writer's own conversion checks that they fit.
              return `n = readLength(c); ${L}.value(c.buf.subarray(c.pos, (c.pos += n)));`;
            return `n = readLength(c); ${L}.byteArray(c.buf, c.pos, c.pos + n); c.pos += n;`;
          case 'null':
            throw new Unsupported('a null outside a union');
        }
    }
  }

  const body = inner(root, 0, 0, '0');
  const leafDecls = range(0, leafCount)
    .map((i) => `const L${i} = leaves[${i}];`)
    .join('\n');
  const source = `return function store(c, leaves) {\n${leafDecls}\nlet n = 0, s = 0;\n${body}\n};`;
  const make = new Function(
    'readInt',
    'readLong',
    'readLength',
    'readBlock',
    'isAscii',
    ...symbols.map((_, i) => `S${i}`),
    source,
  ) as (...args: unknown[]) => (c: Cursor, leaves: readonly LeafAppender[]) => void;
  return { store: make(readInt, readLong, readLength, readBlock, isAscii, ...symbols), leaves: leafCount };
}

export interface DirectReader {
  /** The reader schema (as given) this reader was compiled from: a writer takes its records only if it is its own. */
  readonly schema: unknown;
  /** Leaf columns a record fills, the lineage columns included. */
  readonly columns: number;
  /**
   * Checks the body at buf[start, end): true when it is a whole, well-formed record this reader stores
   * exactly as the row path would (then `time` holds the partition timestamp field's value, undefined when
   * the schema has no such field); false when the row path must read it.
   */
  check(buf: Buffer, start: number, end: number): boolean;
  /** The timestamp field's value found by the last successful check. */
  readonly time: unknown;
  /** Stores a checked body and its lineage into the leaves of a writer planned from `schema` with lineage. */
  store(leaves: readonly LeafAppender[], buf: Buffer, start: number, end: number, lineage: Lineage): void;
}

/**
 * A direct reader for records written with `avroSchema` itself, or undefined when the schema holds
 * something it does not cover. `timestampField` is the partitioner's dotted path.
 */
export function compileDirectReader(avroSchema: unknown, timestampField: string): DirectReader | undefined {
  let root: AvroNode;
  let body: Compiled;
  let generated: ReturnType<typeof generateStore>;
  let check: Check;
  try {
    root = resolveAvroSchema(avroSchema);
    if (root.kind !== 'record') return undefined;
    body = compileInner(root);
    generated = generateStore(root);
    check = withTime(root, body, timestampField.split('.'));
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
  const [topicLeaf, partitionLeaf, offsetLeaf, timestampLeaf] = [0, 1, 2, 3].map((i) => body.leaves + i) as [
    number,
    number,
    number,
    number,
  ];
  const cursor: Cursor = { buf: Buffer.alloc(0), pos: 0, end: 0, time: undefined };
  const store = generated.store;
  if (generated.leaves !== body.leaves) throw new Error('direct reader: generated leaves disagree');
  const storeCursor: Cursor = { buf: cursor.buf, pos: 0, end: 0, time: undefined };
  return {
    schema: avroSchema,
    columns: body.leaves + 4,
    get time() {
      return cursor.time;
    },
    check(buf, start, end) {
      cursor.buf = buf;
      cursor.pos = start;
      cursor.end = end;
      cursor.time = undefined;
      try {
        check(cursor);
      } catch (error) {
        if (error === DECLINE || error instanceof RangeError) return false;
        throw error;
      }
      return cursor.pos === end;
    },
    store(leaves, buf, start, end, lineage) {
      const c = storeCursor;
      c.buf = buf;
      c.pos = start;
      c.end = end;
      store(c, leaves);
      // The row path's lineage columns, from the same values (rowBuilder in record-writer.ts).
      (leaves[topicLeaf] as LeafAppender).value(lineage.topic);
      (leaves[partitionLeaf] as LeafAppender).value(lineage.partition);
      (leaves[offsetLeaf] as LeafAppender).value(lineage.offset);
      const ts = leaves[timestampLeaf] as LeafAppender;
      if (lineage.timestamp === null || lineage.timestamp < 0) ts.level(0, 0);
      else {
        ts.value(lineage.timestamp);
        ts.level(1, 0);
      }
    },
  };
}

/**
 * A record still in Avro binary form, checked by a direct reader: a writer planned from the reader's schema
 * stores it straight from the bytes; any other takes `decode()`, the lossless value the row path uses.
 */
export class EncodedRecord {
  readonly reader: DirectReader;
  readonly bytes: Buffer;
  readonly start: number;
  /** The partition timestamp field's value, as the check read it (undefined when the schema has none). */
  readonly time: unknown;
  readonly #decode: (bytes: Buffer) => unknown;

  constructor(
    reader: DirectReader,
    bytes: Buffer,
    start: number,
    time: unknown,
    decode: (bytes: Buffer) => unknown,
  ) {
    this.reader = reader;
    this.bytes = bytes;
    this.start = start;
    this.time = time;
    this.#decode = decode;
  }

  decode(): unknown {
    return this.#decode(this.bytes);
  }
}
