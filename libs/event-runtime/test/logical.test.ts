import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createType } from '../src/avro-type.ts';
import {
  decimalSpec,
  formatDecimal,
  fromTwosComplement,
  parseDecimal,
  supportedLogicalType,
  toTwosComplement,
} from '../src/logical.ts';

describe('decimal helpers', () => {
  const cases: [string, number, number, bigint | undefined][] = [
    ['12.34', 4, 2, 1234n],
    ['12.3', 4, 2, 1230n],
    ['-0.01', 3, 2, -1n],
    ['007', 1, 0, 7n],
    ['12.345', 5, 2, undefined], // would need rounding
    ['123.45', 4, 2, undefined], // exceeds precision
    ['1e3', 4, 0, undefined],
    ['.5', 2, 1, undefined],
  ];
  for (const [text, precision, scale, expected] of cases) {
    it(`parses ${text} as decimal(${precision},${scale})`, () => {
      assert.equal(parseDecimal(text, precision, scale), expected);
    });
  }

  it('formats with exactly scale fraction digits', () => {
    assert.equal(formatDecimal(1230n, 2), '12.30');
    assert.equal(formatDecimal(-1n, 2), '-0.01');
    assert.equal(formatDecimal(7n, 0), '7');
  });

  it('round-trips two’s complement, minimal and sign-extended', () => {
    for (const n of [0n, 1n, -1n, 127n, 128n, -128n, -129n, 2n ** 70n, -(2n ** 70n)]) {
      const minimal = toTwosComplement(n);
      assert.ok(minimal);
      assert.equal(fromTwosComplement(minimal), n);
      const fixed = toTwosComplement(n, 12);
      assert.ok(fixed);
      assert.equal(fixed.length, 12);
      assert.equal(fromTwosComplement(fixed), n);
    }
    assert.deepEqual(toTwosComplement(128n), Buffer.from([0, 128]));
    assert.equal(toTwosComplement(128n, 1), undefined);
  });

  it('accepts decimal parameters only when the spec allows them', () => {
    assert.deepEqual(decimalSpec({ type: 'bytes', logicalType: 'decimal', precision: 5 }), {
      precision: 5,
      scale: 0,
      size: undefined,
    });
    // floor(log10(2^15 - 1)) = 4 digits fit in 2 bytes.
    assert.ok(decimalSpec({ type: 'fixed', size: 2, logicalType: 'decimal', precision: 4 }));
    assert.equal(decimalSpec({ type: 'fixed', size: 2, logicalType: 'decimal', precision: 5 }), undefined);
    assert.equal(decimalSpec({ type: 'bytes', logicalType: 'decimal', precision: 0 }), undefined);
    assert.equal(decimalSpec({ type: 'bytes', logicalType: 'decimal', precision: 2, scale: 3 }), undefined);
    assert.equal(supportedLogicalType({ type: 'string', logicalType: 'decimal', precision: 2 }), undefined);
  });
});

describe('logical types', () => {
  it('date rejects a Date with a time of day instead of truncating it', () => {
    const type = createType({ type: 'int', logicalType: 'date' });
    assert.equal(type.isValid(new Date('2024-02-29T00:00:00Z')), true);
    assert.equal(type.isValid(new Date('2024-02-29T12:00:00Z')), false);
    assert.equal(type.isValid(new Date(Number.NaN)), false);
  });

  it('uuid checks the textual form', () => {
    const type = createType({ type: 'string', logicalType: 'uuid' });
    assert.equal(type.isValid('123e4567-e89b-12d3-a456-426614174000'), true);
    assert.equal(type.isValid('not-a-uuid'), false);
  });

  it('decimal writes the same bytes as the unscaled two’s complement integer', () => {
    const decimal = createType({ type: 'bytes', logicalType: 'decimal', precision: 6, scale: 2 });
    const bytes = createType('bytes');
    assert.deepEqual(decimal.toBuffer('-1.29'), bytes.toBuffer(Buffer.from([0xff, 0x7f])));
    assert.deepEqual(decimal.toBuffer('-1.28'), bytes.toBuffer(Buffer.from([0x80])));
    assert.equal(decimal.fromBuffer(decimal.toBuffer('3')), '3.00');
  });

  it('timestamp-millis resolves a plain long writer into Dates', () => {
    const reader = createType({ type: 'long', logicalType: 'timestamp-millis' });
    const writer = createType('long');
    const resolver = reader.createResolver(writer);
    assert.deepEqual(reader.fromBuffer(writer.toBuffer(1000), resolver), new Date(1000));
  });
});
