// The direct path (Avro bytes straight into the Parquet columns) against the row path (the SDK's lossless
// decode, then append): random values of every Avro type, extremes included, and random corruptions of their
// bodies go through both; the decode outcomes, the day buckets and the finished files must be identical.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { createType, defineEvent } from '@adlake/event-runtime';
import { createWireDecoder, frame } from '@adlake/sdk';
import type { RegisteredSchema, RegistryClient } from '@adlake/sdk';
import { compileDirectReader, createParquetFileWriter, DailyPartitioner, EncodedRecord } from '@adlake/sink';
import { AdClick, AdEngagement, AdImpression } from '@adlake/events';
import { AdServerSimulator } from '@adlake/simulator';
import { placeRecord, recordDecoder } from '../src/records.ts';

type Json = Record<string, unknown>;

const fixed = { type: 'fixed', name: 'Fx', size: 5 };
const color = { type: 'enum', name: 'Color', symbols: ['RED', 'GREEN', 'BLUE'] };
const decBytes = { type: 'bytes', logicalType: 'decimal', precision: 18, scale: 9 };
const ALL = {
  type: 'record',
  name: 'AllTypes',
  namespace: 'com.example',
  fields: [
    { name: 'event_time', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'b', type: 'boolean' },
    { name: 'i', type: 'int' },
    { name: 'l', type: 'long' },
    { name: 'f', type: 'float' },
    { name: 'd', type: 'double' },
    { name: 's', type: 'string' },
    { name: 'by', type: 'bytes' },
    { name: 'fx', type: fixed },
    { name: 'e', type: color },
    { name: 'u', type: { type: 'string', logicalType: 'uuid' } },
    { name: 'dt', type: { type: 'int', logicalType: 'date' } },
    { name: 'tm', type: { type: 'int', logicalType: 'time-millis' } },
    { name: 'tu', type: { type: 'long', logicalType: 'time-micros' } },
    { name: 'tsu', type: { type: 'long', logicalType: 'timestamp-micros' } },
    { name: 'ltm', type: { type: 'long', logicalType: 'local-timestamp-millis' } },
    { name: 'ltu', type: { type: 'long', logicalType: 'local-timestamp-micros' } },
    { name: 'decb', type: decBytes },
    {
      name: 'decf',
      type: { type: 'fixed', name: 'DecF', size: 16, logicalType: 'decimal', precision: 38, scale: 4 },
    },
    { name: 'ob', type: ['null', 'boolean'] },
    { name: 'oi', type: ['null', 'int'] },
    { name: 'ol', type: ['long', 'null'] },
    { name: 'of', type: ['null', 'float'] },
    { name: 'os', type: ['null', 'string'] },
    { name: 'oby', type: ['null', 'bytes'] },
    { name: 'ofx', type: ['null', 'Fx'] },
    { name: 'oe', type: ['null', 'Color'] },
    { name: 'odec', type: ['null', { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 }] },
    {
      name: 'orec',
      type: [
        'null',
        {
          type: 'record',
          name: 'Inner',
          fields: [
            { name: 'x', type: 'long' },
            { name: 'y', type: ['null', 'string'] },
            { name: 'z', type: { type: 'array', items: 'int' } },
          ],
        },
      ],
    },
    { name: 'al', type: { type: 'array', items: 'long' } },
    { name: 'as', type: { type: 'array', items: 'string' } },
    { name: 'an', type: { type: 'array', items: ['null', 'double'] } },
    {
      name: 'ar',
      type: {
        type: 'array',
        items: {
          type: 'record',
          name: 'Pair',
          fields: [
            { name: 'k', type: 'string' },
            { name: 'v', type: { type: 'array', items: 'long' } },
          ],
        },
      },
    },
    { name: 'aa', type: { type: 'array', items: { type: 'array', items: 'int' } } },
    { name: 'ml', type: { type: 'map', values: 'long' } },
    { name: 'ms', type: { type: 'map', values: ['null', 'string'] } },
    {
      name: 'mr',
      type: { type: 'map', values: { type: 'record', name: 'Q', fields: [{ name: 'q', type: 'int' }] } },
    },
    { name: 'ma', type: { type: 'map', values: { type: 'array', items: 'string' } } },
    { name: 'one', type: ['string'] },
    {
      name: 'rec',
      type: {
        type: 'record',
        name: 'Nested',
        fields: [
          { name: 'a', type: 'int' },
          { name: 'm', type: { type: 'map', values: 'int' } },
        ],
      },
    },
  ],
};

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const long = fc
  .oneof(
    fc.bigInt({ min: INT64_MIN, max: INT64_MAX }),
    fc.constantFrom(INT64_MIN, INT64_MAX, SAFE, -SAFE, SAFE + 1n, -SAFE - 1n, 0n, -1n),
    fc.bigInt({ min: 0n, max: 4_102_444_800_000n }),
  )
  .map((v) => (v >= -SAFE && v <= SAFE ? Number(v) : v));
