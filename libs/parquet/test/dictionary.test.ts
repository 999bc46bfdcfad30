// The chunk dictionaries: first-seen indices, values compared bit for bit, the PLAIN entries that become the
// dictionary page, and the size limit that leaves the dictionary as it was before the refused page.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ByteDictionary, WordDictionary } from '../src/dictionary.ts';

/** PLAIN BYTE_ARRAY values laid end to end. */
function plain(values: readonly string[]): Buffer {
  return Buffer.concat(
    values.map((v) => {
      const b = Buffer.from(v, 'utf8');
      const len = Buffer.alloc(4);
      len.writeUInt32LE(b.length);
      return Buffer.concat([len, b]);
    }),
  );
}

describe('ByteDictionary', () => {
  it('gives indices in first-seen order and keeps the entries in PLAIN form', () => {
    const d = new ByteDictionary(0);
    const out = new Uint32Array(6);
    assert.equal(d.encode(plain(['b', 'a', 'b', 'b', '', 'a']), 0, 6, out, 1 << 20), true);
    assert.deepEqual([...out], [0, 1, 0, 0, 2, 1]);
    assert.equal(d.count, 3);
    assert.deepEqual(Buffer.from(d.plain()), plain(['b', 'a', '']));
    // A later page reuses the entries.
    assert.equal(d.encode(plain(['', 'c', 'b']), 0, 3, out, 1 << 20), true);
    assert.deepEqual([...out.subarray(0, 3)], [2, 3, 0]);
  });

  it('tells apart values that share a hash bucket or a prefix, over many entries', () => {
    const d = new ByteDictionary(0);
    const values = Array.from({ length: 5000 }, (_, i) => `v${i % 2500}${i % 2500 === 7 ? '' : 'x'}`);
    const out = new Uint32Array(values.length);
    assert.equal(d.encode(plain(values), 0, values.length, out, 1 << 20), true);
    assert.equal(d.count, 2500);
    for (let i = 0; i < values.length; i++) assert.equal(out[i], i % 2500);
  });

  it('refuses a page whose new values would pass the limit and forgets that page entirely', () => {
    const d = new ByteDictionary(0);
    const out = new Uint32Array(4);
    assert.equal(d.encode(plain(['aaaa', 'bbbb']), 0, 2, out, 20), true);
    assert.equal(d.byteLength, 16);
    // 'cccc' would make 24 bytes: the page is refused as a whole.
    assert.equal(d.encode(plain(['aaaa', 'cccc']), 0, 2, out, 20), false);
    assert.equal(d.count, 2);
    assert.deepEqual(Buffer.from(d.plain()), plain(['aaaa', 'bbbb']));
    // The refused value is not found afterwards: it was never added.
    assert.equal(d.encode(plain(['cccc']), 0, 1, out, 1 << 20), true);
    assert.equal(out[0], 2);
  });

  it('takes fixed-width values (INT96, FIXED_LEN_BYTE_ARRAY) without a length prefix', () => {
    const d = new ByteDictionary(3);
    const out = new Uint32Array(4);
    assert.equal(d.encode(Buffer.from([1, 2, 3, 0, 0, 0, 1, 2, 3, 1, 2, 4]), 0, 4, out, 1 << 20), true);
    assert.deepEqual([...out], [0, 1, 0, 2]);
    assert.deepEqual([...d.plain()], [1, 2, 3, 0, 0, 0, 1, 2, 4]);
  });
});

describe('WordDictionary', () => {
  it('keys 64-bit values on both words', () => {
    const d = new WordDictionary(2);
    const src = new Int32Array([1, 0, 1, 1, 1, 0, 0, 1]);
    const out = new Uint32Array(4);
    assert.equal(d.encode(src, 4, out, 1 << 20), true);
    assert.deepEqual([...out], [0, 1, 0, 2]);
    assert.deepEqual([...new Int32Array(d.plain().buffer.slice(0, 24))].slice(0, 6), [1, 0, 1, 1, 0, 1]);
  });

  it('compares doubles bit for bit: -0 and 0, and two NaN payloads, are distinct entries', () => {
    const d = new WordDictionary(2);
    const f = new Float64Array([0, -0, NaN, 0, -0]);
    const nan2 = new DataView(f.buffer);
    nan2.setUint32(8 * 4, 0x7ff80001, true);
    nan2.setUint32(8 * 4 + 4, 0x7ff80000, true);
    const out = new Uint32Array(5);
    assert.equal(d.encode(new Int32Array(f.buffer), 5, out, 1 << 20), true);
    assert.deepEqual([...out], [0, 1, 2, 0, 3]);
  });

  it('grows past its first table and refuses past the byte limit', () => {
    const d = new WordDictionary(1);
    const src = Int32Array.from({ length: 10_000 }, (_, i) => (i * 7919) % 3000);
    const out = new Uint32Array(src.length);
    assert.equal(d.encode(src, src.length, out, 1 << 20), true);
    assert.equal(d.count, 3000);
    for (let i = 0; i < src.length; i++) assert.equal(d.plain().readInt32LE(4 * (out[i] as number)), src[i]);
    assert.equal(d.encode(Int32Array.of(5000, 1), 2, out, 3000 * 4), false);
    assert.equal(d.count, 3000);
  });
});
