import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Type } from 'avsc';
import fc from 'fast-check';
import type { Arbitrary } from 'fast-check';
import { createType } from '../src/avro-type.ts';
import { defineEvent } from '../src/codec.ts';
import type { ValueRepresentation } from '../src/longs.ts';
import { checkedWriter } from '../src/writer.ts';

// Every Avro type, nested, with defaults, both union forms, a recursive record and the four logical types.
const EVERYTHING = {
  type: 'record',
  name: 'Everything',
  namespace: 'com.acme.test',
  fields: [
    { name: 'n', type: 'null' },
    { name: 'b', type: 'boolean' },
    { name: 'i', type: 'int' },
    { name: 'l', type: 'long' },
    { name: 'f', type: 'float' },
    { name: 'd', type: 'double' },
    { name: 's', type: 'string' },
    { name: 'by', type: 'bytes' },
    { name: 'fx', type: { type: 'fixed', name: 'F4', size: 4 } },
    { name: 'e', type: { type: 'enum', name: 'E', symbols: ['A', 'B', 'C'] } },
    { name: 'a', type: { type: 'array', items: 'long' } },
    { name: 'm', type: { type: 'map', values: ['null', 'string'] } },
    { name: 'u', type: ['null', 'int', 'string', { type: 'array', items: 'E' }] },
    { name: 'w', type: ['null', 'int', 'long'], default: null },
    {
      name: 'node',
      type: {
        type: 'record',
        name: 'Node',
        fields: [
          { name: 'x', type: 'int' },
          { name: 'next', type: ['null', 'Node'], default: null },
        ],
      },
    },
    { name: 'obj', type: ['null', 'Node', { type: 'map', values: 'int' }] },
    { name: 'ts', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'maybe_ts', type: ['null', { type: 'long', logicalType: 'timestamp-millis' }], default: null },
    { name: 'day', type: { type: 'int', logicalType: 'date' } },
    { name: 'id', type: { type: 'string', logicalType: 'uuid' } },
    { name: 'maybe_id', type: ['null', { type: 'string', logicalType: 'uuid' }], default: null },
    {
      name: 'either',
      type: [
        { type: 'long', logicalType: 'timestamp-millis' },
        'int',
        { type: 'string', logicalType: 'uuid' },
      ],
    },
    { name: 'dec', type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 } },
    {
      name: 'decf',
      type: { type: 'fixed', name: 'D8', size: 8, logicalType: 'decimal', precision: 18, scale: 4 },
    },
    { name: 'micros', type: { type: 'long', logicalType: 'timestamp-micros' } },
    { name: 'def_s', type: 'string', default: 'USD' },
    { name: 'def_a', type: { type: 'array', items: 'int' }, default: [1, 2] },
    {
      name: 'def_r',
      type: { type: 'record', name: 'D', fields: [{ name: 'q', type: 'int', default: 3 }] },
      default: { q: 4 },
    },
    { name: 'def_b', type: 'boolean', default: false },
  ],
};

/** One value with every field set (the defaulted ones omitted). */
const NESTED = {
  n: null,
  b: true,
  i: -5,
  l: -(2 ** 52) - 1,
  f: 1.5,
  d: -0.1,
  s: 'né 😀',
  by: Buffer.from([1, 2]),
  fx: Buffer.from([1, 2, 3, 4]),
  e: 'C',
  a: [2 ** 40, -1],
  m: { k: 'v', z: null },
  u: ['A', 'B'],
  node: { x: 1, next: { x: 2, next: null } },
  obj: { map: { a: 1 } },
  ts: new Date('2026-11-29T12:00:00.123Z'),
  day: new Date('2026-11-29T00:00:00Z'),
  id: '6f1c2f0e-8a5b-4c1d-9e2f-0a1b2c3d4e5f',
  dec: '-12.5',
  decf: '123.4567',
  micros: 1_764_000_000_000_000,
  either: new Date(0),
};

interface Internals {
  typeName: string;
  fields?: readonly { name: string; type: Type; defaultValue(): unknown }[];
  types?: readonly (Type & { branchName: string })[];
  itemsType?: Type;
  valuesType?: Type;
  symbols?: readonly string[];
  size?: number;
  underlyingType?: Type;
}

const DAY_MS = 86_400_000;

