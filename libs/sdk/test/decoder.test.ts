import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import avro from 'avsc';
import { createType, defineEvent } from '@adlake/event-runtime';
import type { EventCodec } from '@adlake/event-runtime';
import { AdImpression } from '@adlake/events';
import type { AdImpressionInput } from '@adlake/events';
import { createWireDecoder } from '../src/decoder.ts';
import { SdkError } from '../src/errors.ts';
import { frame } from '../src/wire.ts';
import { MemoryRegistry } from './fakes.ts';

const input: AdImpressionInput = {
  event_id: randomUUID(),
  event_time: new Date(1_764_000_000_000),
  billing_date: new Date('2026-11-23T00:00:00Z'),
  request_id: randomUUID(),
  ad_id: 1,
  campaign_id: 2,
  creative_id: 3,
  advertiser_id: 4,
  placement: 'BANNER',
  device: { device_type: 'PHONE', os: 'iOS' },
  price_micros: 5,
  currency: 'EUR',
  fx_rate_to_usd: '1.080000000',
};

type Schema = { fields: { name: string }[] } & Record<string, unknown>;
const readerSchema = AdImpression.schema as unknown as Schema;
/** An older writer: no `is_test` (which has a default in the reader). */
const olderSchema: Schema = {
  ...readerSchema,
  fields: readerSchema.fields.filter((f) => f.name !== 'is_test'),
};
const olderType = avro.Type.forSchema(olderSchema as never, AdImpression.avroOptions());

function setup() {
  const registry = new MemoryRegistry();
  const sameId = registry.add('s', readerSchema);
  const olderId = registry.add('s', olderSchema);
  const decoder = createWireDecoder({ registry, readerClass: AdImpression, unknownIdTtlMs: 50 });
  return { registry, decoder, sameId, olderId };
}

test('decodes records of the reader schema itself', async () => {
  const { decoder, sameId } = setup();
  const result = await decoder.decode(frame(sameId, AdImpression.encode(input)));
  assert.ok(result.ok);
  assert.equal(result.schemaId, sameId);
  assert.deepEqual(result.value, AdImpression.decode(AdImpression.encode(input)));
});

test('resolves an older writer: defaults filled, decimal and dates kept (writer parsed with the reader logical types)', async () => {
  const { decoder, olderId } = setup();
  const result = await decoder.decode(
    frame(
      olderId,
      olderType.toBuffer({ ...input, segment_ids: [], viewability: [], attributes: {}, geo: null }),
    ),
  );
  assert.ok(result.ok, JSON.stringify(result));
  assert.equal(result.value.is_test, false);
  assert.equal(result.value.fx_rate_to_usd, '1.080000000');
  assert.deepEqual(result.value.event_time, input.event_time);
});

test('tells the ids written with the reader schema itself from those that need resolution', async () => {
  const { decoder, sameId, olderId } = setup();
  // Nothing is known before prepare loads it.
  assert.equal(decoder.writtenWithReaderSchema(sameId), false);
  await decoder.prepare([
    frame(sameId, Buffer.alloc(0)),
    frame(olderId, Buffer.alloc(0)),
    frame(99, Buffer.alloc(0)),
  ]);
  assert.equal(decoder.writtenWithReaderSchema(sameId), true);
  assert.equal(decoder.writtenWithReaderSchema(olderId), false);
  assert.equal(decoder.writtenWithReaderSchema(99), false);
  assert.equal(decoder.writtenWithReaderSchema(-1), false);
});

