import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createType } from '../src/avro-type.ts';
import { describeValue, validateValue } from '../src/validate.ts';

describe('validateValue', () => {
  const type = createType({
    type: 'record',
    name: 'R',
    fields: [
      { name: 'n', type: 'long' },
      { name: 'nested', type: { type: 'map', values: { type: 'array', items: ['null', 'int'] } } },
      { name: 'opt', type: 'string', default: 'x' },
    ],
  });

  it('reports the root when the value is not a record', () => {
    assert.deepEqual(validateValue(type, 5).errors, [{ path: '', expected: 'record R', actual: 'number 5' }]);
  });

  it('accepts a missing field that has a default and reports missing required ones', () => {
    assert.deepEqual(
      validateValue(type, { nested: { 'a.b': [null, 1, 'two'] } }).errors.map((e) => [e.path, e.actual]),
      [
        ['n', 'undefined'],
        ['nested["a.b"][2]', 'string "two"'],
      ],
    );
  });

  it('flags undeclared fields only on request', () => {
    const value = { n: 1, nested: {}, extra: true };
    assert.equal(validateValue(type, value).valid, true);
    assert.deepEqual(
      validateValue(type, value, { noUndeclaredFields: true }).errors.map((e) => e.path),
      [''],
    );
  });
});

describe('describeValue', () => {
  const cases: [unknown, string][] = [
    [undefined, 'undefined'],
    [null, 'null'],
    [1.5, 'number 1.5'],
    [3n, 'bigint 3n'],
    ['a'.repeat(50), `string "${'a'.repeat(40)}…"`],
    [Buffer.alloc(3), 'Buffer(3 bytes)'],
    [new Date(0), 'Date 1970-01-01T00:00:00.000Z'],
    [[1, 2], 'array(2)'],
    [{}, 'object'],
    [new Map(), 'object Map'],
  ];
  for (const [value, expected] of cases) {
    it(expected, () => assert.equal(describeValue(value), expected));
  }
});
