import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../../src/diagnostics/finding.ts';
import { GovernanceError } from '../../src/errors.ts';
import {
  checkCompatibility,
  type CompatibilityResult,
  type PreviousVersion,
} from '../../src/compat/check.ts';
import type { CompatibilityLevel } from '../../src/compat/levels.ts';

const rec = (fields: unknown[]): Record<string, unknown> => ({
  type: 'record',
  name: 'Event',
  namespace: 'ads',
  fields,
});
const versions = (...schemas: unknown[]): PreviousVersion[] =>
  schemas.map((schema, i) => ({ version: String(i + 1), source: `registry:events-value/${i + 1}`, schema }));

/** `id version direction path` for each finding, in order. */
function summary(result: CompatibilityResult): string[] {
  return result.findings.map((f) => `${f.id} v${f.against.version} ${f.direction} ${f.path}`);
}

// Three histories, each making some levels pass and others fail.
const SCENARIOS = {
  // v2 gave "b" a default, the new schema drops it again: only a reader of v1 data is hurt (backward, v1).
  defaultDroppedAgain: {
    previous: versions(
      rec([{ name: 'a', type: 'int' }]),
      rec([
        { name: 'a', type: 'int' },
        { name: 'b', type: 'string', default: '' },
      ]),
    ),
    schema: rec([
      { name: 'a', type: 'int' },
      { name: 'b', type: 'string' },
    ]),
  },
  // v1 required "c", v2 gave it a default, the new schema removes it: only v1 readers are hurt (forward, v1).
  requiredFieldRemoved: {
    previous: versions(
      rec([
        { name: 'a', type: 'int' },
        { name: 'c', type: 'int' },
      ]),
      rec([
        { name: 'a', type: 'int' },
        { name: 'c', type: 'int', default: 0 },
      ]),
    ),
    schema: rec([{ name: 'a', type: 'int' }]),
  },
  // int → long: the new schema reads old data, old readers cannot read new data.
  widened: {
    previous: versions(rec([{ name: 'a', type: 'int' }])),
    schema: rec([{ name: 'a', type: 'long' }]),
  },
} as const;

const TABLE: Array<[scenario: keyof typeof SCENARIOS, level: CompatibilityLevel, expected: string[]]> = [
  ['defaultDroppedAgain', 'NONE', []],
  ['defaultDroppedAgain', 'BACKWARD', []],
  [
    'defaultDroppedAgain',
    'BACKWARD_TRANSITIVE',
    ['READER_FIELD_MISSING_DEFAULT_VALUE v1 backward /fields/1'],
  ],
  ['defaultDroppedAgain', 'FORWARD', []],
  ['defaultDroppedAgain', 'FORWARD_TRANSITIVE', []],
  ['defaultDroppedAgain', 'FULL', []],
  ['defaultDroppedAgain', 'FULL_TRANSITIVE', ['READER_FIELD_MISSING_DEFAULT_VALUE v1 backward /fields/1']],
  ['requiredFieldRemoved', 'NONE', []],
  ['requiredFieldRemoved', 'BACKWARD', []],
  ['requiredFieldRemoved', 'BACKWARD_TRANSITIVE', []],
  ['requiredFieldRemoved', 'FORWARD', []],
  // Forward: the new schema is the writer, so the path is the new record's fields (where "c" went missing).
  ['requiredFieldRemoved', 'FORWARD_TRANSITIVE', ['READER_FIELD_MISSING_DEFAULT_VALUE v1 forward /fields']],
  ['requiredFieldRemoved', 'FULL', []],
  ['requiredFieldRemoved', 'FULL_TRANSITIVE', ['READER_FIELD_MISSING_DEFAULT_VALUE v1 forward /fields']],
  ['widened', 'NONE', []],
  ['widened', 'BACKWARD', []],
  ['widened', 'BACKWARD_TRANSITIVE', []],
  ['widened', 'FORWARD', ['TYPE_MISMATCH v1 forward /fields/0/type']],
  ['widened', 'FORWARD_TRANSITIVE', ['TYPE_MISMATCH v1 forward /fields/0/type']],
  ['widened', 'FULL', ['TYPE_MISMATCH v1 forward /fields/0/type']],
  ['widened', 'FULL_TRANSITIVE', ['TYPE_MISMATCH v1 forward /fields/0/type']],
];

describe('every level against three histories', () => {
  for (const [scenario, level, expected] of TABLE) {
    test(`${scenario} at ${level}`, () => {
      const { schema, previous } = SCENARIOS[scenario];
      const result = checkCompatibility({ schema, previous, level });
      assert.deepEqual(summary(result), expected);
      assert.equal(result.compatible, expected.length === 0);
      assert.equal(result.level, level);
    });
  }
});

