// Schema evolution through the real registry: producers on v1 and v2 of one subject, consumers on v1 and v2,
// under BACKWARD and FORWARD compatibility. Each reader resolves the writer schema it finds by id.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createConsumer, createProducer } from '@adlake/sdk';
import type { ConsumedEvent, DecodeErrorReport, EventHandler } from '@adlake/sdk';
import type { EventCodec } from '@adlake/events';
import { codecFor, kafka, registry, Scratch, setCompatibility } from './support.ts';
import { uniqueName } from '../support/unique.ts';

const scratch = new Scratch();
after(() => scratch.cleanup());

const base = {
  type: 'record',
  name: 'Evolving',
  namespace: 'adlake.it',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'n', type: 'long' },
  ],
};

interface V1 {
  id: string;
  n: number;
}

async function consumeAll<V>(
  cls: EventCodec<V, unknown>,
  expected: number,
): Promise<{ events: ConsumedEvent<V>[]; failures: DecodeErrorReport[] }> {
  const events: ConsumedEvent<V>[] = [];
  const failures: DecodeErrorReport[] = [];
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const check = (): void => {
    if (events.length + failures.length === expected) done();
  };
  const handler: EventHandler<V> = (e) => {
    events.push(e);
    check();
  };
  const consumer = createConsumer({
    kafka,
    registry,
    groupId: uniqueName('sdk-evo'),
    onDecodeError: (r) => {
      failures.push(r);
      check();
    },
  });
  consumer.subscribe(cls, handler, { fromBeginning: true });
  await consumer.run();
  const timeout = setTimeout(() => done(), 30_000);
  await finished;
  clearTimeout(timeout);
  await consumer.close();
  events.sort((a, b) => Number(a.offset) - Number(b.offset));
  return { events, failures };
}

async function setup(
  level: 'BACKWARD' | 'FORWARD',
  v2Schema: object,
): Promise<{
  v1: EventCodec<V1, V1>;
  v2: EventCodec<Record<string, unknown>, Record<string, unknown>>;
  ids: [number, number];
}> {
  const topic = await scratch.topic(level.toLowerCase());
  const subject = scratch.subject(level.toLowerCase());
  await setCompatibility(subject, level);
  const v1 = codecFor<V1>(base, subject, topic);
  const v2 = codecFor<Record<string, unknown>>(v2Schema, subject, topic);
  // The registry itself enforces the level: v2 is accepted as a compatible successor of v1.
  const id1 = await registry.register(subject, JSON.stringify(base));
  const id2 = await registry.register(subject, JSON.stringify(v2Schema));
  assert.notEqual(id1, id2);

  const p1 = createProducer({ kafka, registry, lingerMs: 0, keyField: 'id' });
  await p1.sendBatch(v1, [
    { id: 'v1-a', n: 1 },
    { id: 'v1-b', n: 2 },
  ]);
  await p1.close();
  const p2 = createProducer({ kafka, registry, lingerMs: 0, keyField: 'id' });
  await p2.sendBatch(v2, [{ ...{ id: 'v2-a', n: 3 }, ...extra(v2Schema) }]);
  await p2.close();
  return { v1, v2, ids: [id1, id2] };
}

function extra(schema: object): Record<string, unknown> {
  const added = (schema as typeof base).fields.slice(2);
  return Object.fromEntries(added.map((f) => [f.name, `${f.name}-value`]));
}

test(
  'BACKWARD (v2 adds a field with a default): v1 and v2 consumers read both writers',
  { timeout: 120_000 },
  async () => {
    const v2Schema = {
      ...base,
      fields: [...base.fields, { name: 'label', type: 'string', default: 'none' }],
    };
    const { v1, v2, ids } = await setup('BACKWARD', v2Schema);

    const onV2 = await consumeAll(v2, 3);
    assert.deepEqual(onV2.failures, []);
    assert.deepEqual(
      onV2.events.map((e) => ({ ...e.value, schemaId: e.schemaId })),
      [
        { id: 'v1-a', n: 1, label: 'none', schemaId: ids[0] },
        { id: 'v1-b', n: 2, label: 'none', schemaId: ids[0] },
        { id: 'v2-a', n: 3, label: 'label-value', schemaId: ids[1] },
      ],
      'a v2 reader fills the default for v1 records',
    );

    const onV1 = await consumeAll(v1, 3);
    assert.deepEqual(onV1.failures, []);
    assert.deepEqual(
      onV1.events.map((e) => ({ ...e.value })),
      [
        { id: 'v1-a', n: 1 },
        { id: 'v1-b', n: 2 },
        { id: 'v2-a', n: 3 },
      ],
      'a v1 reader skips the field it does not know',
    );
  },
);

test(
  'FORWARD (v2 adds a field without a default): v1 reads both, v2 reports v1 records as INCOMPATIBLE_WRITER',
  { timeout: 120_000 },
  async () => {
    const v2Schema = { ...base, fields: [...base.fields, { name: 'region', type: 'string' }] };
    const { v1, v2, ids } = await setup('FORWARD', v2Schema);

    const onV1 = await consumeAll(v1, 3);
    assert.deepEqual(onV1.failures, []);
    assert.deepEqual(
      onV1.events.map((e) => ({ ...e.value })),
      [
        { id: 'v1-a', n: 1 },
        { id: 'v1-b', n: 2 },
        { id: 'v2-a', n: 3 },
      ],
    );

    const onV2 = await consumeAll(v2, 3);
    assert.deepEqual(
      onV2.events.map((e) => ({ ...e.value })),
      [{ id: 'v2-a', n: 3, region: 'region-value' }],
    );
    assert.equal(onV2.failures.length, 2);
    for (const failure of onV2.failures) {
      assert.equal(failure.code, 'INCOMPATIBLE_WRITER');
      assert.equal(failure.schemaId, ids[0]);
      assert.match(failure.reason, /region/);
      assert.equal(failure.topic, v1.topic);
      assert.match(failure.offset, /^[01]$/);
    }
  },
);
