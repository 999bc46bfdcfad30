import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as compat from '../../src/compat/index.ts';

test('the barrel exposes the documented API and nothing from it is missing', () => {
  const functions = [
    'checkCompatibility',
    'checkParsed',
    'checkReaderWriter',
    'describeType',
    'isCompatibilityLevel',
    'levelPlan',
    'parseCompatibilityLevel',
  ];
  const constants = ['COMPATIBILITY_LEVELS', 'COMPAT_ERROR_TYPES', 'COMPAT_WARNING_TYPES'];
  assert.deepEqual(Object.keys(compat).sort(), [...functions, ...constants].sort());
  for (const name of functions) assert.equal(typeof compat[name as keyof typeof compat], 'function', name);
  assert.deepEqual([...compat.COMPAT_ERROR_TYPES].sort(), [
    'AMBIGUOUS_FIELD_MATCH',
    'FIXED_SIZE_MISMATCH',
    'MISSING_ENUM_SYMBOLS',
    'MISSING_UNION_BRANCH',
    'NAME_MISMATCH',
    'READER_FIELD_MISSING_DEFAULT_VALUE',
    'TYPE_MISMATCH',
  ]);
});