describe('which versions and directions are checked', () => {
  const { schema, previous } = SCENARIOS.defaultDroppedAgain;
  const table: Array<[CompatibilityLevel, string[]]> = [
    ['NONE', []],
    ['BACKWARD', ['2 backward']],
    ['FORWARD', ['2 forward']],
    ['FULL', ['2 backward', '2 forward']],
    ['BACKWARD_TRANSITIVE', ['2 backward', '1 backward']],
    ['FORWARD_TRANSITIVE', ['2 forward', '1 forward']],
    ['FULL_TRANSITIVE', ['2 backward', '2 forward', '1 backward', '1 forward']],
  ];
  for (const [level, checked] of table) {
    test(`${level}: latest version first`, () => {
      const result = checkCompatibility({ schema, previous, level });
      assert.deepEqual(
        result.checked.map((c) => `${c.version} ${c.direction}`),
        checked,
      );
    });
  }

  test('with no previous version everything is compatible and nothing is checked', () => {
    const result = checkCompatibility({ schema: 'int', previous: [], level: 'FULL_TRANSITIVE' });
    assert.deepEqual(result, {
      compatible: true,
      level: 'FULL_TRANSITIVE',
      findings: [],
      warnings: [],
      checked: [],
    });
  });
});

describe('every incompatibility against every version is reported', () => {
  test('FULL_TRANSITIVE over three versions that each break differently', () => {
    const previous = versions(
      rec([
        { name: 'a', type: 'string' },
        { name: 'x', type: 'int' },
      ]),
      rec([
        { name: 'a', type: 'int' },
        { name: 'color', type: { type: 'enum', name: 'Color', symbols: ['RED', 'BLUE'] } },
      ]),
      rec([
        { name: 'a', type: 'int' },
        { name: 'color', type: { type: 'enum', name: 'Color', symbols: ['RED'] } },
      ]),
    );
    const schema = rec([
      { name: 'a', type: 'int' },
      { name: 'color', type: { type: 'enum', name: 'Color', symbols: ['RED', 'GREEN'] } },
      { name: 'n', type: 'long' },
    ]);
    const result = checkCompatibility({ schema, previous, level: 'FULL_TRANSITIVE' });
    assert.equal(result.compatible, false);
    assert.deepEqual(summary(result), [
      // v3: the new "n" has no default; v3 readers do not know GREEN.
      'READER_FIELD_MISSING_DEFAULT_VALUE v3 backward /fields/2',
      'MISSING_ENUM_SYMBOLS v3 forward /fields/1/type/symbols',
      // v2: BLUE was dropped; "n" again; GREEN again.
      'MISSING_ENUM_SYMBOLS v2 backward /fields/1/type/symbols',
      'READER_FIELD_MISSING_DEFAULT_VALUE v2 backward /fields/2',
      'MISSING_ENUM_SYMBOLS v2 forward /fields/1/type/symbols',
      // v1: "a" was a string; "color" and "n" are new without defaults; v1 readers need "x" and a string "a".
      'TYPE_MISMATCH v1 backward /fields/0/type',
      'READER_FIELD_MISSING_DEFAULT_VALUE v1 backward /fields/1',
      'READER_FIELD_MISSING_DEFAULT_VALUE v1 backward /fields/2',
      'TYPE_MISMATCH v1 forward /fields/0/type',
      'READER_FIELD_MISSING_DEFAULT_VALUE v1 forward /fields',
    ]);
    assert.deepEqual(
      result.checked.map((c) => c.compatible),
      [false, false, false, false, false, false],
    );
  });
});

