import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifySubject } from '../src/plan.ts';
import type { Classification, SubjectFacts } from '../src/plan.ts';

const base: SubjectFacts = {
  exists: true,
  sameContent: true,
  referencesChanged: false,
  compatible: undefined,
  configuredLevel: 'BACKWARD',
  registryLevel: 'BACKWARD',
};

const cases: [string, Partial<SubjectFacts>, Classification][] = [
  ['same schema, same level', {}, { status: 'unchanged', setLevel: false, register: false }],
  [
    'same schema, level differs',
    { registryLevel: 'FULL' },
    { status: 'level-drift', setLevel: true, register: false },
  ],
  [
    'subject missing',
    { exists: false, sameContent: false },
    { status: 'new-subject', setLevel: false, register: true },
  ],
  [
    'subject missing, configured level differs from the global one',
    { exists: false, sameContent: false, configuredLevel: 'FULL_TRANSITIVE' },
    { status: 'new-subject', setLevel: true, register: true },
  ],
  [
    'compatible change',
    { sameContent: false, compatible: true },
    { status: 'new-version', setLevel: false, register: true },
  ],
  [
    'compatible change with level drift',
    { sameContent: false, compatible: true, configuredLevel: 'NONE' },
    { status: 'new-version', setLevel: true, register: true },
  ],
  [
    'incompatible change',
    { sameContent: false, compatible: false },
    { status: 'incompatible', setLevel: false, register: false },
  ],
  [
    'incompatible change with level drift: level is not touched either',
    { sameContent: false, compatible: false, registryLevel: 'NONE' },
    { status: 'incompatible', setLevel: false, register: false },
  ],
  [
    'same text, but a referenced type gets a new version',
    { referencesChanged: true, compatible: true },
    { status: 'new-version', setLevel: false, register: true },
  ],
  [
    'same text, referenced type change breaks it',
    { referencesChanged: true, compatible: false },
    { status: 'incompatible', setLevel: false, register: false },
  ],
];

for (const [name, facts, expected] of cases) {
  test(`classifySubject: ${name}`, () => {
    assert.deepEqual(classifySubject({ ...base, ...facts }), expected);
  });
}
