import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CodegenError } from '../src/errors.ts';
import { generateTypeScript } from '../src/generate.ts';
import { buildModel, standaloneSchema } from '../src/model.ts';
import type { TypeNode } from '../src/model.ts';
import { createType } from '@adlake/event-runtime';
import type { LongRepresentation } from '@adlake/event-runtime';
import { allocateNames, tsdoc, typeExpr, unionIsWrapped } from '../src/typescript.ts';
import type { TypeContext } from '../src/typescript.ts';
import { plain, typecheck, writeTempPackage } from './support.ts';

interface Row {
  name: string;
  schema: unknown;
  longs?: LongRepresentation;
  value: string;
  input?: string;
  /** A value as avsc returns it when decoding, and the same value as TypeScript source. */
  sample: unknown;
  sampleTs: string;
}

const FIXED = { type: 'fixed', name: 'Four', size: 4 };
const ENUM = { type: 'enum', name: 'Suit', symbols: ['HEARTS', 'SPADES'] };
const RECORD = {
  type: 'record',
  name: 'Point',
  fields: [
    { name: 'x', type: 'int' },
    { name: 'y', type: 'int', default: 0 },
  ],
};

// The mapping table of docs/codegen.md, checked three ways: the emitted expression, avsc's round trip of the
// sample, and a strict compile of the sample against the generated type.
const ROWS: Row[] = [
  { name: 'null', schema: 'null', value: 'null', sample: null, sampleTs: 'null' },
  { name: 'boolean', schema: 'boolean', value: 'boolean', sample: true, sampleTs: 'true' },
  { name: 'int', schema: 'int', value: 'number', sample: -7, sampleTs: '-7' },
  {
    name: 'long',
    schema: 'long',
    value: 'number',
    sample: 9_007_199_254_740_990,
    sampleTs: '9007199254740990',
  },
  {
    name: 'long bigint',
    schema: 'long',
    longs: 'bigint',
    value: 'bigint',
    sample: -(2n ** 63n),
    sampleTs: '-(2n ** 63n)',
  },
  { name: 'float', schema: 'float', value: 'number', sample: 0.5, sampleTs: '0.5' },
  { name: 'double', schema: 'double', value: 'number', sample: 0.1, sampleTs: '0.1' },
  { name: 'string', schema: 'string', value: 'string', sample: 'é', sampleTs: "'é'" },
  {
    name: 'bytes',
    schema: 'bytes',
    value: 'Buffer',
    sample: Buffer.from([0, 255]),
    sampleTs: 'Buffer.from([0, 255])',
  },
  {
    name: 'fixed',
    schema: FIXED,
    value: 'Four',
    sample: Buffer.from([1, 2, 3, 4]),
    sampleTs: 'Buffer.from([1, 2, 3, 4])',
  },
  { name: 'enum', schema: ENUM, value: 'Suit', sample: 'SPADES', sampleTs: "'SPADES'" },
  {
    name: 'record',
    schema: RECORD,
    value: 'Point',
    input: 'PointInput',
    sample: { x: 1, y: 2 },
    sampleTs: '{ x: 1, y: 2 }',
  },
  {
    name: 'array',
    schema: { type: 'array', items: 'string' },
    value: 'string[]',
    input: 'readonly string[]',
    sample: ['a', 'b'],
    sampleTs: "['a', 'b']",
  },
  {
    name: 'map',
    schema: { type: 'map', values: 'long' },
    value: '{ [key: string]: number }',
    sample: { a: 1, 'b c': 2 },
    sampleTs: "{ a: 1, 'b c': 2 }",
  },
  {
    name: 'timestamp-millis',
    schema: { type: 'long', logicalType: 'timestamp-millis' },
    value: 'Date',
    sample: new Date('2030-05-06T07:08:09.010Z'),
    sampleTs: "new Date('2030-05-06T07:08:09.010Z')",
  },
  {
    name: 'timestamp-micros',
    schema: { type: 'long', logicalType: 'timestamp-micros' },
    value: 'number',
    sample: 1_900_000_000_123_456,
    sampleTs: '1900000000123456',
  },
  {
    name: 'timestamp-micros bigint',
    schema: { type: 'long', logicalType: 'timestamp-micros' },
    longs: 'bigint',
    value: 'bigint',
    sample: 1_900_000_000_123_456n,
    sampleTs: '1900000000123456n',
  },
  {
    name: 'local-timestamp-millis',
    schema: { type: 'long', logicalType: 'local-timestamp-millis' },
    value: 'number',
    sample: 5,
    sampleTs: '5',
  },
  {
    name: 'date',
    schema: { type: 'int', logicalType: 'date' },
    value: 'Date',
    sample: new Date('1969-12-31T00:00:00Z'),
    sampleTs: "new Date('1969-12-31T00:00:00Z')",
  },
  {
    name: 'time-millis',
    schema: { type: 'int', logicalType: 'time-millis' },
    value: 'number',
    sample: 86_399_999,
    sampleTs: '86399999',
  },
  {
    name: 'time-micros',
    schema: { type: 'long', logicalType: 'time-micros' },
    value: 'number',
    sample: 86_399_999_999,
    sampleTs: '86399999999',
  },
  {
    name: 'decimal bytes',
    schema: { type: 'bytes', logicalType: 'decimal', precision: 9, scale: 3 },
    value: 'string',
    sample: '-123456.789',
    sampleTs: "'-123456.789'",
  },
  {
    name: 'decimal fixed',
    schema: { type: 'fixed', name: 'Cents', size: 3, logicalType: 'decimal', precision: 6, scale: 2 },
    value: 'Cents',
    sample: '9999.99',
    sampleTs: "'9999.99'",
  },
  {
    name: 'decimal with an invalid scale falls back to bytes',
    schema: { type: 'bytes', logicalType: 'decimal', precision: 2, scale: 3 },
    value: 'Buffer',
    sample: Buffer.from([1]),
    sampleTs: 'Buffer.from([1])',
  },
  {
    name: 'uuid',
    schema: { type: 'string', logicalType: 'uuid' },
    value: 'string',
    sample: '123e4567-e89b-12d3-a456-426614174000',
    sampleTs: "'123e4567-e89b-12d3-a456-426614174000'",
  },
  {
    name: 'uuid on bytes is ignored',
    schema: { type: 'bytes', logicalType: 'uuid' },
    value: 'Buffer',
    sample: Buffer.from('x'),
    sampleTs: "Buffer.from('x')",
  },
  {
    name: 'nullable union is unwrapped',
    schema: ['null', 'string'],
    value: 'null | string',
    sample: 'x',
    sampleTs: "'x'",
  },
  {
    name: 'unambiguous union is unwrapped',
    schema: [
      'null',
      'int',
      'string',
      'bytes',
      { type: 'array', items: 'int' },
      { type: 'map', values: 'int' },
    ],
    value: 'null | number | string | Buffer | number[] | { [key: string]: number }',
    input: 'null | number | string | Buffer | readonly number[] | { [key: string]: number }',
    sample: [3],
    sampleTs: '[3]',
  },
  {
    name: 'ambiguous union is wrapped by branch name',
    schema: ['null', 'int', 'long', { type: 'array', items: 'int' }],
    value: 'null | { int: number } | { long: number } | { array: number[] }',
    input: 'null | { int: number } | { long: number } | { array: readonly number[] }',
    sample: { long: 4 },
    sampleTs: '{ long: 4 }',
  },
  {
    name: 'int and bigint long are unambiguous',
    schema: ['null', 'int', 'long'],
    longs: 'bigint',
    value: 'null | number | bigint',
    sample: 4n,
    sampleTs: '4n',
  },
  {
    name: 'two records are wrapped by full name',
    schema: ['null', RECORD, { type: 'record', name: 'other.Line', fields: [] }],
    value: 'null | { "t.Point": Point } | { "other.Line": Line }',
    input: 'null | { "t.Point": PointInput } | { "other.Line": LineInput }',
    sample: { 'other.Line': {} },
    sampleTs: "{ 'other.Line': {} }",
  },
  {
    name: 'logical branch in a wrapped union is keyed by its underlying type',
    schema: ['float', 'double', { type: 'long', logicalType: 'timestamp-millis' }],
    value: '{ float: number } | { double: number } | { long: Date }',
    sample: { long: new Date(1) },
    sampleTs: '{ long: new Date(1) }',
  },
  {
    name: 'nullable timestamp is unwrapped',
    schema: ['null', { type: 'long', logicalType: 'timestamp-millis' }],
    value: 'null | Date',
    sample: new Date(2),
    sampleTs: 'new Date(2)',
  },
  {
    name: 'string and uuid-less enum share a bucket: wrapped',
    schema: ['string', ENUM],
    value: '{ string: string } | { "t.Suit": Suit }',
    sample: { 't.Suit': 'HEARTS' },
    sampleTs: "{ 't.Suit': 'HEARTS' }",
  },
];