test('every failure is a code and a reason, never a throw', async () => {
  const { decoder, sameId } = setup();
  const good = frame(sameId, AdImpression.encode(input));
  const table: [string, Buffer | null, string][] = [
    ['null', null, 'NOT_WIRE_FORMAT'],
    ['empty', Buffer.alloc(0), 'NOT_WIRE_FORMAT'],
    ['short', Buffer.from([0, 0, 1]), 'NOT_WIRE_FORMAT'],
    ['magic', Buffer.from([1, 0, 0, 0, 1, 2]), 'NOT_WIRE_FORMAT'],
    ['unknown id', frame(999, Buffer.from([1, 2])), 'UNKNOWN_SCHEMA_ID'],
    ['truncated', good.subarray(0, good.length - 3), 'TRUNCATED'],
    ['header only', good.subarray(0, 5), 'TRUNCATED'],
    ['trailing', Buffer.concat([good, Buffer.from([1, 2, 3])]), 'MALFORMED_BODY'],
  ];
  for (const [name, bytes, code] of table) {
    const result = await decoder.decode(bytes);
    assert.equal(result.ok, false, name);
    if (!result.ok) {
      assert.equal(result.code, code, `${name}: ${result.reason}`);
      assert.ok(result.reason.length > 0);
    }
  }
});

const wide = {
  type: 'record',
  name: 'Wide',
  namespace: 'com.acme.t',
  fields: [
    { name: 'id', type: 'long' },
    {
      name: 'inner',
      type: {
        type: 'record',
        name: 'Inner',
        fields: [{ name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } }],
      },
    },
  ],
};
const Wide = defineEvent<unknown>({
  subject: 'wide-value',
  topic: 'wide',
  fullname: 'com.acme.t.Wide',
  longs: 'number',
  schema: wide,
});
const wideLossless = createType(wide, 'lossless');

test('a valid value the class cannot hold is UNREPRESENTABLE at its field path, never a nearby value', async () => {
  const registry = new MemoryRegistry();
  const id = registry.add('wide-value', wide);
  const decoder = createWireDecoder({ registry, readerClass: Wide });
  const cases: [unknown, string, RegExp][] = [
    [{ id: 2n ** 60n, inner: { at: 0 } }, 'id', /long 1152921504606846976 is beyond/],
    [{ id: 1, inner: { at: 8.64e15 + 1 } }, 'inner.at', /beyond the range of a JavaScript Date/],
  ];
  for (const [value, field, reason] of cases) {
    const result = await decoder.decode(frame(id, wideLossless.toBuffer(value)));
    assert.equal(result.ok, false, field);
    if (!result.ok) {
      assert.equal(result.code, 'UNREPRESENTABLE', result.reason);
      assert.equal(result.field, field);
      assert.match(result.reason, reason);
    }
  }
  const lossless = createWireDecoder({ registry, readerClass: Wide, values: 'lossless' });
  const big = await lossless.decode(frame(id, wideLossless.toBuffer({ id: 2n ** 60n, inner: { at: 0 } })));
  assert.ok(big.ok, 'the lossless decoder reads it');
  assert.equal((big.value as { id: unknown }).id, 2n ** 60n);
});

test('a range error from another copy of the runtime is recognised by its code', async () => {
  // An event package may bring its own @adlake/event-runtime: its errors are not this copy's classes.
  const foreign = Object.assign(new Error('long 1152921504606846976 is beyond ±(2^53−1)'), {
    code: 'VALUE_OUT_OF_RANGE',
    kind: 'long',
    value: 2n ** 60n,
  });
  const throwing = Object.create(Wide.type) as typeof Wide.type;
  throwing.decode = () => {
    throw foreign;
  };
  const readerClass: EventCodec<unknown> = {
    subject: Wide.subject,
    topic: Wide.topic,
    fullname: Wide.fullname,
    schema: Wide.schema,
    longs: Wide.longs,
    type: throwing,
    validate: (v) => Wide.validate(v),
    isValid: (v): v is unknown => Wide.isValid(v),
    encode: (v) => Wide.encode(v),
    decode: (b) => Wide.decode(b),
    avroOptions: (values) => Wide.avroOptions(values),
  };
  const registry = new MemoryRegistry();
  const id = registry.add('wide-value', wide);
  const result = await createWireDecoder({ registry, readerClass }).decode(
    frame(id, wideLossless.toBuffer({ id: 2n ** 60n, inner: { at: 0 } })),
  );
  assert.equal(!result.ok && result.code, 'UNREPRESENTABLE');
  assert.equal(!result.ok && result.field, 'id');
});

