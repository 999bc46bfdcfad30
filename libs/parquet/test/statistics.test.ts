// Byte-array bounds: unsigned byte order, and truncation that never claims more than it knows: a cut min is
// a prefix, a cut max is above every value sharing its prefix, text is cut on characters and stays UTF-8.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ByteBounds, truncateMax, truncateMin } from '../src/statistics.ts';

const u = (s: string): Buffer => Buffer.from(s, 'utf8');
const text = (b: Uint8Array | undefined): string | undefined =>
  b === undefined ? undefined : Buffer.from(b).toString('utf8');

describe('ByteBounds', () => {
  it('orders as unsigned bytes: a prefix first, then by the first differing byte, UTF-8 by code point', () => {
    const b = new ByteBounds();
    for (const s of ['b', 'ab', '', 'é', 'z', 'a']) {
      const buf = Buffer.concat([u('xx'), u(s), u('yy')]);
      b.add(buf, 2, buf.length - 2);
    }
    assert.equal(text(b.min), '');
    assert.equal(text(b.max), 'é');
    const bin = new ByteBounds();
    for (const v of [[0x7f], [0x80], [0x00, 0xff], [0xff]]) bin.add(Buffer.from(v), 0, v.length);
    assert.deepEqual([...(bin.min ?? [])], [0x00, 0xff]);
    assert.deepEqual([...(bin.max ?? [])], [0xff]);
  });
});

describe('truncateMin / truncateMax', () => {
  const cases: {
    name: string;
    value: Buffer;
    utf8: boolean;
    min: string | number[];
    minExact: boolean;
    max: string | number[] | undefined;
  }[] = [
    { name: 'the empty string is exact', value: u(''), utf8: true, min: '', minExact: true, max: '' },
    {
      name: 'at the limit: exact',
      value: u('a'.repeat(8)),
      utf8: true,
      min: 'a'.repeat(8),
      minExact: true,
      max: 'a'.repeat(8),
    },
    {
      name: 'ASCII past the limit',
      value: u('abcdefghij'),
      utf8: true,
      min: 'abcdefgh',
      minExact: false,
      max: 'abcdefgi',
    },
    // 'é' takes bytes 7 and 8: neither bound may split it.
    {
      name: 'a two-byte character across the cut',
      value: u('abcdefgé!'),
      utf8: true,
      min: 'abcdefg',
      minExact: false,
      max: 'abcdefh',
    },
    {
      name: 'the last kept character is incremented as a code point',
      value: u('abcdeeé!!'),
      utf8: true,
      min: 'abcdeeé',
      minExact: false,
      max: 'abcdeeê',
    },
    {
      name: 'U+10FFFF cannot be incremented: dropped, the one before is',
      value: u('ab\u{10FFFF}\u{10FFFF}!'),
      utf8: true,
      min: 'ab\u{10FFFF}',
      minExact: false,
      max: 'ac',
    },
    {
      name: 'U+D7FF steps over the surrogates to U+E000',
      value: u('ab\uD7FF\uD7FFx'),
      utf8: true,
      min: 'ab\uD7FF\uD7FF',
      minExact: false,
      max: 'ab\uD7FF\uE000',
    },
    {
      name: 'only U+10FFFF: no max',
      value: u('\u{10FFFF}'.repeat(3)),
      utf8: true,
      min: '\u{10FFFF}\u{10FFFF}',
      minExact: false,
      max: undefined,
    },
    {
      name: 'binary: the last byte incremented',
      value: Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9]),
      utf8: false,
      min: [1, 2, 3, 4, 5, 6, 7, 8],
      minExact: false,
      max: [1, 2, 3, 4, 5, 6, 7, 9],
    },
    {
      name: 'binary: trailing 0xFF dropped, the byte before incremented',
      value: Buffer.from([1, 2, 3, 4, 5, 6, 0xff, 0xff, 0]),
      utf8: false,
      min: [1, 2, 3, 4, 5, 6, 0xff, 0xff],
      minExact: false,
      max: [1, 2, 3, 4, 5, 7],
    },
    {
      name: 'binary: all 0xFF, no max',
      value: Buffer.alloc(9, 0xff),
      utf8: false,
      min: Array(8).fill(0xff),
      minExact: false,
      max: undefined,
    },
    // Bytes of a text column that are not UTF-8 are cut as binary.
    {
      name: 'invalid UTF-8 in a text column: cut as bytes',
      value: Buffer.from([0x61, 0xc3, 0x28, 0x61, 0x61, 0x61, 0x61, 0x61, 0x61]),
      utf8: true,
      min: [0x61, 0xc3, 0x28, 0x61, 0x61, 0x61, 0x61, 0x61],
      minExact: false,
      max: [0x61, 0xc3, 0x28, 0x61, 0x61, 0x61, 0x61, 0x62],
    },
  ];
  const LIMIT = 8;
  for (const c of cases) {
    it(c.name, () => {
      const bytes = (x: string | number[]): number[] => (typeof x === 'string' ? [...u(x)] : x);
      const min = truncateMin(c.value, LIMIT, c.utf8);
      assert.deepEqual([...min.value], bytes(c.min));
      assert.equal(min.exact, c.minExact);
      const max = truncateMax(c.value, LIMIT, c.utf8);
      if (c.max === undefined) assert.equal(max, undefined);
      else {
        assert.deepEqual([...(max?.value ?? [])], bytes(c.max));
        assert.equal(max?.exact, c.minExact);
        // Never more than the limit, below or equal to the value for min, above it for a cut max.
        assert.ok(min.value.length <= LIMIT);
        assert.ok(Buffer.compare(Buffer.from(min.value), c.value) <= 0);
        assert.ok(Buffer.compare(Buffer.from(max?.value ?? []), c.value) >= 0);
        if (c.utf8 && typeof c.max === 'string') assert.equal(text(max?.value), c.max);
      }
    });
  }
});