function wrapper(schema: unknown): unknown {
  return { type: 'record', name: 'W', namespace: 't', fields: [{ name: 'f', type: schema }] };
}

function context(schema: unknown, longs: LongRepresentation): { ctx: TypeContext; node: TypeNode } {
  const model = buildModel([{ file: 'w.avsc', json: wrapper(schema), subject: 'w' }]);
  const w = model.named.get('t.W');
  assert.ok(w && w.kind === 'record' && w.fields[0]);
  const names = allocateNames([...model.named.values()]);
  return { ctx: { model, longs, names, prefix: '' }, node: w.fields[0].type };
}

describe('Avro → TypeScript mapping', () => {
  for (const row of ROWS) {
    it(`${row.name}: ${row.value}`, () => {
      const longs = row.longs ?? 'number';
      const { ctx, node } = context(row.schema, longs);
      assert.equal(typeExpr(node, 'value', ctx), row.value);
      assert.equal(typeExpr(node, 'input', ctx), row.input ?? row.value);
      // The sample is exactly what avsc hands back.
      const type = createType(standaloneSchema(ctx.model, { kind: 'named', fullname: 't.W' }), longs);
      const decoded = type.fromBuffer(type.toBuffer({ f: row.sample })) as { f: unknown };
      assert.deepStrictEqual(plain(decoded.f), plain(row.sample));
    });
  }

  for (const longs of ['number', 'bigint'] as const) {
    it(`every sample type-checks against the generated type (longs: ${longs})`, async () => {
      const rows = ROWS.filter((r) => (r.longs ?? 'number') === longs);
      const fields = rows.map((r, i) => ({ name: `f${i}`, type: r.schema }));
      // Named types may occur once per schema; later rows reference them by name.
      const seen = new Set<string>();
      const dedupe = (schema: unknown): unknown => {
        if (Array.isArray(schema)) return schema.map(dedupe);
        if (typeof schema !== 'object' || schema === null) return schema;
        const s = schema as Record<string, unknown>;
        if (typeof s['name'] === 'string') {
          if (seen.has(s['name'])) return s['name'];
          seen.add(s['name']);
        }
        return s;
      };
      const json = {
        type: 'record',
        name: 'All',
        namespace: 't',
        fields: fields.map((f) => ({ ...f, type: dedupe(f.type) })),
      };
      const result = generateTypeScript({ schemas: [{ file: 'all.avsc', json, subject: 'all' }] }, { longs });
      const pkg = writeTempPackage(result.files);
      try {
        pkg.write(
          'samples.ts',
          `import type { All } from './index.ts';\nexport const samples: All = {\n${rows
            .map((r, i) => `  f${i}: ${r.sampleTs},\n`)
            .join('')}};\n`,
        );
        assert.deepEqual(typecheck(pkg.dir, ['samples.ts']), []);
        const { All } = await pkg.load<{ All: { encode(v: unknown): Buffer; decode(b: Buffer): unknown } }>(
          'index.ts',
        );
        const sample = Object.fromEntries(rows.map((r, i) => [`f${i}`, r.sample]));
        assert.deepStrictEqual(plain(All.decode(All.encode(sample))), plain(sample));
      } finally {
        pkg.remove();
      }
    });
  }
});

