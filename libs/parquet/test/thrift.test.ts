// The Thrift compact encoder against byte sequences worked out by hand from the protocol spec.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bin, bool, encodeStruct, i32, i64, list, struct } from '../src/thrift.ts';
import type { ThriftStruct } from '../src/thrift.ts';

const CASES: [string, ThriftStruct, string][] = [
  ['an i32 field as a short header and a zigzag varint', [[1, i32(0)]], '15 00 00'],
  ['a negative i32 zigzags to an odd number', [[1, i32(-1)]], '15 01 00'],
  ['a field id more than 15 past the last takes the long header', [[16, i32(1)]], '05 20 02 00'],
  [
    'booleans live in the header type',
    [
      [1, bool(true)],
      [2, bool(false)],
    ],
    '11 12 00',
  ],
  ['binary is a varint length and the bytes', [[2, bin('ab')]], '28 02 61 62 00'],
  [
    'undefined fields are skipped and the delta counts from the last written',
    [
      [1, undefined],
      [2, i32(1)],
    ],
    '25 02 00',
  ],
  ['an i64 beyond 2^32', [[1, i64(2 ** 40)]], '16 80 80 80 80 80 40 00'],
  ['an empty nested struct', [[1, struct([])]], '1c 00 00'],
  [
    'a list of 14 elements keeps its size in the header',
    [[1, list('i32', Array(14).fill(i32(0)) as ReturnType<typeof i32>[])]],
    `19 e5 ${'00 '.repeat(14)}00`,
  ],
  [
    'a list of 15 elements moves its size to a varint',
    [[1, list('i32', Array(15).fill(i32(0)) as ReturnType<typeof i32>[])]],
    `19 f5 0f ${'00 '.repeat(15)}00`,
  ],
];

describe('encodeStruct', () => {
  for (const [name, s, hex] of CASES) {
    it(name, () => assert.equal(encodeStruct(s).toString('hex').replace(/(..)/g, '$1 ').trim(), hex.trim()));
  }
});