/** Values that are wrong almost everywhere, mixed into the valid ones to exercise every refusal. */
const plainJunk: Arbitrary<unknown> = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.string({ maxLength: 3 }),
  fc.constantFrom('A', '1', 'int', 'null'),
  fc.integer(),
  fc.constantFrom(2 ** 31, 2 ** 53, -(2 ** 53), 0.5, NaN, Infinity, -0),
  fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }),
  fc.boolean(),
  fc.constant(new Date(Number.NaN)),
  fc.date(),
  fc.uint8Array({ maxLength: 5 }).map((a) => Buffer.from(a)),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.constant({}),
  fc.constant({ int: 1, long: 2 }),
);

/**
 * Values avsc accepts only by coercion: an enum symbol as a String object, or a name its symbol lookup finds on
 * Object.prototype. The writer refuses them and leaves them to avsc.
 */
const coercions: Arbitrary<unknown> = fc.constantFrom(new String('A'), 'toString', '__proto__');

let junk = plainJunk;

/** Mostly valid values of `type`, each node replaced by junk now and then. */
function values(type: Type, long: ValueRepresentation, depth = 0): Arbitrary<unknown> {
  return fc.oneof({ arbitrary: valid(type, long, depth), weight: 40 }, { arbitrary: junk, weight: 1 });
}

function valid(type: Type, long: ValueRepresentation, depth: number): Arbitrary<unknown> {
  const t = type as unknown as Internals;
  const safeLong = fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.constantFrom(2 ** 30, -(2 ** 30) - 1));
  const bigLong = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
  switch (t.typeName) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'int':
      return fc.integer();
    case 'long':
      return long === 'lossless' ? fc.oneof(safeLong, bigLong) : safeLong;
    case 'abstract:long':
      return bigLong;
    case 'float':
    case 'double':
      return fc.double();
    case 'string':
      return fc.oneof(
        fc.string({ maxLength: 80 }),
        fc.string({ unit: 'binary', maxLength: 70 }),
        // Lone surrogates, which avsc writes its own way.
        fc.string({
          unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
          maxLength: 70,
        }),
      );
    case 'bytes':
      return fc.uint8Array({ maxLength: 20 }).map((a) => Buffer.from(a));
    case 'fixed':
      return fc.uint8Array({ minLength: t.size, maxLength: t.size }).map((a) => Buffer.from(a));
    case 'enum':
      return fc.constantFrom(...(t.symbols ?? []));
    case 'array':
      return fc.array(values(t.itemsType as Type, long, depth + 1), { maxLength: depth > 2 ? 0 : 4 });
    case 'map':
      return fc.dictionary(fc.string({ maxLength: 70 }), values(t.valuesType as Type, long, depth + 1), {
        maxKeys: depth > 2 ? 0 : 3,
      });
    case 'record': {
      const fields = t.fields ?? [];
      const shape: Record<string, Arbitrary<unknown>> = {};
      for (const f of fields) {
        // A recursive field stops at null once deep enough.
        shape[f.name] =
          depth > 2 && f.defaultValue() === null ? fc.constant(null) : values(f.type, long, depth + 1);
      }
      return fc.record(shape, {
        requiredKeys: fields.filter((f) => f.defaultValue() === undefined).map((f) => f.name),
      });
    }
    case 'union:unwrapped':
      return fc.oneof(...(t.types ?? []).map((b) => valid(b, long, depth + 1)));
    case 'union:wrapped':
      return fc.oneof(
        ...(t.types ?? []).map((b) =>
          b.branchName === 'null'
            ? fc.constant(null)
            : valid(b, long, depth + 1).map((v) => ({ [b.branchName]: v })),
        ),
      );
    case 'logical:timestamp-millis':
      return fc.date({ noInvalidDate: true });
    case 'logical:date':
      return fc.integer({ min: -1e8, max: 1e8 }).map((d) => new Date(d * DAY_MS));
    case 'logical:uuid':
      return fc.oneof(
        fc.uuid(),
        fc.uuid().map((u) => u.toUpperCase()),
        // One character changed: a digit, a dash out of place, a letter past f, a character whose low byte is hex.
        fc
          .tuple(fc.uuid(), fc.nat(35), fc.constantFrom('0', '-', 'g', 'G', 'é', '\u0130', '\u0161'))
          .map(([u, i, c]) => u.slice(0, i) + c + u.slice(i + 1)),
      );
    case 'logical:decimal':
      return fc
        .tuple(fc.boolean(), fc.stringMatching(/^\d{1,8}$/), fc.stringMatching(/^\d{0,2}$/))
        .map(
          ([negative, whole, fraction]) => `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`,
        );
    default:
      return valid(t.underlyingType ?? type, long, depth);
  }
}