const UNIONS: unknown[][] = [
  ['null', 'string'],
  ['null', 'int', 'long'],
  ['int', 'string', 'boolean'],
  ['float', 'double'],
  ['bytes', FIXED],
  ['string', ENUM],
  [RECORD, { type: 'map', values: 'int' }],
  [
    { type: 'array', items: 'int' },
    { type: 'map', values: 'int' },
  ],
  ['null', { type: 'long', logicalType: 'timestamp-millis' }, 'string'],
  ['long', { type: 'int', logicalType: 'date' }],
  ['int', { type: 'long', logicalType: 'timestamp-micros' }],
  ['null', { type: 'bytes', logicalType: 'decimal', precision: 4, scale: 2 }],
];

describe('union wrapping mirrors avsc wrapUnions "auto"', () => {
  for (const longs of ['number', 'bigint'] as const) {
    for (const union of UNIONS) {
      it(`${JSON.stringify(union)} with ${longs} longs`, () => {
        const { ctx, node } = context(union, longs);
        assert.equal(node.kind, 'union');
        const type = createType(
          standaloneSchema(ctx.model, { kind: 'named', fullname: 't.W' }),
          longs,
        ) as unknown as {
          field(name: string): { type: { typeName: string } };
        };
        assert.equal(
          node.kind === 'union' && unionIsWrapped(node, ctx),
          type.field('f').type.typeName === 'union:wrapped',
        );
      });
    }
  }

  it('refuses a union avsc would leave unwrapped but cannot resolve (Date vs record)', () => {
    const { ctx, node } = context(['null', RECORD, { type: 'int', logicalType: 'date' }], 'number');
    assert.ok(node.kind === 'union');
    assert.throws(
      () => unionIsWrapped(node, ctx),
      (e: unknown) => e instanceof CodegenError && e.code === 'CODEGEN_FAILED',
    );
  });
});

