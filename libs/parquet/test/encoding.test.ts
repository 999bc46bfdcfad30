// The RLE / bit-packing hybrid and PLAIN booleans, checked against a decoder written from the spec.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Bytes,
  bitWidth,
  decodeHybridWide,
  encodeBooleans,
  encodeHybrid,
  encodeHybridWide,
} from '../src/encoding.ts';
import { rng } from './rng.ts';

function decodeHybrid(buf: Uint8Array, width: number, count: number): number[] {
  const out: number[] = [];
  let p = 0;
  const varint = (): number => {
    let v = 0;
    let shift = 0;
    for (;;) {
      const b = buf[p++] as number;
      v |= (b & 0x7f) << shift;
      if (b < 0x80) return v;
      shift += 7;
    }
  };
  while (out.length < count) {
    const header = varint();
    if ((header & 1) === 0) {
      let value = 0;
      for (let b = 0; b < (width + 7) >> 3; b++) value |= (buf[p++] as number) << (8 * b);
      for (let i = 0; i < header >>> 1; i++) out.push(value);
    } else {
      const n = (header >>> 1) * 8;
      for (let i = 0; i < n; i++) {
        let value = 0;
        for (let b = 0; b < width; b++) {
          const bit = i * width + b;
          value |= (((buf[p + (bit >> 3)] as number) >> (bit & 7)) & 1) << b;
        }
        out.push(value);
      }
      p += (header >>> 1) * width;
    }
  }
  assert.equal(p, buf.length, 'no trailing bytes');
  return out.slice(0, count);
}

describe('encodeHybrid', () => {
  const cases: [string, number[], number][] = [
    ['a long run is one RLE run', Array(100).fill(1) as number[], 1],
    ['alternating values are bit-packed', Array.from({ length: 21 }, (_, i) => i % 2), 1],
    [
      'runs between bit-packed groups',
      [...Array(5).fill(2), ...Array(30).fill(0), 1, 2, 3, ...Array(9).fill(3)] as number[],
      2,
    ],
    ['a single value', [3], 2],
    ['width 3 levels', Array.from({ length: 40 }, (_, i) => i % 6), 3],
  ];
  for (const [name, values, width] of cases) {
    it(name, () => {
      const out = new Bytes(4);
      encodeHybrid(out, Uint8Array.from(values), values.length, width);
      assert.deepEqual(decodeHybrid(out.view(), width, values.length), values);
    });
  }

  it('writes 100 equal values as exactly one RLE run', () => {
    const out = new Bytes();
    encodeHybrid(out, new Uint8Array(100).fill(1), 100, 1);
    assert.deepEqual([...out.view()], [200, 1, 1]);
  });

  it('round-trips random level sequences (long bit-packed stretches, mixed runs)', () => {
    const r = rng(3);
    for (let t = 0; t < 200; t++) {
      const width = 1 + Math.floor(r() * 4);
      const max = (1 << width) - 1;
      const values: number[] = [];
      const n = Math.floor(r() * 2000);
      while (values.length < n) {
        const v = Math.floor(r() * (max + 1));
        const len = r() < 0.2 ? Math.floor(r() * 40) : 1;
        for (let i = 0; i < len; i++) values.push(v);
      }
      const out = new Bytes(1);
      encodeHybrid(out, Uint8Array.from(values), values.length, width);
      assert.deepEqual(decodeHybrid(out.view(), width, values.length), values, `case ${t}`);
    }
  });

  it('bitWidth is the bits needed for the maximum level', () => {
    assert.deepEqual([0, 1, 2, 3, 4, 7, 8].map(bitWidth), [0, 1, 2, 2, 3, 3, 4]);
  });
});

describe('encodeBooleans', () => {
  it('packs least significant bit first', () => {
    const out = new Bytes();
    encodeBooleans(out, Uint8Array.from([1, 0, 1, 1, 0, 0, 0, 0, 1]), 9);
    assert.deepEqual([...out.view()], [0b00001101, 0b00000001]);
  });
});

describe('encodeHybridWide / decodeHybridWide (dictionary indices)', () => {
  it('bit-packs indices wider than a byte, least significant bit first, and RLE-encodes runs', () => {
    const out = new Bytes(16);
    // 0..7 at width 3: one group of 8, header (1 << 1) | 1; the values' bits packed LSB first.
    encodeHybridWide(out, Uint32Array.of(0, 1, 2, 3, 4, 5, 6, 7), 8, 3);
    assert.deepEqual([...out.view()], [0x03, 0x88, 0xc6, 0xfa]);
    out.len = 0;
    // Ten times 300 at width 9: an RLE run (10 << 1), the value in two little-endian bytes.
    encodeHybridWide(out, new Uint32Array(10).fill(300), 10, 9);
    assert.deepEqual([...out.view()], [20, 0x2c, 0x01]);
  });

  it('round-trips random indices at every width from 0 to 32', () => {
    const r = rng(5);
    for (let width = 0; width <= 32; width++) {
      const n = 1 + Math.floor(r() * 300);
      const values = Uint32Array.from({ length: n }, () =>
        r() < 0.4 ? 0 : Math.floor(r() * 2 ** width) >>> 0,
      );
      // Runs long enough for RLE too.
      values.fill(values[0] as number, 0, Math.min(n, 20));
      const out = new Bytes(16);
      encodeHybridWide(out, values, n, width);
      const back = new Uint32Array(n);
      assert.equal(decodeHybridWide(out.buf, 0, out.len, width, n, back), true, `width ${width}`);
      assert.deepEqual([...back], [...values], `width ${width}`);
    }
  });

  it('refuses truncated runs and values wider than the width', () => {
    const back = new Uint32Array(8);
    assert.equal(decodeHybridWide(Uint8Array.of(0x03, 0x88), 0, 2, 3, 8, back), false);
    assert.equal(decodeHybridWide(Uint8Array.of(16, 0x08), 0, 2, 3, 8, back), false);
  });
});
