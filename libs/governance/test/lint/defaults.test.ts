import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkDefault } from '../../src/lint/defaults.ts';
import type { JsonValue } from '@adlake/avro';

const types: Record<string, { json: JsonValue; namespace: string }> = {
  'a.Inner': {
    json: {
      type: 'record',
      name: 'Inner',
      fields: [
        { name: 'k', type: 'Kind' },
        { name: 'n', type: 'int', default: 1 },
      ],
    },
    namespace: 'a',
  },
  'a.Kind': { json: { type: 'enum', name: 'Kind', symbols: ['X', 'Y'] }, namespace: 'a' },
};
const lookup = (n: string) => types[n];

describe('checkDefault', () => {
  const cases: [string, JsonValue, JsonValue, string | undefined][] = [
    ['null', 'null', null, undefined],
    ['null mismatch', 'null', 0, 'expected null, got 0'],
    ['int out of range', 'int', 2147483648, 'expected a 32-bit integer (int), got 2147483648'],
    ['float accepts integers', 'float', 3, undefined],
    ['bytes as code points', 'bytes', '\u0000\u00ff', undefined],
    ['union first branch', ['int', 'null'], 3, undefined],
    [
      'union other branch',
      ['int', 'null'],
      null,
      `a union's default must match its first branch ("int"): expected a 32-bit integer (int), got null`,
    ],
    ['record resolves names in its namespace across files', 'a.Inner', { k: 'Y' }, undefined],
    [
      'record field missing without default',
      'a.Inner',
      { n: 2 },
      'record Inner needs field "k", which has no default of its own',
    ],
    ['nested enum symbol', 'a.Inner', { k: 'Z' }, 'expected one of the symbols of enum Kind, got "Z"'],
    ['unknown names pass (reported elsewhere)', 'a.Missing', 5, undefined],
    ['wrapped type object', { type: { type: 'array', items: 'string' } }, ['a'], undefined],
  ];
  for (const [name, schema, value, reason] of cases) {
    it(name, () => {
      assert.equal(checkDefault(schema, value, 'a', lookup)?.reason, reason);
    });
  }

  it('points inside the default', () => {
    assert.equal(
      checkDefault(
        { type: 'map', values: { type: 'array', items: 'a.Inner' } },
        { m: [{ k: 'X' }, { k: 1 }] },
        '',
        lookup,
      )?.pointer,
      '/m/1/k',
    );
  });
});
