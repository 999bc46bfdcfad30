import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createType } from '../src/avro-type.ts';
import { defineEvent } from '../src/codec.ts';
import { AvroRangeError, EventCodecError } from '../src/errors.ts';

describe('defineEvent', () => {
  it('builds the type lazily and wraps decode failures', () => {
    const event = defineEvent<{ a: number }>({
      subject: 's',
      topic: 't',
      fullname: 'R',
      longs: 'number',
      schema: { type: 'record', name: 'R', fields: [{ name: 'a', type: 'int' }] },
    });
    assert.deepEqual({ ...event.decode(event.encode({ a: 3 })) }, { a: 3 });
    assert.throws(() => event.decode(Buffer.from([0x80])), {
      name: 'EventCodecError',
      code: 'DECODE_FAILED',
    });
    assert.equal(event.isValid({ a: 'x' }), false);
    assert.deepEqual({ ...event.decode(new Uint8Array(event.encode({ a: 1 }))) }, { a: 1 });
  });
});

describe('codec errors', () => {
  const event = defineEvent<{ id: number; at: Date }>({
    subject: 'things-value',
    topic: 'things',
    fullname: 'T',
    longs: 'number',
    schema: {
      type: 'record',
      name: 'T',
      fields: [
        { name: 'id', type: 'long' },
        { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
      ],
    },
  });
  const lossless = createType(event.schema, 'lossless');

  it('encode lists every bad path, with the subject, and is not retriable', () => {
    assert.throws(
      () => event.encode({ id: 1.5, at: 'now' } as never),
      (e: unknown) =>
        e instanceof EventCodecError &&
        e.code === 'INVALID_VALUE' &&
        e.subject === 'things-value' &&
        e.retriable === false &&
        e.errors.map((x) => x.path).join() === 'id,at',
    );
  });

  it('decode of a value the class cannot hold is DECODE_FAILED caused by an AvroRangeError with the value', () => {
    const bytes = lossless.toBuffer({ id: 2n ** 60n, at: 0 });
    assert.throws(
      () => event.decode(bytes),
      (e: unknown) =>
        e instanceof EventCodecError &&
        e.code === 'DECODE_FAILED' &&
        e.cause instanceof AvroRangeError &&
        e.cause instanceof EventCodecError &&
        e.cause.code === 'VALUE_OUT_OF_RANGE' &&
        e.cause.kind === 'long' &&
        e.cause.value === 2n ** 60n,
    );
    const far = lossless.toBuffer({ id: 1, at: 8.64e15 + 1 });
    assert.throws(
      () => event.decode(far),
      (e: unknown) =>
        e instanceof EventCodecError &&
        e.cause instanceof AvroRangeError &&
        e.cause.kind === 'timestamp-millis' &&
        e.cause.value === 8.64e15 + 1,
    );
  });

  it('a schema avsc rejects fails when the type is first used, not at definition', () => {
    const broken = defineEvent({
      subject: 'b',
      topic: undefined,
      fullname: undefined,
      longs: 'number',
      schema: 'nope',
    });
    assert.throws(() => broken.type, { name: 'EventCodecError', code: 'INVALID_SCHEMA' });
  });
});
