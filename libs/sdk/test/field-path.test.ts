import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findField } from '../src/field-path.ts';

const schema = {
  type: 'record',
  name: 'E',
  namespace: 'com.example',
  fields: [
    { name: 'score', type: 'double' },
    { name: 'count', type: 'int' },
    { name: 'multi', type: ['null', 'long', 'string', 'double'] },
    { name: 'ids', type: { type: 'array', items: 'long' } },
    { name: 'attrs', type: { type: 'map', values: { type: 'int', logicalType: 'date' } } },
    {
      name: 'inner',
      type: {
        type: 'record',
        name: 'Inner',
        fields: [{ name: 'ts', type: ['null', { type: 'long', logicalType: 'timestamp-millis' }] }],
      },
    },
    { name: 'again', type: ['null', 'Inner'] },
  ],
};

const big = 9007199254740991;
const value = {
  score: big,
  count: 7,
  multi: { double: big },
  ids: [1, 2n ** 60n],
  attrs: { 'a key': 200_000_000 },
  inner: { ts: 5 },
  again: { ts: big },
};

test('names the leaf of the right kind, never a double or an int that holds the same number', () => {
  assert.equal(findField(schema, value, 'timestamp-millis', big), 'again.ts');
  assert.equal(findField(schema, value, 'long', 2n ** 60n), 'ids[1]');
  assert.equal(findField(schema, value, 'date', 200_000_000), 'attrs["a key"]');
  assert.equal(findField(schema, value, 'long', 7), undefined, 'count is an int');
});

test('follows wrapped union branches and names them', () => {
  assert.equal(findField(schema, { ...value, multi: { long: 2n ** 62n } }, 'long', 2n ** 62n), 'multi.long');
});

test('a type reached by reference from another namespace resolves its own names in its own namespace', () => {
  // a.Inner names Ts, which is a.Ts; reached from b.S it is still a.Inner (docs/names.md, by @adlake/avro).
  const nested = {
    type: 'record',
    name: 'R',
    namespace: 'a',
    fields: [
      { name: 'stamp', type: { type: 'record', name: 'Ts', fields: [{ name: 'millis', type: 'long' }] } },
      {
        name: 'inner',
        type: { type: 'record', name: 'Inner', fields: [{ name: 'ts', type: ['null', 'Ts'] }] },
      },
      { name: 's', type: { type: 'record', name: 'b.S', fields: [{ name: 'i', type: 'a.Inner' }] } },
    ],
  };
  const found = { stamp: { millis: 1 }, inner: { ts: null }, s: { i: { ts: { millis: 2n ** 60n } } } };
  assert.equal(findField(nested, found, 'long', 2n ** 60n), 's.i.ts.millis');
});