const text = fc.oneof(
  fc.string({ unit: 'binary-ascii', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
);
// Mostly keys objects keep as they are; now and then one they treat specially (numeric, `__proto__`, non-ASCII).
const key = fc.oneof(
  { arbitrary: fc.stringMatching(/^[a-z_][a-z0-9_-]{0,6}$/), weight: 40 },
  { arbitrary: fc.constantFrom('0', '12', 'é', '__proto__'), weight: 1 },
  { arbitrary: text, weight: 1 },
);

/** Lossless values of a schema (longs as numbers when safe, bigints beyond, logical types as underlying). */
function arb(type: unknown, named: Map<string, unknown>): fc.Arbitrary<unknown> {
  if (typeof type === 'string') {
    switch (type) {
      case 'null':
        return fc.constant(null);
      case 'boolean':
        return fc.boolean();
      case 'int':
        return fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
      case 'long':
        return long;
      case 'float':
        return fc.float();
      case 'double':
        return fc.double();
      case 'string':
        return text;
      case 'bytes':
        return fc.uint8Array({ maxLength: 24 }).map((b) => Buffer.from(b));
      default:
        return arb(named.get(type) ?? named.get(`com.example.${type}`), named);
    }
  }
  // avsc tells an unwrapped union's branch by the value's JavaScript type, and knows no bigint.
  if (Array.isArray(type))
    return fc.oneof(...type.map((t) => (t === 'long' ? fc.maxSafeInteger() : arb(t, named))));
  const t = type as Json;
  if (typeof t['name'] === 'string') named.set(t['name'], t);
  switch (t['type']) {
    case 'record':
      return fc.record(
        Object.fromEntries((t['fields'] as Json[]).map((f) => [f['name'] as string, arb(f['type'], named)])),
      );
    case 'enum':
      return fc.constantFrom(...(t['symbols'] as string[]));
    case 'fixed': {
      const size = t['size'] as number;
      return fc.uint8Array({ minLength: size, maxLength: size }).map((b) => Buffer.from(b));
    }
    case 'array':
      return fc.array(arb(t['items'], named), { maxLength: 4 });
    case 'map':
      return fc.dictionary(key, arb(t['values'], named), { maxKeys: 4 });
    case 'bytes':
      if (t['logicalType'] === 'decimal') return fc.uint8Array({ maxLength: 10 }).map((b) => Buffer.from(b));
      return arb('bytes', named);
    default:
      return arb(t['type'], named);
  }
}

function registryWith(schema: unknown): RegistryClient {
  const registered: RegisteredSchema = {
    id: 7,
    schema: JSON.stringify(schema),
    references: [],
    subject: 's',
  };
  return {
    schemaById: async (id) => (id === 7 ? registered : undefined),
    lookup: async () => undefined,
    versions: async () => undefined,
    version: async () => undefined,
    register: async () => 7,
  };
}

interface Outcome {
  ok: boolean;
  code?: string;
  error?: string;
  place?: unknown;
}

/**
 * Sends the same framed records through the row path and the direct path; returns how many took the direct
 * path after asserting that both said and wrote the same.
 */
async function compare(schema: unknown, bodies: readonly Buffer[], onlyDirect = false): Promise<number> {
  const readerClass = defineEvent({
    subject: 's',
    topic: undefined,
    fullname: undefined,
    schema: schema as never,
    longs: 'bigint',
  });
  const decoder = createWireDecoder({ registry: registryWith(schema), readerClass, values: 'lossless' });
  const decode = recordDecoder(decoder, schema, 'event_time');
  const reader = compileDirectReader(schema, 'event_time');
  const partitioner = new DailyPartitioner({ timestampField: 'event_time', timezone: 'Europe/Berlin' });
  const framed = bodies.map((b) => frame(7, b));
  await decoder.prepare(framed);
  const open = (): ReturnType<typeof createParquetFileWriter> =>
    createParquetFileWriter({ avroSchema: schema, values: 'lossless', compression: 'none', rowGroupRows: 7 });
  const rowWriter = open();
  const directWriter = open();
  let direct = 0;
  framed.forEach((bytes, n) => {
    const lineage = {
      topic: 't',
      partition: 2,
      offset: n,
      timestamp: n % 3 === 0 ? -1 : 1_700_000_000_000 + n,
    };
    const run = (result: ReturnType<typeof decoder.decodeSync>, w: typeof rowWriter): Outcome => {
      if (!result.ok) return { ok: false, code: result.code, error: result.reason };
      const place = placeRecord(partitioner, result.value, lineage.timestamp);
      try {
        w.append(result.value, lineage);
        return { ok: true, place };
      } catch (error) {
        return { ok: false, place, error: String(error), code: (error as { code?: string }).code ?? '' };
      }
    };
    // A declined body is the row path's by construction, and avsc can take seconds over a corrupt block
    // count: corrupt bodies are compared only where the direct path takes them.
    if (onlyDirect && reader?.check(bytes, 5, bytes.length) !== true) return;
    const result = decode(bytes);
    if (result.ok && result.value instanceof EncodedRecord) direct++;
    const viaRows = run(decoder.decodeSync(bytes), rowWriter);
    assert.deepEqual(run(result, directWriter), viaRows, `record ${n}: ${bytes.toString('hex')}`);
  });
  assert.equal(directWriter.rows, rowWriter.rows);
  assert.ok(Buffer.from(directWriter.finish()).equals(Buffer.from(rowWriter.finish())), 'the files differ');
  return direct;
}

test('every Avro type, extremes included, lands the same through the direct path as through the row path', async () => {
  const type = createType(ALL as never, 'lossless');
  let direct = 0;
  let total = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(arb(ALL, new Map()), { minLength: 1, maxLength: 12 }), async (values) => {
      const bodies = values.map((v) => type.toBuffer(v));
      direct += await compare(ALL, bodies);
      total += bodies.length;
    }),
    { numRuns: 200 },
  );
  // Most records take the direct path (a map key the row path would mangle sends one to the row path).
  assert.ok(direct > total / 3, `only ${direct} of ${total} records took the direct path`);
});

