// Builders for the Thrift structs the writer emits (page headers, the file footer), encoded by the one
// compact-protocol codec in thrift-tree.ts. A struct is a list of [fieldId, value] pairs in increasing id
// order; undefined values are skipped, so optional fields can be written inline.
import { CType, encodeTree } from './thrift-tree.ts';
import type { TNode, TStruct } from './thrift-tree.ts';

/** The compact protocol's wire types. */
export const TType = CType;

export type ThriftValue = TNode;
export type ThriftStruct = readonly (readonly [number, ThriftValue | undefined])[];

export const i32 = (v: number): ThriftValue => ({ t: 'i32', v });
/** Offsets, sizes and counts: whole numbers up to 2^53 in the writer. */
export const i64 = (v: number): ThriftValue => ({ t: 'i64', v: BigInt(v) });
export const bool = (v: boolean): ThriftValue => ({ t: 'bool', v });
export const bin = (v: Uint8Array | string): ThriftValue => ({
  t: 'binary',
  v: typeof v === 'string' ? Buffer.from(v, 'utf8') : v,
});
export const struct = (v: ThriftStruct): ThriftValue => ({ t: 'struct', v: defined(v) });
const ELEM_TYPE = { i32: CType.I32, binary: CType.BINARY, struct: CType.STRUCT } as const;
export const list = (elem: keyof typeof ELEM_TYPE, v: ThriftValue[]): ThriftValue => ({
  t: 'list',
  elem: ELEM_TYPE[elem],
  v,
});

function defined(s: ThriftStruct): TStruct {
  const out: TStruct = [];
  for (const [id, value] of s) if (value !== undefined) out.push([id, value]);
  return out;
}

/** Serialises one struct in the compact protocol. */
export function encodeStruct(s: ThriftStruct): Buffer {
  const bytes = encodeTree(defined(s));
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
