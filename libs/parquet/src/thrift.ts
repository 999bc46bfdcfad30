// Thrift compact protocol, write side only: just what Parquet's page headers and file footer need.
// A struct is written as a list of [fieldId, value] pairs in increasing id order, skipping undefined.
import { CType } from './thrift-tree.ts';

/** The compact protocol's wire types, as the decoder knows them. */
export const TType = CType;

/** A value to serialise. Numbers need an explicit type because i32 and i64 share JavaScript's number. */
export type ThriftValue =
  | { t: 'i32'; v: number }
  | { t: 'i64'; v: number }
  | { t: 'bool'; v: boolean }
  | { t: 'binary'; v: Uint8Array | string }
  | { t: 'list'; elem: 'i32' | 'binary' | 'struct'; v: ThriftValue[] }
  | { t: 'struct'; v: ThriftStruct };

export type ThriftStruct = readonly (readonly [number, ThriftValue | undefined])[];

export const i32 = (v: number): ThriftValue => ({ t: 'i32', v });
export const i64 = (v: number): ThriftValue => ({ t: 'i64', v });
export const bool = (v: boolean): ThriftValue => ({ t: 'bool', v });
export const bin = (v: Uint8Array | string): ThriftValue => ({ t: 'binary', v });
export const struct = (v: ThriftStruct): ThriftValue => ({ t: 'struct', v });
export const list = (elem: 'i32' | 'binary' | 'struct', v: ThriftValue[]): ThriftValue => ({
  t: 'list',
  elem,
  v,
});

const ELEM_TYPE = { i32: TType.I32, binary: TType.BINARY, struct: TType.STRUCT } as const;

/** Serialises one struct in the compact protocol. */
export function encodeStruct(s: ThriftStruct): Buffer {
  const out = new Out();
  writeStruct(out, s);
  return out.bytes();
}

class Out {
  buf = Buffer.allocUnsafe(256);
  len = 0;
  ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }
  byte(b: number): void {
    this.ensure(1);
    this.buf[this.len++] = b;
  }
  /** Unsigned varint of a non-negative integer up to 2^53. */
  varint(n: number): void {
    this.ensure(10);
    while (n >= 0x80) {
      this.buf[this.len++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[this.len++] = n;
  }
  zigzag(n: number): void {
    this.varint(n >= 0 ? n * 2 : -n * 2 - 1);
  }
  raw(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }
  bytes(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.len));
  }
}

function typeOf(v: ThriftValue): number {
  switch (v.t) {
    case 'i32':
      return TType.I32;
    case 'i64':
      return TType.I64;
    case 'bool':
      return v.v ? TType.BOOL_TRUE : TType.BOOL_FALSE;
    case 'binary':
      return TType.BINARY;
    case 'list':
      return TType.LIST;
    case 'struct':
      return TType.STRUCT;
  }
}

function writeStruct(out: Out, s: ThriftStruct): void {
  let last = 0;
  for (const [id, value] of s) {
    if (value === undefined) continue;
    const type = typeOf(value);
    const delta = id - last;
    if (delta > 0 && delta <= 15) out.byte((delta << 4) | type);
    else {
      out.byte(type);
      out.zigzag(id);
    }
    last = id;
    if (value.t !== 'bool') writeValue(out, value);
  }
  out.byte(0);
}

function writeValue(out: Out, v: ThriftValue): void {
  switch (v.t) {
    case 'i32':
    case 'i64':
      out.zigzag(v.v);
      return;
    case 'bool':
      out.byte(v.v ? 1 : 0);
      return;
    case 'binary': {
      const b = typeof v.v === 'string' ? Buffer.from(v.v, 'utf8') : v.v;
      out.varint(b.length);
      out.raw(b);
      return;
    }
    case 'list': {
      const et = ELEM_TYPE[v.elem];
      if (v.v.length < 15) out.byte((v.v.length << 4) | et);
      else {
        out.byte(0xf0 | et);
        out.varint(v.v.length);
      }
      for (const e of v.v) writeValue(out, e);
      return;
    }
    case 'struct':
      writeStruct(out, v.v);
      return;
  }
}