describe('allocateNames', () => {
  it('uses simple names, qualifies clashing ones and avoids reserved globals', () => {
    const model = buildModel([
      {
        file: 'x.avsc',
        subject: 'x',
        json: {
          type: 'record',
          name: 'a.X',
          fields: [
            { name: 'one', type: { type: 'record', name: 'b.Device', fields: [] } },
            { name: 'two', type: { type: 'record', name: 'c.Device', fields: [] } },
            { name: 'three', type: { type: 'record', name: 'c.Date', fields: [] } },
            { name: 'four', type: { type: 'enum', name: 'c.lower_case', symbols: ['A'] } },
            // index.ts re-exports this name from @adlake/event-runtime.
            { name: 'five', type: { type: 'record', name: 'c.AvroRangeError', fields: [] } },
          ],
        },
      },
    ]);
    assert.deepEqual(Object.fromEntries(allocateNames([...model.named.values()])), {
      'a.X': 'X',
      'b.Device': 'BDevice',
      'c.Device': 'CDevice',
      'c.Date': 'CDate',
      'c.lower_case': 'LowerCase',
      'c.AvroRangeError': 'CAvroRangeError',
    });
  });
});

describe('tsdoc', () => {
  it('renders one line, several lines, and escapes a comment terminator', () => {
    assert.equal(tsdoc(['one']), '/** one */\n');
    assert.equal(tsdoc(['a */ b', '', 'c'], '  '), '  /**\n   * a *\\/ b\n   *\n   * c\n   */\n');
    assert.equal(tsdoc([]), '');
  });
});