test('an incompatible writer is reported once per id with avsc’s reason', async () => {
  const { registry, decoder } = setup();
  const id = registry.add('s', {
    type: 'record',
    name: 'AdImpression',
    namespace: 'com.acme.adserver',
    fields: [{ name: 'event_id', type: 'int' }],
  });
  const result = await decoder.decode(frame(id, Buffer.from([2])));
  assert.equal(result.ok, false);
  assert.equal(!result.ok && result.code, 'INCOMPATIBLE_WRITER');
});

test('avsc is stricter than the spec on names: a writer record in another namespace does not resolve', async () => {
  const { registry, decoder } = setup();
  const moved = { ...readerSchema, namespace: 'com.acme.moved' };
  const id = registry.add('s', moved);
  const result = await decoder.decode(frame(id, AdImpression.encode(input)));
  assert.equal(!result.ok && result.code, 'INCOMPATIBLE_WRITER');
  assert.match(!result.ok ? result.reason : '', /com\.acme\.moved\.AdImpression|AdImpression/);
});

test('a writer that avsc would read but docs/names.md refuses (".Money") is refused, naming the schema and the rule', async () => {
  const { registry, decoder } = setup();
  const money = { type: 'fixed', name: 'Money', namespace: '', size: 1 };
  const writer = {
    ...readerSchema,
    fields: [...readerSchema.fields, { name: 'm', type: money }, { name: 'p', type: '.Money' }],
  };
  // avsc alone would decode it (the extra fields are skipped), reading ".Money" as the null-namespace Money.
  assert.ok(avro.Type.forSchema(writer as never, AdImpression.avroOptions()));
  const id = registry.add('s', writer);
  const result = await decoder.decode(frame(id, Buffer.from([0])));
  assert.equal(!result.ok && result.code, 'INCOMPATIBLE_WRITER');
  assert.equal(
    !result.ok && result.reason,
    `writer schema ${id} cannot be read as com.acme.adserver.AdImpression: Unknown type ".Money": not a primitive, complex or valid named type`,
  );
});

test('prepare loads each new id once per batch; decodeSync needs it', async () => {
  const { registry, decoder, sameId, olderId } = setup();
  const a = frame(sameId, AdImpression.encode(input));
  const b = frame(
    olderId,
    olderType.toBuffer({ ...input, segment_ids: [], viewability: [], attributes: {}, geo: null }),
  );
  assert.equal(
    decoder.decodeSync(a).ok === false && (decoder.decodeSync(a) as { code: string }).code,
    'SCHEMA_NOT_LOADED',
  );
  const results = await decoder.decodeBatch([a, b, a, b, null, a]);
  assert.deepEqual(
    results.map((r) => r.ok),
    [true, true, true, true, false, true],
  );
  assert.deepEqual(
    registry.calls.filter((c) => c.startsWith('id ')),
    [`id ${sameId}`, `id ${olderId}`],
  );
});

test('an unknown id is asked again only after its TTL', async () => {
  const { registry, decoder } = setup();
  const unknown = frame(4242, Buffer.from([0]));
  await decoder.decode(unknown);
  await decoder.decode(unknown);
  assert.equal(registry.calls.filter((c) => c === 'id 4242').length, 1);
  await new Promise((r) => setTimeout(r, 60));
  await decoder.decode(unknown);
  assert.equal(registry.calls.filter((c) => c === 'id 4242').length, 2);
});

test('a registry outage throws a retriable error from prepare instead of failing records', async () => {
  const registry = new MemoryRegistry();
  registry.schemaById = async () => {
    throw new SdkError('REGISTRY_UNAVAILABLE', 'down', { retriable: true });
  };
  const decoder = createWireDecoder({ registry, readerClass: AdImpression });
  await assert.rejects(decoder.decode(frame(1, Buffer.from([0]))), {
    code: 'REGISTRY_UNAVAILABLE',
    retriable: true,
  });
});
