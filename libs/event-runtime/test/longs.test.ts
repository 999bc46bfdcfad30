import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { createType } from '../src/avro-type.ts';
import { AvroRangeError, EventCodecError } from '../src/errors.ts';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** The Avro spec's encoding, written the obvious way with bigints: zigzag to 64 bits, then 7 bits a byte. */
function referenceVarint(n: bigint): Buffer {
  let u = BigInt.asUintN(64, (n << 1n) ^ (n >> 63n));
  const out: number[] = [];
  while (u > 0x7fn) {
    out.push(Number(u & 0x7fn) | 0x80);
    u >>= 7n;
  }
  out.push(Number(u));
  return Buffer.from(out);
}

/** ±(2^k ± 1) for every k, the safe-range edges and the int64 extremes. */
const BOUNDARIES: bigint[] = [0n, 1n, -1n, INT64_MIN, INT64_MAX, SAFE, -SAFE, SAFE + 1n, -SAFE - 1n];
for (let k = 1n; k < 63n; k++) {
  for (const d of [-1n, 0n, 1n]) BOUNDARIES.push(2n ** k + d, -(2n ** k) + d);
}
const int64 = fc.oneof(fc.bigInt({ min: INT64_MIN, max: INT64_MAX }), fc.constantFrom(...BOUNDARIES));

const numberLong = createType('long', 'number');
const bigintLong = createType('long', 'bigint');
const losslessLong = createType('long', 'lossless');

test('every 64-bit long encodes to the spec bytes and decodes to itself, in all three representations', () => {
  fc.assert(
    fc.property(int64, (n) => {
      const bytes = referenceVarint(n);
      assert.deepEqual(bigintLong.toBuffer(n), bytes);
      assert.equal(bigintLong.fromBuffer(bytes), n);
      const safe = n >= -SAFE && n <= SAFE;
      const lossless = losslessLong.fromBuffer(bytes);
      assert.equal(typeof lossless, safe ? 'number' : 'bigint');
      assert.equal(BigInt(lossless as number | bigint), n);
      assert.deepEqual(losslessLong.toBuffer(lossless), bytes);
      if (safe) {
        assert.deepEqual(numberLong.toBuffer(Number(n)), bytes);
        assert.equal(numberLong.fromBuffer(bytes), Number(n));
      } else {
        // Never a nearby number: the value it cannot hold, named.
        assert.throws(
          () => numberLong.fromBuffer(bytes),
          (e: unknown) => e instanceof AvroRangeError && e.value === n,
        );
      }
    }),
    { numRuns: 20_000 },
  );
});

test('the values avsc 5.7 corrupted read back exactly', () => {
  for (const n of [-4503599627370497, -9007199254740991, -(2 ** 52) - 3, 2 ** 53 - 1]) {
    assert.equal(numberLong.fromBuffer(referenceVarint(BigInt(n))), n);
    assert.deepEqual(numberLong.toBuffer(n), referenceVarint(BigInt(n)));
  }
});

test('number longs refuse unsafe numbers on write instead of rounding them', () => {
  assert.throws(
    () => numberLong.toBuffer(2 ** 53),
    (e: unknown) =>
      e instanceof EventCodecError && e.code === 'INVALID_VALUE' && /invalid "long"/.test(e.message),
  );
  assert.throws(() => numberLong.toBuffer(1.5), /invalid "long"/);
  assert.equal(numberLong.isValid(Number.MAX_SAFE_INTEGER), true);
  assert.equal(numberLong.isValid(-Number.MAX_SAFE_INTEGER), true);
});

test('a varint longer than 64 bits is an error, not a value', () => {
  const eleven = Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
  const malformed = (reason: RegExp) => (e: unknown) =>
    e instanceof EventCodecError && e.code === 'DECODE_FAILED' && !e.retriable && reason.test(e.message);
  assert.throws(
    () => losslessLong.fromBuffer(eleven),
    malformed(/invalid long: (more than 64 bits|varint longer than 10 bytes)/),
  );
  assert.throws(
    () => losslessLong.fromBuffer(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f])),
    malformed(/more than 64 bits/),
  );
});

test('a truncated varint is reported as truncated', () => {
  assert.throws(() => losslessLong.fromBuffer(Buffer.from([0x80, 0x80])), /truncated/);
});

const record = (fields: unknown[]) => ({ type: 'record', name: 'R', fields });

test('a long writer read as double or float is promoted from the exact value', () => {
  const writer = createType(record([{ name: 'v', type: 'long' }]), 'bigint');
  const reader = createType(record([{ name: 'v', type: 'double' }]));
  const floatReader = createType(record([{ name: 'v', type: 'float' }]), 'lossless');
  fc.assert(
    fc.property(int64, (n) => {
      const bytes = writer.toBuffer({ v: n });
      assert.equal((reader.fromBuffer(bytes, reader.createResolver(writer)) as { v: number }).v, Number(n));
      const f = (floatReader.fromBuffer(bytes, floatReader.createResolver(writer)) as { v: number }).v;
      assert.equal(Math.fround(f), Math.fround(Number(n)));
    }),
  );
});

test('an int writer read as long keeps its value in every representation', () => {
  const writer = createType(record([{ name: 'v', type: 'int' }]));
  for (const values of ['number', 'bigint', 'lossless'] as const) {
    const reader = createType(record([{ name: 'v', type: 'long' }]), values);
    const v = (
      reader.fromBuffer(writer.toBuffer({ v: -(2 ** 31) }), reader.createResolver(writer)) as {
        v: unknown;
      }
    ).v;
    assert.equal(BigInt(v as number), -(2n ** 31n), values);
  }
});

test('timestamps and dates beyond a Date are range errors in a class, raw values when lossless', () => {
  const schema = record([
    { name: 't', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'd', type: { type: 'int', logicalType: 'date' } },
  ]);
  const lossless = createType(schema, 'lossless');
  for (const values of ['number', 'bigint'] as const) {
    const type = createType(schema, values);
    const big = lossless.toBuffer({ t: 2n ** 62n, d: 0 });
    assert.throws(() => type.fromBuffer(big), /beyond ±\(2\^53−1\)|beyond the range of a JavaScript Date/);
    const far = lossless.toBuffer({ t: 8.64e15 + 1, d: 0 });
    assert.throws(
      () => type.fromBuffer(far),
      (e: unknown) => e instanceof AvroRangeError && e.value === 8.64e15 + 1,
    );
    const farDay = lossless.toBuffer({ t: 0, d: 2 ** 31 - 1 });
    assert.throws(
      () => type.fromBuffer(farDay),
      (e: unknown) => e instanceof AvroRangeError && e.value === 2 ** 31 - 1,
    );
    // Inside the range: the exact millisecond, also from the old lossy band beyond 2^52.
    const edge = lossless.toBuffer({ t: -(2 ** 52) - 1, d: -(10 ** 8) });
    const value = type.fromBuffer(edge) as { t: Date; d: Date };
    assert.equal(value.t.getTime(), -(2 ** 52) - 1);
    assert.equal(value.d.getTime(), -(10 ** 8) * 86_400_000);
  }
  const raw = lossless.fromBuffer(lossless.toBuffer({ t: INT64_MIN, d: 2 ** 31 - 1 })) as {
    t: bigint;
    d: number;
  };
  assert.equal(raw.t, INT64_MIN);
  assert.equal(raw.d, 2 ** 31 - 1);
});
