import assert from 'node:assert/strict';
import { test } from 'node:test';
import avro from 'avsc';
import { frame, HEADER_SIZE, readSchemaId, WireEncoder } from '../src/wire.ts';

const type = avro.Type.forSchema({
  type: 'record',
  name: 'R',
  fields: [
    { name: 's', type: 'string' },
    { name: 'n', type: 'long' },
  ],
});

test('frames: magic byte 0, big-endian 4-byte id, then the Avro body', () => {
  const body = type.toBuffer({ s: 'hi', n: 3 });
  const framed = frame(0x01020304, body);
  assert.deepEqual([...framed.subarray(0, HEADER_SIZE)], [0, 1, 2, 3, 4]);
  assert.deepEqual(framed.subarray(HEADER_SIZE), body);
});

test('the encoder writes the same bytes as avsc plus the header, for any id up to 2^32 - 1', () => {
  const encoder = new WireEncoder(16);
  for (const id of [0, 1, 255, 256, 0x7fffffff, 0xffffffff]) {
    const value = { s: 'x'.repeat(id % 50), n: id };
    const framed = encoder.encode(type, id, value);
    assert.deepEqual(framed, frame(id, type.toBuffer(value)));
    assert.equal(readSchemaId(framed), id);
  }
});

test('the encoder starts a new arena for values that do not fit, and never overwrites earlier views', () => {
  const encoder = new WireEncoder(8);
  const big = encoder.encode(type, 7, { s: 'y'.repeat(10_000), n: 1 });
  const small = encoder.encode(type, 7, { s: 'z', n: 2 });
  assert.deepEqual(
    type.fromBuffer(big.subarray(HEADER_SIZE)),
    type.fromBuffer(type.toBuffer({ s: 'y'.repeat(10_000), n: 1 })),
  );
  assert.equal((type.fromBuffer(small.subarray(HEADER_SIZE)) as { s: string }).s, 'z');
  assert.equal(
    (type.fromBuffer(big.subarray(HEADER_SIZE)) as { s: string }).s.length,
    10_000,
    'unchanged by the next encode',
  );
});

test('readSchemaId returns -1 for anything that is not the wire format', () => {
  const table: [string, Uint8Array, number][] = [
    ['empty', new Uint8Array(0), -1],
    ['short', Uint8Array.from([0, 0, 0, 1]), -1],
    ['wrong magic', Uint8Array.from([1, 0, 0, 0, 1]), -1],
    ['JSON', Buffer.from('{"a":1}'), -1],
    ['header only', Uint8Array.from([0, 0, 0, 0, 9]), 9],
    ['plain Uint8Array', Uint8Array.from([0, 0x80, 0, 0, 0, 42]), 0x80000000],
  ];
  for (const [name, bytes, id] of table) assert.equal(readSchemaId(bytes), id, name);
});

test('rejects ids that do not fit 4 bytes', () => {
  assert.throws(() => frame(-1, Buffer.alloc(0)), RangeError);
  assert.throws(() => frame(2 ** 32, Buffer.alloc(0)), RangeError);
  assert.throws(() => frame(1.5, Buffer.alloc(0)), RangeError);
});

test('records are packed back to back in one arena', () => {
  const encoder = new WireEncoder(1024);
  const a = encoder.encode(type, 1, { s: 'a', n: 1 });
  const b = encoder.encode(type, 2, { s: 'b', n: 2 });
  assert.equal(a.buffer, b.buffer);
  assert.equal(b.byteOffset, a.byteOffset + a.length);
  assert.equal(readSchemaId(b), 2);
});
