// Thrift compact protocol in both directions over a generic tree: a decoded struct keeps every field with
// its id and wire type, so a footer written by anyone can be edited and written back without losing the
// fields this library does not model (column orders, encoding stats, size statistics…).

/** Compact-protocol wire types. */
export const CType = {
  STOP: 0,
  BOOL_TRUE: 1,
  BOOL_FALSE: 2,
  BYTE: 3,
  I16: 4,
  I32: 5,
  I64: 6,
  DOUBLE: 7,
  BINARY: 8,
  LIST: 9,
  SET: 10,
  MAP: 11,
  STRUCT: 12,
} as const;

export type TNode =
  | { t: 'bool'; v: boolean }
  | { t: 'byte'; v: number }
  | { t: 'i16'; v: number }
  | { t: 'i32'; v: number }
  | { t: 'i64'; v: bigint }
  | { t: 'double'; v: number }
  | { t: 'binary'; v: Uint8Array }
  /** `elem` is the element wire type as found in the header (1 or 2 for booleans). */
  | { t: 'list' | 'set'; elem: number; v: TNode[] }
  | { t: 'map'; key: number; value: number; v: [TNode, TNode][] }
  | { t: 'struct'; v: TStruct };

/** Fields in wire order. */
export type TStruct = [number, TNode][];

/** A decoding failure: the bytes are not the Thrift they claim to be. Callers turn it into their own error. */
export class ThriftDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ThriftDecodeError';
  }
}

// Deep enough for any Parquet structure (LogicalType inside SchemaElement inside FileMetaData is 4 levels);
// the limit keeps garbage input from overflowing the stack.
const MAX_DEPTH = 32;

/** Decodes one struct starting at `pos`; `end` is the offset just past it. */
export function decodeStruct(buf: Uint8Array, pos = 0, limit = buf.length): { value: TStruct; end: number } {
  const r = new Reader(buf, pos, Math.min(limit, buf.length));
  const value = r.struct(0);
  return { value, end: r.pos };
}

class Reader {
  readonly buf: Uint8Array;
  pos: number;
  readonly limit: number;
  constructor(buf: Uint8Array, pos: number, limit: number) {
    this.buf = buf;
    this.pos = pos;
    this.limit = limit;
  }
  byte(): number {
    if (this.pos >= this.limit) throw new ThriftDecodeError(`unexpected end of data at byte ${this.pos}`);
    return this.buf[this.pos++] as number;
  }
  /** Unsigned varint up to 64 bits. */
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = this.byte();
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 63n) throw new ThriftDecodeError(`varint longer than 10 bytes at byte ${this.pos}`);
    }
  }
  smallVarint(): number {
    // Fast path: sizes, lengths and i32s fit in 5 bytes.
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      if (shift === 28 && b > 0x0f) throw new ThriftDecodeError(`varint beyond 32 bits at byte ${this.pos}`);
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
    }
  }
  zigzag32(): number {
    const n = this.smallVarint();
    return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
  }
  zigzag64(): bigint {
    const n = this.varint();
    return (n >> 1n) ^ -(n & 1n);
  }
  length(): number {
    const n = this.smallVarint();
    if (n > this.limit - this.pos)
      throw new ThriftDecodeError(`length ${n} at byte ${this.pos} runs past the end of the data`);
    return n;
  }
  struct(depth: number): TStruct {
    if (depth > MAX_DEPTH) throw new ThriftDecodeError(`structs nested deeper than ${MAX_DEPTH}`);
    const fields: TStruct = [];
    let last = 0;
    for (;;) {
      const h = this.byte();
      if (h === CType.STOP) return fields;
      const type = h & 0x0f;
      const delta = h >> 4;
      const id = delta === 0 ? this.zigzag32() : last + delta;
      last = id;
      if (type === CType.BOOL_TRUE || type === CType.BOOL_FALSE) {
        fields.push([id, { t: 'bool', v: type === CType.BOOL_TRUE }]);
      } else fields.push([id, this.value(type, depth)]);
    }
  }
  value(type: number, depth: number): TNode {
    switch (type) {
      case CType.BOOL_TRUE:
      case CType.BOOL_FALSE:
        // Only inside lists, sets and maps: one byte, 1 for true (what Apache Thrift's readBool checks).
        return { t: 'bool', v: this.byte() === 1 };
      case CType.BYTE: {
        const b = this.byte();
        return { t: 'byte', v: b > 127 ? b - 256 : b };
      }
      case CType.I16:
        return { t: 'i16', v: this.zigzag32() };
      case CType.I32:
        return { t: 'i32', v: this.zigzag32() };
      case CType.I64:
        return { t: 'i64', v: BigInt.asIntN(64, this.zigzag64()) };
      case CType.DOUBLE: {
        if (this.limit - this.pos < 8)
          throw new ThriftDecodeError(`unexpected end of data at byte ${this.pos}`);
        const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8).getFloat64(0, true);
        this.pos += 8;
        return { t: 'double', v };
      }
      case CType.BINARY: {
        const n = this.length();
        const v = this.buf.slice(this.pos, this.pos + n);
        this.pos += n;
        return { t: 'binary', v };
      }
      case CType.LIST:
      case CType.SET: {
        const h = this.byte();
        const elem = h & 0x0f;
        const size = h >> 4 === 15 ? this.smallVarint() : h >> 4;
        // Every element takes at least one byte: a larger size is garbage, not a reason to allocate.
        if (size > this.limit - this.pos)
          throw new ThriftDecodeError(`list of ${size} elements at byte ${this.pos} runs past the end`);
        const v: TNode[] = [];
        for (let i = 0; i < size; i++) v.push(this.element(elem, depth + 1));
        return { t: type === CType.LIST ? 'list' : 'set', elem, v };
      }
      case CType.MAP: {
        const size = this.smallVarint();
        if (size === 0) return { t: 'map', key: 0, value: 0, v: [] };
        if (size > this.limit - this.pos)
          throw new ThriftDecodeError(`map of ${size} entries at byte ${this.pos} runs past the end`);
        const kv = this.byte();
        const key = kv >> 4;
        const value = kv & 0x0f;
        const v: [TNode, TNode][] = [];
        for (let i = 0; i < size; i++) v.push([this.element(key, depth + 1), this.element(value, depth + 1)]);
        return { t: 'map', key, value, v };
      }
      case CType.STRUCT:
        return { t: 'struct', v: this.struct(depth + 1) };
      default:
        throw new ThriftDecodeError(`unknown compact type ${type} at byte ${this.pos}`);
    }
  }
  element(type: number, depth: number): TNode {
    if (type === CType.STOP) throw new ThriftDecodeError(`element type 0 at byte ${this.pos}`);
    return this.value(type, depth);
  }
}

