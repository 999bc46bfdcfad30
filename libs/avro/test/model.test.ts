import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AvroError } from '../src/errors.ts';
import { deref, parseSchema, type NamedNode, type RecordNode } from '../src/model.ts';

describe('parseSchema', () => {
  test('nested named types inherit the enclosing namespace; dotted names and "" override it', () => {
    const parsed = parseSchema({
      type: 'record',
      name: 'Outer',
      namespace: 'com.a',
      fields: [
        { name: 'e', type: { type: 'enum', name: 'E', symbols: ['X'] } },
        { name: 'f', type: { type: 'fixed', name: 'other.F', size: 2 } },
        { name: 'g', type: { type: 'record', name: 'G', namespace: '', fields: [] } },
        {
          name: 'h',
          type: {
            type: 'record',
            name: 'H',
            namespace: 'com.h',
            fields: [{ name: 'i', type: { type: 'enum', name: 'I', symbols: [] } }],
          },
        },
      ],
    });
    assert.deepEqual(
      [...parsed.named.keys()],
      ['com.a.Outer', 'com.a.E', 'other.F', 'G', 'com.h.H', 'com.h.I'],
    );
  });

  test('references resolve by full name and relative name, never by falling back to the null namespace', () => {
    const record = (c: string): unknown => ({
      type: 'record',
      name: 'R',
      namespace: 'n',
      fields: [
        { name: 'top', type: { type: 'record', name: 'Top', namespace: '', fields: [] } },
        { name: 'a', type: 'R' },
        { name: 'b', type: 'n.R' },
        { name: 'c', type: c },
        { name: 'd', type: { type: 'R' } },
      ],
    });
    const root = deref(parseSchema(record('n.R')).root) as RecordNode;
    const targets = root.fields.slice(1).map((f) => (deref(f.type) as NamedNode).fullname);
    assert.deepEqual(targets, ['n.R', 'n.R', 'n.R', 'n.R']);
    assert.throws(
      () => parseSchema(record('Top')),
      /Unknown named type "n\.Top"; "Top" is in the null namespace, which a name inside a namespace never falls back to/,
    );
    assert.throws(() => parseSchema(record('.Top')), {
      code: 'AVRO_INVALID',
      message: /Unknown type "\.Top": not a primitive, complex or valid named type/,
    });
  });

  test('aliases are qualified with the type namespace', () => {
    const node = deref(
      parseSchema({ type: 'enum', name: 'E', namespace: 'a', aliases: ['Old', 'b.Older'], symbols: [] }).root,
    );
    assert.deepEqual((node as NamedNode).aliases, ['a.Old', 'b.Older']);
  });

  test('a named type from another file is loaded once and located in its own document', () => {
    const calls: string[] = [];
    const lookup = (fullname: string): unknown => {
      calls.push(fullname);
      return fullname === 'm.Money'
        ? {
            type: 'record',
            name: 'Money',
            fields: [{ name: 'c', type: { type: 'enum', name: 'Cur', symbols: [] } }],
          }
        : undefined;
    };
    const parsed = parseSchema(
      {
        type: 'record',
        name: 'm.Order',
        fields: [
          { name: 'p', type: 'Money' },
          { name: 'q', type: 'Money' },
        ],
      },
      { lookupNamedType: lookup },
    );
    assert.deepEqual(calls, ['m.Money']);
    assert.deepEqual(parsed.named.get('m.Cur')?.loc, { path: '/fields/0/type', namedType: 'm.Money' });
  });

  const errors: Array<[name: string, schema: unknown, code: string, message: RegExp]> = [
    [
      'unknown name',
      { type: 'record', name: 'R', namespace: 'n', fields: [{ name: 'a', type: 'Nope' }] },
      'UNKNOWN_NAMED_TYPE',
      /Unknown named type "n\.Nope"$/,
    ],
    [
      'duplicate definition',
      ['null', { type: 'enum', name: 'E', symbols: [] }, { type: 'fixed', name: 'E', size: 1 }],
      'DUPLICATE_NAME',
      /Named type "E" is defined twice/,
    ],
    ['union inside a union', ['null', ['int']], 'AVRO_INVALID', /may not directly contain another union/],
    ['record without fields', { type: 'record', name: 'R' }, 'AVRO_INVALID', /needs a "fields" array/],
    ['fixed without size', { type: 'fixed', name: 'F' }, 'AVRO_INVALID', /non-negative integer "size"/],
    ['array without items', { type: 'array' }, 'AVRO_INVALID', /needs "items"/],
    ['number as a schema', 42, 'AVRO_INVALID', /expected a type name/],
  ];
  for (const [name, schema, code, message] of errors) {
    test(`rejects ${name} with ${code}`, () => {
      assert.throws(
        () => parseSchema(schema),
        (e: unknown) => e instanceof AvroError && e.code === code && message.test(e.message),
      );
    });
  }

  test('a lookup returning a different type is an UNKNOWN_NAMED_TYPE naming the requested one', () => {
    assert.throws(
      () => parseSchema('a.X', { lookupNamedType: () => ({ type: 'fixed', name: 'b.X', size: 1 }) }),
      (e: unknown) =>
        e instanceof AvroError && e.code === 'UNKNOWN_NAMED_TYPE' && /does not define "a\.X"/.test(e.message),
    );
  });

  test('resolve: local leaves names from other files unresolved instead of failing', () => {
    const parsed = parseSchema({ type: 'array', items: 'x.Y' }, { resolve: 'local' });
    const root = deref(parsed.root);
    assert.equal(root.kind === 'array' && root.items.kind === 'ref' && root.items.target, undefined);
  });
});
