// The generic compact decoder against the write-side encoder: decoding what encodeStruct wrote and encoding
// the tree again gives the same bytes, for hand-made structs and real footers; garbage is a ThriftDecodeError.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bin, bool, encodeStruct, i32, i64, list, struct } from '../src/thrift.ts';
import type { ThriftStruct } from '../src/thrift.ts';
import { ThriftDecodeError, decodeStruct, encodeTree, field, withFields } from '../src/thrift-tree.ts';
import { randomRows, writeRows } from './fixtures.ts';
import { rng } from './rng.ts';

const STRUCTS: [string, ThriftStruct][] = [
  ['empty', []],
  [
    'negative and large integers',
    [
      [1, i32(-2147483648)],
      [2, i32(2147483647)],
      [3, i64(-(2 ** 53) + 1)],
      [4, i64(2 ** 53 - 1)],
    ],
  ],
  [
    'booleans and a long field id delta',
    [
      [1, bool(true)],
      [2, bool(false)],
      [40, bool(true)],
      [300, i32(5)],
    ],
  ],
  [
    'binary and strings',
    [
      [1, bin('')],
      [2, bin('héllo ✓')],
      [3, bin(new Uint8Array([0, 255, 128]))],
    ],
  ],
  [
    'lists short and long',
    [
      [
        1,
        list(
          'i32',
          Array.from({ length: 14 }, (_, k) => i32(k)),
        ),
      ],
      [
        2,
        list(
          'binary',
          Array.from({ length: 300 }, (_, k) => bin(`s${k}`)),
        ),
      ],
    ],
  ],
  [
    'nested structs',
    [
      [1, struct([[1, struct([[2, struct([])]])]])],
      [2, list('struct', [struct([[1, i32(1)]]), struct([])])],
    ],
  ],
];

describe('decodeStruct / encodeTree', () => {
  for (const [name, s] of STRUCTS) {
    it(`round-trips the encoder's bytes: ${name}`, () => {
      const bytes = encodeStruct(s);
      const { value, end } = decodeStruct(bytes);
      assert.equal(end, bytes.length);
      assert.deepEqual(Buffer.from(encodeTree(value)), bytes);
    });
  }

  it('decodes values to their numbers and bytes', () => {
    const { value } = decodeStruct(
      encodeStruct([
        [1, i32(-7)],
        [2, i64(2 ** 40)],
        [3, bin('ab')],
        [4, bool(true)],
      ]),
    );
    assert.deepEqual(field(value, 1), { t: 'i32', v: -7 });
    assert.deepEqual(field(value, 2), { t: 'i64', v: 2n ** 40n });
    assert.deepEqual(Buffer.from((field(value, 3) as { v: Uint8Array }).v).toString(), 'ab');
    assert.deepEqual(field(value, 4), { t: 'bool', v: true });
  });

  it('round-trips real footers written by the writer (FileMetaData with every structure it uses)', () => {
    for (const compression of ['none', 'zstd'] as const) {
      const file = writeRows(randomRows(50, 3), { compression, rowGroupRows: 20, pageSizeBytes: 256 });
      const len = Buffer.from(file).readUInt32LE(file.length - 8);
      const footer = Buffer.from(file.subarray(file.length - 8 - len, file.length - 8));
      const { value, end } = decodeStruct(footer);
      assert.equal(end, footer.length);
      assert.deepEqual(Buffer.from(encodeTree(value)), footer);
    }
  });

  it('withFields replaces, adds and removes fields in id order', () => {
    const s = decodeStruct(
      encodeStruct([
        [1, i32(1)],
        [3, i32(3)],
        [5, i32(5)],
      ]),
    ).value;
    const changed = withFields(s, { 3: undefined, 4: { t: 'i32', v: 4 }, 1: { t: 'i32', v: 10 } });
    assert.deepEqual(
      changed.map(([id, n]) => [id, (n as { v: number }).v]),
      [
        [1, 10],
        [4, 4],
        [5, 5],
      ],
    );
  });

  it('throws ThriftDecodeError, never anything else, on truncated or random bytes', () => {
    const good = encodeStruct([
      [
        1,
        list('struct', [
          struct([
            [1, bin('abc')],
            [2, i64(99)],
          ]),
        ]),
      ],
      [2, i32(4)],
    ]);
    for (let cut = 0; cut < good.length - 1; cut++) {
      assert.throws(() => decodeStruct(good.subarray(0, cut)), ThriftDecodeError, `cut at ${cut}`);
    }
    const r = rng(11);
    for (let k = 0; k < 2000; k++) {
      const junk = new Uint8Array(1 + Math.floor(r() * 64)).map(() => Math.floor(r() * 256));
      try {
        decodeStruct(junk);
      } catch (error) {
        assert.ok(
          error instanceof ThriftDecodeError,
          `junk ${Buffer.from(junk).toString('hex')}: ${String(error)}`,
        );
      }
    }
  });

  it('refuses structs nested beyond its depth limit instead of overflowing the stack', () => {
    const deep = new Uint8Array(10_000).fill(0x1c); // field 1, type struct, forever
    assert.throws(() => decodeStruct(deep), ThriftDecodeError);
  });
});
