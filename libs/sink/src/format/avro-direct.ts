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
type Store = (c: Cursor, leaves: readonly LeafAppender[], rep: number) => void;

interface Compiled {
  check: Check;
  store: Store;
  /** Leaf column indexes under this node, in file order. */
  leaves: number[];
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

interface Walk {
  next: number;
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

/** The writer's `compile`: an optional node stores its levels at `defAbove` when null. */
function compile(node: AvroNode, defAbove: number, rep: number, w: Walk): Compiled {
  if (node.kind !== 'union') return compileInner(node, defAbove, rep, w);
  const { inner, nullIndex } = nullable(node);
  const branches = node.branches.length;
  if (nullIndex < 0) {
    const only = compileInner(inner, defAbove, rep, w);
    return {
      leaves: only.leaves,
      check: (c) => {
        if (readInt(c) !== 0) throw DECLINE;
        only.check(c);
      },
      store: (c, leaves, rp) => {
        readInt(c);
        only.store(c, leaves, rp);
      },
    };
  }
  const present = compileInner(inner, defAbove + 1, rep, w);
  const under = present.leaves;
  return {
    leaves: under,
    check: (c) => {
      const index = readInt(c);
      if (index < 0 || index >= branches) throw DECLINE;
      if (index !== nullIndex) present.check(c);
    },
    store: (c, leaves, rp) => {
      if (readInt(c) === nullIndex) {
        for (let i = 0; i < under.length; i++)
          (leaves[under[i] as number] as LeafAppender).level(defAbove, rp);
      } else present.store(c, leaves, rp);
    },
  };
}

function compileInner(node: AvroNode, def: number, rep: number, w: Walk): Compiled {
  switch (node.kind) {
    case 'primitive':
    case 'enum':
    case 'fixed':
      return leaf(node, def, w.next++);
    case 'record': {
      const fields = node.fields.map((f) => {
        if (f.name === '__proto__') throw new Unsupported('a field named __proto__');
        return compile(f.type, def, rep, w);
      });
      const checks = fields.map((f) => f.check);
      const stores = fields.map((f) => f.store);
      const n = fields.length;
      return {
        leaves: fields.flatMap((f) => f.leaves),
        check: (c) => {
          for (let i = 0; i < n; i++) (checks[i] as Check)(c);
        },
        store: (c, leaves, rp) => {
          for (let i = 0; i < n; i++) (stores[i] as Store)(c, leaves, rp);
        },
      };
    }
    case 'array': {
      const r = rep + 1;
      const item = compile(node.items, def + 1, r, w);
      const under = item.leaves;
      return {
        leaves: under,
        check: (c) => {
          for (let n = readBlock(c); n !== 0; n = readBlock(c)) for (; n > 0; n--) item.check(c);
        },
        store: (c, leaves, rp) => {
          let cur = rp;
          for (let n = readBlock(c); n !== 0; n = readBlock(c)) {
            for (; n > 0; n--) {
              item.store(c, leaves, cur);
              cur = r;
            }
          }
          if (cur === rp)
            for (let i = 0; i < under.length; i++)
              (leaves[under[i] as number] as LeafAppender).level(def, rp);
        },
      };
    }
    case 'map': {
      const r = rep + 1;
      const key = w.next++;
      const value = compile(node.values, def + 1, r, w);
      const under = [key, ...value.leaves];
      const keyDef = def + 1;
      const starts: number[] = [];
      const ends: number[] = [];
      return {
        leaves: under,
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
        store: (c, leaves, rp) => {
          const k = leaves[key] as LeafAppender;
          let cur = rp;
          for (let n = readBlock(c); n !== 0; n = readBlock(c)) {
            for (; n > 0; n--) {
              const len = readLength(c);
              k.byteArray(c.buf, c.pos, c.pos + len);
              k.level(keyDef, cur);
              c.pos += len;
              value.store(c, leaves, cur);
              cur = r;
            }
          }
          if (cur === rp)
            for (let i = 0; i < under.length; i++)
              (leaves[under[i] as number] as LeafAppender).level(def, rp);
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

/** A leaf: what the check skips and the store reads, as the lossless decoder reads it. */
function leaf(
  node: Extract<AvroNode, { kind: 'primitive' | 'enum' | 'fixed' }>,
  def: number,
  index: number,
): Compiled {
  const hasDef = def > 0;
  const leaves = [index];
  const read = reader(node);
  if (
    node.kind === 'primitive' &&
    (node.type === 'string' || (node.type === 'bytes' && node.logical === undefined))
  ) {
    const text = node.type === 'string';
    return {
      leaves,
      check: read.check,
      store: (c, all, rp) => {
        const l = all[index] as LeafAppender;
        const len = readLength(c);
        const start = c.pos;
        c.pos = start + len;
        // Non-ASCII text goes through a string as the row path's does, so invalid UTF-8 is replaced alike.
        if (!text || isAscii(c.buf, start, start + len)) l.byteArray(c.buf, start, start + len);
        else l.value(c.buf.toString('utf8', start, start + len));
        if (hasDef) l.level(def, rp);
      },
    };
  }
  const value = read.value;
  return {
    leaves,
    check: read.check,
    store: hasDef
      ? (c, all, rp) => {
          const l = all[index] as LeafAppender;
          l.value(value(c));
          l.level(def, rp);
        }
      : (c, all) => {
          (all[index] as LeafAppender).value(value(c));
        },
  };
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
function withTime(node: AvroNode, compiled: Compiled, path: readonly string[], w: Walk): Check {
  if (node.kind !== 'record' || path.length === 0) return compiled.check;
  const at = node.fields.findIndex((f) => f.name === path[0]);
  // No such field: the row path reads undefined, as the cursor holds.
  if (at < 0) return compiled.check;
  const checks: Check[] = [];
  const probe = { next: w.next };
  node.fields.forEach((f, i) => {
    const field = compile(f.type, 0, 0, probe);
    if (i !== at) checks.push(field.check);
    else if (path.length > 1) {
      if (f.type.kind !== 'record') throw new Unsupported('a timestamp path through a non-record');
      checks.push(withTime(f.type, field, path.slice(1), probe));
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
  let check: Check;
  try {
    root = resolveAvroSchema(avroSchema);
    if (root.kind !== 'record') return undefined;
    const w = { next: 0 };
    body = compileInner(root, 0, 0, w);
    check = withTime(root, body, timestampField.split('.'), { next: 0 });
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
  const [topicLeaf, partitionLeaf, offsetLeaf, timestampLeaf] = [0, 1, 2, 3].map(
    (i) => body.leaves.length + i,
  ) as [number, number, number, number];
  const cursor: Cursor = { buf: Buffer.alloc(0), pos: 0, end: 0, time: undefined };
  return {
    schema: avroSchema,
    columns: body.leaves.length + 4,
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
      const c: Cursor = { buf, pos: start, end, time: undefined };
      body.store(c, leaves, 0);
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
