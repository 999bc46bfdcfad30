import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GovernanceError } from '../../src/errors.ts';
import { COMPATIBILITY_LEVELS, levelPlan, parseCompatibilityLevel } from '../../src/compat/levels.ts';

describe('parseCompatibilityLevel', () => {
  const valid: Array<[input: string, level: string]> = [
    ['NONE', 'NONE'],
    ['BACKWARD', 'BACKWARD'],
    ['BACKWARD_TRANSITIVE', 'BACKWARD_TRANSITIVE'],
    ['FORWARD', 'FORWARD'],
    ['FORWARD_TRANSITIVE', 'FORWARD_TRANSITIVE'],
    ['FULL', 'FULL'],
    ['FULL_TRANSITIVE', 'FULL_TRANSITIVE'],
    ['backward', 'BACKWARD'],
    [' full_transitive\n', 'FULL_TRANSITIVE'],
  ];
  for (const [input, level] of valid) {
    test(`accepts ${JSON.stringify(input)} as ${level}`, () =>
      assert.equal(parseCompatibilityLevel(input), level));
  }

  const invalid: Array<[input: unknown, shown: string]> = [
    ['BACKWARDS', '"BACKWARDS"'],
    ['FULL-TRANSITIVE', '"FULL-TRANSITIVE"'],
    ['', '""'],
    [3, '3'],
    [undefined, 'nothing'],
    [null, 'null'],
  ];
  for (const [input, shown] of invalid) {
    test(`rejects ${shown} with a USAGE error naming the value and every valid level`, () => {
      assert.throws(
        () => parseCompatibilityLevel(input, { configKey: 'compatibility' }),
        (error: unknown) => {
          assert.ok(error instanceof GovernanceError);
          assert.equal(error.code, 'USAGE');
          assert.equal(error.retriable, false);
          assert.equal(
            error.message,
            `unknown compatibility level ${shown}; expected one of NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE`,
          );
          assert.deepEqual(error.context, { configKey: 'compatibility' });
          return true;
        },
      );
    });
  }
});

describe('levelPlan follows Confluent semantics', () => {
  const table: Array<
    [level: (typeof COMPATIBILITY_LEVELS)[number], directions: string[], transitive: boolean]
  > = [
    ['NONE', [], false],
    ['BACKWARD', ['backward'], false],
    ['BACKWARD_TRANSITIVE', ['backward'], true],
    ['FORWARD', ['forward'], false],
    ['FORWARD_TRANSITIVE', ['forward'], true],
    ['FULL', ['backward', 'forward'], false],
    ['FULL_TRANSITIVE', ['backward', 'forward'], true],
  ];
  test('the table covers every level', () => {
    assert.deepEqual(
      table.map(([l]) => l),
      [...COMPATIBILITY_LEVELS],
    );
  });
  for (const [level, directions, transitive] of table) {
    test(level, () => assert.deepEqual(levelPlan(level), { directions, transitive }));
  }
});