/** Encodes a struct exactly as decodeStruct found it (so decode → encode reproduces a canonical encoding). */
export function encodeTree(s: TStruct): Uint8Array {
  const w = new Writer();
  w.struct(s);
  return w.bytes();
}

class Writer {
  buf = Buffer.allocUnsafe(1024);
  len = 0;
  ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }
  byte(b: number): void {
    this.ensure(1);
    this.buf[this.len++] = b & 0xff;
  }
  varint(n: bigint): void {
    this.ensure(10);
    while (n >= 0x80n) {
      this.buf[this.len++] = Number(n & 0x7fn) | 0x80;
      n >>= 7n;
    }
    this.buf[this.len++] = Number(n);
  }
  smallVarint(n: number): void {
    this.ensure(10);
    while (n >= 0x80) {
      this.buf[this.len++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[this.len++] = n;
  }
  zigzag32(n: number): void {
    this.smallVarint(n >= 0 ? n * 2 : -n * 2 - 1);
  }
  zigzag64(n: bigint): void {
    this.varint(BigInt.asUintN(64, (n << 1n) ^ (n >> 63n)));
  }
  raw(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }
  bytes(): Uint8Array {
    return Buffer.from(this.buf.subarray(0, this.len));
  }
  struct(s: TStruct): void {
    let last = 0;
    for (const [id, node] of s) {
      const type = typeOf(node);
      const delta = id - last;
      if (delta > 0 && delta <= 15) this.byte((delta << 4) | type);
      else {
        this.byte(type);
        this.zigzag32(id);
      }
      last = id;
      if (node.t !== 'bool') this.value(node);
    }
    this.byte(CType.STOP);
  }
  value(node: TNode): void {
    switch (node.t) {
      case 'bool':
        this.byte(node.v ? 1 : 2);
        return;
      case 'byte':
        this.byte(node.v);
        return;
      case 'i16':
      case 'i32':
        this.zigzag32(node.v);
        return;
      case 'i64':
        this.zigzag64(node.v);
        return;
      case 'double': {
        this.ensure(8);
        this.buf.writeDoubleLE(node.v, this.len);
        this.len += 8;
        return;
      }
      case 'binary':
        this.smallVarint(node.v.length);
        this.raw(node.v);
        return;
      case 'list':
      case 'set':
        if (node.v.length < 15) this.byte((node.v.length << 4) | node.elem);
        else {
          this.byte(0xf0 | node.elem);
          this.smallVarint(node.v.length);
        }
        for (const e of node.v) this.value(e);
        return;
      case 'map':
        this.smallVarint(node.v.length);
        if (node.v.length === 0) return;
        this.byte((node.key << 4) | node.value);
        for (const [k, v] of node.v) {
          this.value(k);
          this.value(v);
        }
        return;
      case 'struct':
        this.struct(node.v);
        return;
    }
  }
}

function typeOf(node: TNode): number {
  switch (node.t) {
    case 'bool':
      return node.v ? CType.BOOL_TRUE : CType.BOOL_FALSE;
    case 'byte':
      return CType.BYTE;
    case 'i16':
      return CType.I16;
    case 'i32':
      return CType.I32;
    case 'i64':
      return CType.I64;
    case 'double':
      return CType.DOUBLE;
    case 'binary':
      return CType.BINARY;
    case 'list':
      return CType.LIST;
    case 'set':
      return CType.SET;
    case 'map':
      return CType.MAP;
    case 'struct':
      return CType.STRUCT;
  }
}

// ---- reading and editing fields ------------------------------------------------------------------------

export function field(s: TStruct, id: number): TNode | undefined {
  for (const [fid, node] of s) if (fid === id) return node;
  return undefined;
}

/** A copy of `s` with the given fields set (a TNode) or removed (undefined), kept in increasing id order. */
export function withFields(s: TStruct, changes: Readonly<Record<number, TNode | undefined>>): TStruct {
  const out: TStruct = s.filter(([id]) => !(id in changes));
  for (const [key, node] of Object.entries(changes)) if (node !== undefined) out.push([Number(key), node]);
  return out.sort((a, b) => a[0] - b[0]);
}

/** Only the listed fields of `s`, in their order in `s`. */
export function pick(s: TStruct, ids: readonly number[]): TStruct {
  return s.filter(([id]) => ids.includes(id));
}

export const t = {
  i32: (v: number): TNode => ({ t: 'i32', v }),
  i64: (v: number | bigint): TNode => ({ t: 'i64', v: BigInt(v) }),
  binary: (v: Uint8Array): TNode => ({ t: 'binary', v }),
  struct: (v: TStruct): TNode => ({ t: 'struct', v }),
  list: (elem: number, v: TNode[]): TNode => ({ t: 'list', elem, v }),
};