/** The writer's decision and bytes, with a buffer just large enough so the overflow path runs too. */
function written(type: Type, value: unknown): Buffer | undefined {
  const write = checkedWriter(type);
  assert.ok(write);
  let buffer = Buffer.alloc(16);
  let end = write(value, buffer, 3);
  if (end > buffer.length) {
    buffer = Buffer.alloc(end);
    end = write(value, buffer, 3);
  }
  return end < 0 ? undefined : buffer.subarray(3, end);
}

function accepted(type: Type, value: unknown): boolean {
  try {
    return type.isValid(value);
  } catch {
    return false; // avsc's "ambiguous conversion"
  }
}

describe('checkedWriter', () => {
  for (const long of ['number', 'bigint', 'lossless'] as const) {
    it(`accepts exactly what avsc accepts and writes avsc's bytes (${long} longs)`, () => {
      const type = createType(EVERYTHING, long);
      junk = plainJunk;
      let valids = 0;
      fc.assert(
        fc.property(values(type, long), (value) => {
          const bytes = written(type, value);
          assert.equal(bytes !== undefined, accepted(type, value));
          if (bytes !== undefined) {
            valids++;
            assert.deepEqual(bytes, type.toBuffer(value));
          }
        }),
        { numRuns: 3000 },
      );
      assert.ok(valids > 300, `only ${valids} valid values were generated`);
    });

    it(`never accepts a value avsc refuses, with coercible values mixed in (${long} longs)`, () => {
      const type = createType(EVERYTHING, long);
      junk = fc.oneof(plainJunk, coercions);
      let refusedAccepted = 0;
      fc.assert(
        fc.property(values(type, long), (value) => {
          const bytes = written(type, value);
          if (bytes !== undefined) {
            assert.ok(accepted(type, value));
            assert.deepEqual(bytes, type.toBuffer(value));
          } else if (accepted(type, value)) {
            refusedAccepted++;
          }
        }),
        { numRuns: 2000 },
      );
      assert.ok(refusedAccepted > 0, 'no coercible value was generated');
    });
  }

  it('writes every field of a nested value, and an omitted field as its default', () => {
    const type = createType(EVERYTHING);
    assert.deepEqual(written(type, NESTED), type.toBuffer(NESTED));
    const decoded = type.fromBuffer(type.toBuffer(NESTED)) as Record<string, unknown>;
    assert.equal(decoded['def_s'], 'USD');
    assert.deepEqual(decoded['def_a'], [1, 2]);
  });

  it('refuses values avsc would take only by coercion, so that callers ask avsc', () => {
    const type = createType({ type: 'enum', name: 'E', symbols: ['A', 'B'] });
    assert.equal(type.isValid(new String('A')), true);
    assert.equal(written(type, new String('A')), undefined);
    // Object.prototype's names are found by avsc's symbol lookup but are not symbols.
    assert.equal(written(type, 'toString'), undefined);
  });

  it("is the codec's encode: avsc's bytes, and an invalid value still names every bad path", () => {
    const event = defineEvent<unknown>({
      subject: 'everything-value',
      topic: 'everything',
      fullname: 'com.acme.test.Everything',
      longs: 'number',
      schema: EVERYTHING,
    });
    assert.deepEqual(event.encode(NESTED), event.type.toBuffer(NESTED));
    assert.throws(() => event.encode({ ...NESTED, i: 'x', node: { x: 0.5 } }), {
      name: 'EventCodecError',
      code: 'INVALID_VALUE',
      message:
        'invalid everything-value value: i: expected int (32-bit integer), got string "x"; node.x: expected int (32-bit integer), got number 0.5',
    });
  });

  it('gives no writer for a type it does not reproduce (an avsc long without our exact code)', async () => {
    const avro = (await import('avsc')).default;
    assert.equal(checkedWriter(avro.Type.forSchema('long')), undefined);
    assert.equal(
      checkedWriter(avro.Type.forSchema({ type: 'array', items: 'long' })),
      undefined,
      'nor for a type holding one',
    );
    assert.ok(checkedWriter(avro.Type.forSchema({ type: 'map', values: 'string' })));
  });
});