test('corrupted, truncated and padded bodies fail or land exactly as through the row path', async () => {
  const type = createType(ALL as never, 'lossless');
  let taken = 0;
  await fc.assert(
    fc.asyncProperty(
      arb(ALL, new Map()),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }),
      fc.integer({ min: -3, max: 2 }),
      async (value, flips, resize) => {
        const body = Buffer.from(type.toBuffer(value));
        for (const [at, byte] of flips) body[at % body.length] = byte;
        const sized =
          resize < 0
            ? body.subarray(0, Math.max(0, body.length + resize))
            : Buffer.concat([body, Buffer.alloc(resize)]);
        taken += await compare(ALL, [sized], true);
      },
    ),
    { numRuns: 500 },
  );
  // Flips in string contents, padding bytes of a fixed and the like keep a body well-formed.
  assert.ok(taken > 20, `only ${taken} corrupted bodies took the direct path`);
});

test('map keys JavaScript objects treat specially and invalid UTF-8 land as through the row path', async () => {
  const schema = {
    type: 'record',
    name: 'Keys',
    fields: [
      { name: 'm', type: { type: 'map', values: 'int' } },
      { name: 's', type: 'string' },
    ],
  };
  // Blocks written by hand: avsc never writes a repeated key, a negative block count or invalid UTF-8.
  const entry = (k: Buffer, v: number): Buffer =>
    Buffer.concat([Buffer.from([k.length * 2]), k, Buffer.from([v * 2])]);
  const body = (entries: Buffer[], s: Buffer, negative = false): Buffer =>
    Buffer.concat([
      Buffer.from(negative ? [entries.length * 2 - 1, 0] : [entries.length * 2]),
      ...entries,
      Buffer.from([0, s.length * 2]),
      s,
    ]);
  const k = (s: string): Buffer => Buffer.from(s);
  const bodies = [
    body([entry(k('a'), 1), entry(k('a'), 2)], k('x')),
    body([entry(k('b'), 1), entry(k('2'), 2), entry(k('1'), 3)], k('x')),
    body([entry(k('__proto__'), 1), entry(k('c'), 2)], k('x')),
    body([entry(Buffer.from([0xff]), 1), entry(Buffer.from([0xfe]), 2)], k('x')),
    body([entry(k('d'), 1)], Buffer.from([0x61, 0xc3, 0x28, 0xed, 0xa0, 0x80])),
    body([entry(k('e'), 1), entry(k('f'), 2)], k('y'), true),
  ];
  const direct = await compare(schema, bodies);
  assert.equal(compileDirectReader(schema, 'event_time') !== undefined, true);
  // The negative block count and the invalid UTF-8 string are direct; the rest are not.
  assert.equal(direct, 2);
});

test('the demo events take the direct path and land as through the row path', async () => {
  const sim = new AdServerSimulator({ seed: 11, days: 2, now: Date.UTC(2026, 10, 29) });
  const classes = { impression: AdImpression, click: AdClick, engagement: AdEngagement } as const;
  const bodies = { impression: [] as Buffer[], click: [] as Buffer[], engagement: [] as Buffer[] };
  for (let i = 0; i < 600; i++) {
    const e = sim.next();
    bodies[e.kind].push((classes[e.kind] as { encode(v: never): Buffer }).encode(e.value as never));
  }
  for (const kind of ['impression', 'click', 'engagement'] as const) {
    const direct = await compare(classes[kind].schema, bodies[kind]);
    assert.equal(direct, bodies[kind].length, kind);
  }
});

test('a union of several non-null branches has no direct reader: the row path reads it', () => {
  const schema = { type: 'record', name: 'U', fields: [{ name: 'u', type: ['null', 'long', 'string'] }] };
  assert.equal(compileDirectReader(schema, 'event_time'), undefined);
});