describe('findings', () => {
  test('say in words who cannot read what, in both directions', () => {
    const result = checkCompatibility({
      schema: rec([{ name: 'price_micros', type: 'string' }]),
      previous: versions(rec([{ name: 'price_micros', type: 'long' }])),
      level: 'FULL',
    });
    assert.deepEqual(
      result.findings.map((f) => f.message),
      [
        'field "price_micros" type changed from long to string; a reader using the new schema cannot read long data written with the old schema (version 1)',
        'field "price_micros" type changed from long to string; a reader using the old schema (version 1) cannot read string data written with the new schema',
      ],
    );
  });

  test('carry new and old locations by role: forward findings locate the new schema as the writer', () => {
    const result = checkCompatibility({
      schema: rec([
        { name: 'z', type: 'int', default: 0 },
        { name: 'a', type: 'long' },
      ]),
      previous: versions(rec([{ name: 'a', type: 'int' }])),
      level: 'FORWARD',
    });
    const [f] = result.findings;
    assert.deepEqual(
      { path: f?.path, oldPath: f?.oldPath, readerPath: f?.readerPath, writerPath: f?.writerPath },
      {
        path: '/fields/1/type',
        oldPath: '/fields/0/type',
        readerPath: '/fields/0/type',
        writerPath: '/fields/1/type',
      },
    );
  });

  test('point into the other file when the problem is inside a named type from lookupNamedType', () => {
    const order = {
      type: 'record',
      name: 'Order',
      namespace: 'ads',
      fields: [{ name: 'price', type: 'Money' }],
    };
    const moneyNew = {
      type: 'record',
      name: 'Money',
      namespace: 'ads',
      fields: [{ name: 'micros', type: 'string' }],
    };
    const moneyOld = {
      type: 'record',
      name: 'Money',
      namespace: 'ads',
      fields: [{ name: 'micros', type: 'long' }],
    };
    const result = checkCompatibility({
      schema: order,
      lookupNamedType: (n) => (n === 'ads.Money' ? moneyNew : undefined),
      previous: [
        {
          version: '7',
          source: 'git:main',
          schema: order,
          lookupNamedType: (n) => (n === 'ads.Money' ? moneyOld : undefined),
        },
      ],
      level: 'BACKWARD',
    });
    const [f, ...rest] = result.findings;
    assert.equal(rest.length, 0);
    assert.deepEqual(
      {
        id: f?.id,
        path: f?.path,
        namedType: f?.namedType,
        oldPath: f?.oldPath,
        oldNamedType: f?.oldNamedType,
      },
      {
        id: 'TYPE_MISMATCH',
        path: '/fields/0/type',
        namedType: 'ads.Money',
        oldPath: '/fields/0/type',
        oldNamedType: 'ads.Money',
      },
    );
    assert.match(f?.message ?? '', /field "Money\.micros" type changed from long to string/);
  });

  test('fit the shared Finding shape once the caller adds file, line and column', () => {
    const result = checkCompatibility({
      schema: 'string',
      previous: versions('int'),
      level: 'BACKWARD',
    });
    const [f] = result.findings;
    assert.ok(f);
    const finding: Finding = { ...f, file: 'schemas/x.avsc', line: 1, column: 1 };
    assert.equal(finding.severity, 'error');
    assert.equal(finding.id, 'TYPE_MISMATCH');
    assert.deepEqual(finding.against, { version: '1', source: 'registry:events-value/1' });
  });

  test('keep MISSING_UNION_BRANCH causes located in the new schema', () => {
    const inner = (fields: unknown[]): unknown => ['null', { type: 'record', name: 'Inner', fields }];
    const result = checkCompatibility({
      schema: rec([{ name: 'o', type: inner([{ name: 'k', type: 'int' }]) }]),
      previous: versions(rec([{ name: 'o', type: inner([]) }])),
      level: 'BACKWARD',
    });
    const [f] = result.findings;
    assert.equal(f?.id, 'MISSING_UNION_BRANCH');
    assert.deepEqual(
      f?.causes?.map((c) => `${c.id} ${c.path} ${c.oldPath}`),
      ['READER_FIELD_MISSING_DEFAULT_VALUE /fields/0/type/1/fields/0 /fields/0/type/1/fields'],
    );
  });

  test('logical-type advisories are warnings and leave the result compatible', () => {
    const result = checkCompatibility({
      schema: { type: 'bytes', logicalType: 'decimal', precision: 12, scale: 4 },
      previous: versions({ type: 'bytes', logicalType: 'decimal', precision: 12, scale: 2 }),
      level: 'FULL',
    });
    assert.equal(result.compatible, true);
    assert.deepEqual(
      result.warnings.map((w) => `${w.id} ${w.severity} ${w.direction} v${w.against.version}`),
      ['LOGICAL_TYPE_CHANGED warning backward v1', 'LOGICAL_TYPE_CHANGED warning forward v1'],
    );
  });
});

describe('errors', () => {
  test('an unparseable old version is named in the error', () => {
    assert.throws(
      () =>
        checkCompatibility({
          schema: 'int',
          previous: versions({ type: 'record', name: 'R' }),
          level: 'BACKWARD',
        }),
      (e: unknown) =>
        e instanceof GovernanceError &&
        e.code === 'AVRO_INVALID' &&
        /^version 1 \(registry:events-value\/1\): /.test(e.message),
    );
  });

  test("an unparseable old version beyond the level's reach is not even read", () => {
    const previous = [
      ...versions({ type: 'record', name: 'R' }),
      ...versions('int').map((v) => ({ ...v, version: '2' })),
    ];
    assert.equal(checkCompatibility({ schema: 'long', previous, level: 'BACKWARD' }).compatible, true);
  });
});
