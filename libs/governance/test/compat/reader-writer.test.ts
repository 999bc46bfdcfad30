import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import avro from 'avsc';
import { checkReaderWriter, type CompatIssue } from '../../src/compat/reader-writer.ts';

const PRIMITIVES = ['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string'] as const;

// The spec's "Schema Resolution" list, written out: writer type → reader types it may be promoted to.
const SPEC_PROMOTIONS: ReadonlyArray<[writer: string, reader: string]> = [
  ['int', 'long'],
  ['int', 'float'],
  ['int', 'double'],
  ['long', 'float'],
  ['long', 'double'],
  ['float', 'double'],
  ['string', 'bytes'],
  ['bytes', 'string'],
];

function summary(issues: readonly CompatIssue[]): string[] {
  return issues.map((i) => `${i.type} r=${i.readerPath} w=${i.writerPath}`);
}

function record(
  name: string,
  fields: unknown[],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { type: 'record', name, fields, ...extra };
}

describe('primitives: equal types, every spec promotion, and every non-promotion', () => {
  for (const writer of PRIMITIVES) {
    for (const reader of PRIMITIVES) {
      const readable = reader === writer || SPEC_PROMOTIONS.some(([w, r]) => w === writer && r === reader);
      test(`writer ${writer} → reader ${reader}: ${readable ? 'compatible' : 'TYPE_MISMATCH'}`, () => {
        const result = checkReaderWriter(reader, writer);
        assert.equal(result.compatible, readable);
        assert.deepEqual(summary(result.issues), readable ? [] : ['TYPE_MISMATCH r= w=']);
        // avsc implements the same promotion table, so it must agree on every primitive pair.
        const resolves = (() => {
          try {
            avro.Type.forSchema(reader).createResolver(avro.Type.forSchema(writer));
            return true;
          } catch {
            return false;
          }
        })();
        assert.equal(resolves, readable, 'avsc disagrees');
      });
    }
  }
});

describe('different kinds never resolve', () => {
  const enumT = { type: 'enum', name: 'E', symbols: ['A'] };
  const fixedT = { type: 'fixed', name: 'F', size: 4 };
  const recordT = record('R', []);
  const arrayT = { type: 'array', items: 'int' };
  const mapT = { type: 'map', values: 'int' };
  const cases: Array<[string, unknown, unknown]> = [
    ['record ← enum', recordT, enumT],
    ['enum ← record', enumT, recordT],
    ['array ← map', arrayT, mapT],
    ['map ← array', mapT, arrayT],
    ['fixed ← bytes', fixedT, 'bytes'],
    ['bytes ← fixed', 'bytes', fixedT],
    ['string ← enum', 'string', enumT],
    ['enum ← string', enumT, 'string'],
    ['array ← int', arrayT, 'int'],
    ['record ← map', recordT, mapT],
  ];
  for (const [name, reader, writer] of cases) {
    test(name, () => {
      assert.deepEqual(summary(checkReaderWriter(reader, writer).issues), ['TYPE_MISMATCH r= w=']);
    });
  }
});

describe('records', () => {
  const cases: Array<{ name: string; reader: unknown; writer: unknown; expected: string[] }> = [
    {
      name: 'reader field absent from the writer without a default',
      reader: record('R', [
        { name: 'a', type: 'int' },
        { name: 'b', type: 'int' },
      ]),
      writer: record('R', [{ name: 'a', type: 'int' }]),
      expected: ['READER_FIELD_MISSING_DEFAULT_VALUE r=/fields/1 w=/fields'],
    },
    {
      name: 'reader field absent from the writer with a default',
      reader: record('R', [
        { name: 'a', type: 'int' },
        { name: 'b', type: 'int', default: 0 },
      ]),
      writer: record('R', [{ name: 'a', type: 'int' }]),
      expected: [],
    },
    {
      name: '"default": null counts as a default',
      reader: record('R', [{ name: 'b', type: ['null', 'int'], default: null }]),
      writer: record('R', []),
      expected: [],
    },
    {
      name: 'writer field the reader does not know is skipped',
      reader: record('R', [{ name: 'a', type: 'int' }]),
      writer: record('R', [
        { name: 'a', type: 'int' },
        { name: 'z', type: 'string' },
      ]),
      expected: [],
    },
    {
      name: 'fields are matched by name, not position',
      reader: record('R', [
        { name: 'b', type: 'string' },
        { name: 'a', type: 'long' },
      ]),
      writer: record('R', [
        { name: 'a', type: 'int' },
        { name: 'b', type: 'string' },
      ]),
      expected: [],
    },
    {
      name: 'field type resolved recursively, located at the reader field type',
      reader: record('R', [
        { name: 'a', type: 'int' },
        { name: 'p', type: 'string' },
      ]),
      writer: record('R', [
        { name: 'p', type: 'long' },
        { name: 'a', type: 'int' },
      ]),
      expected: ['TYPE_MISMATCH r=/fields/1/type w=/fields/0/type'],
    },
    {
      name: 'reader field alias matches a renamed writer field',
      reader: record('R', [{ name: 'new_name', aliases: ['old_name'], type: 'long' }]),
      writer: record('R', [{ name: 'old_name', type: 'int' }]),
      expected: [],
    },
    {
      name: 'field matched through an alias still has its type checked',
      reader: record('R', [{ name: 'new_name', aliases: ['old_name'], type: 'int' }]),
      writer: record('R', [{ name: 'old_name', type: 'string' }]),
      expected: ['TYPE_MISMATCH r=/fields/0/type w=/fields/0/type'],
    },
    {
      name: 'renamed field without alias needs a default',
      reader: record('R', [{ name: 'new_name', type: 'int' }]),
      writer: record('R', [{ name: 'old_name', type: 'int' }]),
      expected: ['READER_FIELD_MISSING_DEFAULT_VALUE r=/fields/0 w=/fields'],
    },
    {
      name: 'record name differs (NAME_MISMATCH), fields still checked',
      reader: record('New', [{ name: 'a', type: 'int' }]),
      writer: record('Old', []),
      expected: ['NAME_MISMATCH r=/name w=/name', 'READER_FIELD_MISSING_DEFAULT_VALUE r=/fields/0 w=/fields'],
    },
    {
      name: 'record alias matches the writer name',
      reader: record('New', [], { aliases: ['Old'] }),
      writer: record('Old', []),
      expected: [],
    },
    {
      name: 'relative record alias is qualified with the reader namespace (Avro Java compares full names)',
      reader: record('New', [], { namespace: 'b', aliases: ['Old'] }),
      writer: record('Old', [], { namespace: 'a' }),
      expected: ['NAME_MISMATCH r=/name w=/name'],
    },
    {
      name: 'full-name record alias matches a writer in another namespace',
      reader: record('New', [], { namespace: 'b', aliases: ['a.Old'] }),
      writer: record('Old', [], { namespace: 'a' }),
      expected: [],
    },
    {
      name: 'same unqualified name in different namespaces matches',
      reader: record('Foo', [{ name: 'x', type: 'long' }], { namespace: 'com.b' }),
      writer: record('com.a.Foo', [{ name: 'x', type: 'int' }]),
      expected: [],
    },
    {
      name: 'null namespace reader and namespaced writer match',
      reader: record('Record', []),
      writer: record('ns.Record', []),
      expected: [],
    },
    {
      name: 'an enum default is not a field default (Avro Java reports this pair as TYPE_MISMATCH; we name the cause)',
      reader: record('R', [{ name: 'e', type: { type: 'enum', name: 'E', symbols: ['A'], default: 'A' } }]),
      writer: record('R', []),
      expected: ['READER_FIELD_MISSING_DEFAULT_VALUE r=/fields/0 w=/fields'],
    },
    {
      name: 'nested record: problems located inside the nested definition',
      reader: record('Outer', [
        {
          name: 'inner',
          type: record('Inner', [
            { name: 'a', type: 'int' },
            { name: 'b', type: 'int' },
          ]),
        },
      ]),
      writer: record('Outer', [{ name: 'inner', type: record('Inner', [{ name: 'a', type: 'boolean' }]) }]),
      expected: [
        'TYPE_MISMATCH r=/fields/0/type/fields/0/type w=/fields/0/type/fields/0/type',
        'READER_FIELD_MISSING_DEFAULT_VALUE r=/fields/0/type/fields/1 w=/fields/0/type/fields',
      ],
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const result = checkReaderWriter(c.reader, c.writer);
      assert.deepEqual(summary(result.issues), c.expected);
      assert.equal(result.compatible, c.expected.length === 0);
    });
  }

  test('avsc#361: avsc createResolver rejects records whose namespaces differ; the spec and we accept them', () => {
    const writer = record('Event', [{ name: 'id', type: 'int' }], { namespace: 'com.old' });
    const reader = record('Event', [{ name: 'id', type: 'long' }], { namespace: 'com.new' });
    const avscType = (schema: unknown): avro.Type => avro.Type.forSchema(schema as avro.Schema);
    assert.throws(
      () => avscType(reader).createResolver(avscType(writer)),
      /no alias found for com\.old\.Event/,
    );
    assert.deepEqual(checkReaderWriter(reader, writer), { compatible: true, issues: [], warnings: [] });
  });

  // Avro Java's lookupWriterField throws for each of these, so a registry refuses the change.
  const ambiguous: Array<{ name: string; reader: unknown; writer: unknown }> = [
    {
      name: 'by name and by an alias naming another field',
      reader: record('R', [{ name: 'a', aliases: ['b'], type: 'int' }]),
      writer: record('R', [
        { name: 'a', type: 'int' },
        { name: 'b', type: 'string' },
      ]),
    },
    {
      name: 'by an alias equal to its own name',
      reader: record('R', [{ name: 'a', aliases: ['a'], type: 'int' }]),
      writer: record('R', [{ name: 'a', type: 'int' }]),
    },
    {
      name: 'by two aliases',
      reader: record('R', [{ name: 'c', aliases: ['a', 'b'], type: 'int' }]),
      writer: record('R', [
        { name: 'a', type: 'int' },
        { name: 'b', type: 'int' },
      ]),
    },
  ];
  for (const { name, reader, writer } of ambiguous) {
    test(`a field matching several writer fields ${name} is AMBIGUOUS_FIELD_MATCH, incompatible`, () => {
      const result = checkReaderWriter(reader, writer);
      assert.equal(result.compatible, false);
      assert.deepEqual(
        result.issues.map((i) => `${i.type} ${i.readerPath}`),
        ['AMBIGUOUS_FIELD_MATCH /fields/0'],
      );
    });
  }

  test('the same alias written twice finds one writer field, as in Avro Java (aliases are a set)', () => {
    const reader = record('R', [{ name: 'c', aliases: ['a', 'a'], type: 'int' }]);
    const writer = record('R', [{ name: 'a', type: 'int' }]);
    assert.equal(checkReaderWriter(reader, writer).compatible, true);
  });
});

describe('enums', () => {
  const e = (symbols: string[], extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    type: 'enum',
    name: 'Color',
    symbols,
    ...extra,
  });
  const cases: Array<{ name: string; reader: unknown; writer: unknown; expected: string[] }> = [
    { name: 'same symbols', reader: e(['A', 'B']), writer: e(['A', 'B']), expected: [] },
    { name: 'reader has more symbols', reader: e(['A', 'B', 'C']), writer: e(['A', 'B']), expected: [] },
    {
      name: 'writer symbol missing from the reader',
      reader: e(['A']),
      writer: e(['A', 'B']),
      expected: ['MISSING_ENUM_SYMBOLS r=/symbols w=/symbols'],
    },
    {
      name: 'reader enum default absorbs unknown symbols',
      reader: e(['A', 'U'], { default: 'U' }),
      writer: e(['A', 'B']),
      expected: [],
    },
    {
      name: 'a default that is not one of the reader symbols does not count',
      reader: e(['A'], { default: 'U' }),
      writer: e(['A', 'B']),
      expected: ['MISSING_ENUM_SYMBOLS r=/symbols w=/symbols'],
    },
    {
      name: 'enum name differs',
      reader: { type: 'enum', name: 'Colour', symbols: ['A'] },
      writer: e(['A']),
      expected: ['NAME_MISMATCH r=/name w=/name'],
    },
    {
      name: 'enum alias matches the writer name',
      reader: { type: 'enum', name: 'Colour', aliases: ['Color'], symbols: ['A'] },
      writer: e(['A']),
      expected: [],
    },
    {
      name: 'enum in another namespace with the same unqualified name',
      reader: e(['A'], { namespace: 'x' }),
      writer: e(['A'], { namespace: 'y' }),
      expected: [],
    },
  ];
  for (const c of cases) {
    test(c.name, () => assert.deepEqual(summary(checkReaderWriter(c.reader, c.writer).issues), c.expected));
  }

  test('the message names the lost symbols and who cannot read them', () => {
    const [issue] = checkReaderWriter(e(['A']), e(['A', 'B', 'C']), {
      newSide: 'reader',
      readerLabel: 'the new schema',
      writerLabel: 'the old schema (version 2)',
    }).issues;
    assert.equal(
      issue?.message,
      'enum Color lost symbol(s) ["B", "C"]; a reader using the new schema cannot read them in data written with the old schema (version 2)',
    );
  });
});

describe('fixed', () => {
  const f = (name: string, size: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    type: 'fixed',
    name,
    size,
    ...extra,
  });
  const cases: Array<{ name: string; reader: unknown; writer: unknown; expected: string[] }> = [
    { name: 'same name and size', reader: f('Hash', 16), writer: f('Hash', 16), expected: [] },
    {
      name: 'size differs',
      reader: f('Hash', 32),
      writer: f('Hash', 16),
      expected: ['FIXED_SIZE_MISMATCH r=/size w=/size'],
    },
    {
      name: 'name differs',
      reader: f('Digest', 16),
      writer: f('Hash', 16),
      expected: ['NAME_MISMATCH r=/name w=/name'],
    },
    {
      name: 'name and size differ: both reported',
      reader: f('Digest', 32),
      writer: f('Hash', 16),
      expected: ['NAME_MISMATCH r=/name w=/name', 'FIXED_SIZE_MISMATCH r=/size w=/size'],
    },
    {
      name: 'alias matches',
      reader: f('Digest', 16, { aliases: ['Hash'] }),
      writer: f('Hash', 16),
      expected: [],
    },
  ];
  for (const c of cases) {
    test(c.name, () => assert.deepEqual(summary(checkReaderWriter(c.reader, c.writer).issues), c.expected));
  }
});

describe('arrays and maps resolve their items and values', () => {
  const cases: Array<{ name: string; reader: unknown; writer: unknown; expected: string[] }> = [
    {
      name: 'array items promoted',
      reader: { type: 'array', items: 'long' },
      writer: { type: 'array', items: 'int' },
      expected: [],
    },
    {
      name: 'array items mismatch',
      reader: { type: 'array', items: 'int' },
      writer: { type: 'array', items: 'long' },
      expected: ['TYPE_MISMATCH r=/items w=/items'],
    },
    {
      name: 'map values promoted',
      reader: { type: 'map', values: 'double' },
      writer: { type: 'map', values: 'float' },
      expected: [],
    },
    {
      name: 'map values mismatch',
      reader: { type: 'map', values: 'string' },
      writer: { type: 'map', values: 'boolean' },
      expected: ['TYPE_MISMATCH r=/values w=/values'],
    },
    {
      name: 'array of records with a new required field',
      reader: { type: 'array', items: record('R', [{ name: 'n', type: 'int' }]) },
      writer: { type: 'array', items: record('R', []) },
      expected: ['READER_FIELD_MISSING_DEFAULT_VALUE r=/items/fields/0 w=/items/fields'],
    },
  ];
  for (const c of cases) {
    test(c.name, () => assert.deepEqual(summary(checkReaderWriter(c.reader, c.writer).issues), c.expected));
  }
});

describe('unions in every direction', () => {
  const cases: Array<{ name: string; reader: unknown; writer: unknown; expected: string[] }> = [
    { name: 'union → same union', reader: ['null', 'string'], writer: ['null', 'string'], expected: [] },
    { name: 'union → reordered union', reader: ['string', 'null'], writer: ['null', 'string'], expected: [] },
    {
      name: 'union → wider union',
      reader: ['null', 'string', 'int'],
      writer: ['null', 'string'],
      expected: [],
    },
    { name: 'union → union via promotion', reader: ['null', 'long'], writer: ['null', 'int'], expected: [] },
    {
      name: 'union → narrower union: MISSING_UNION_BRANCH at the writer branch',
      reader: ['null', 'string'],
      writer: ['null', 'string', 'int'],
      expected: ['MISSING_UNION_BRANCH r= w=/2'],
    },
    {
      name: 'union → union missing two branches: both reported',
      reader: ['null'],
      writer: ['null', 'string', 'int'],
      expected: ['MISSING_UNION_BRANCH r= w=/1', 'MISSING_UNION_BRANCH r= w=/2'],
    },
    {
      name: 'union → non-union reading every branch',
      reader: 'double',
      writer: ['int', 'float'],
      expected: [],
    },
    {
      name: 'union → non-union: TYPE_MISMATCH for each unreadable writer branch',
      reader: 'long',
      writer: ['null', 'int', 'string'],
      expected: ['TYPE_MISMATCH r= w=/0', 'TYPE_MISMATCH r= w=/2'],
    },
    { name: 'non-union → union containing it', reader: ['null', 'int'], writer: 'int', expected: [] },
    { name: 'non-union → union via promotion', reader: ['null', 'double'], writer: 'int', expected: [] },
    {
      name: 'non-union → union lacking it: MISSING_UNION_BRANCH (Avro Java), not TYPE_MISMATCH',
      reader: ['null', 'int'],
      writer: 'string',
      expected: ['MISSING_UNION_BRANCH r= w='],
    },
    {
      name: 'record → union of records matched by unqualified name',
      reader: ['null', record('x.R', [{ name: 'a', type: 'long' }])],
      writer: record('y.R', [{ name: 'a', type: 'int' }]),
      expected: [],
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const result = checkReaderWriter(c.reader, c.writer);
      assert.deepEqual(summary(result.issues), c.expected);
      assert.equal(result.compatible, c.expected.length === 0);
    });
  }

  test('an incompatible record inside a union is reported as MISSING_UNION_BRANCH with the cause attached', () => {
    const reader = record('Outer', [
      {
        name: 'o',
        type: [
          'null',
          record('Inner', [
            { name: 'a', type: 'int' },
            { name: 'b', type: 'int' },
          ]),
        ],
      },
    ]);
    const writer = record('Outer', [
      { name: 'o', type: ['null', record('Inner', [{ name: 'a', type: 'int' }])] },
    ]);
    const [issue, ...rest] = checkReaderWriter(reader, writer).issues;
    assert.equal(rest.length, 0);
    assert.equal(issue?.type, 'MISSING_UNION_BRANCH');
    assert.equal(issue?.readerPath, '/fields/0/type');
    assert.equal(issue?.writerPath, '/fields/0/type/1');
    assert.deepEqual(summary(issue?.causes ?? []), [
      'READER_FIELD_MISSING_DEFAULT_VALUE r=/fields/0/type/1/fields/1 w=/fields/0/type/1/fields',
    ]);
    assert.match(issue?.causes?.[0]?.message ?? '', /field "Inner\.b"/);
  });

  test('a record pair first compared inside a union probe still reports its issues when compared directly', () => {
    const inner = (fields: unknown[]): Record<string, unknown> => record('Inner', fields);
    const reader = record('Outer', [
      { name: 'a', type: ['null', inner([{ name: 'k', type: 'int' }])] },
      { name: 'b', type: 'Inner' },
    ]);
    const writer = record('Outer', [
      { name: 'a', type: inner([]) },
      { name: 'b', type: 'Inner' },
    ]);
    assert.deepEqual(summary(checkReaderWriter(reader, writer).issues), [
      'MISSING_UNION_BRANCH r=/fields/0/type w=/fields/0/type',
      'READER_FIELD_MISSING_DEFAULT_VALUE r=/fields/0/type/1/fields/0 w=/fields/0/type/fields',
    ]);
  });

  test('messages for a union narrowed to its value type say which writer branch cannot be read', () => {
    const [issue] = checkReaderWriter(
      record('R', [{ name: 'opt', type: 'long' }]),
      record('R', [{ name: 'opt', type: ['null', 'long'] }]),
      { newSide: 'reader', readerLabel: 'the new schema', writerLabel: 'the old schema (version 1)' },
    ).issues;
    assert.equal(
      issue?.message,
      'field "opt" type changed from union [null, long] to long; a reader using the new schema cannot read null data written with the old schema (version 1)',
    );
  });
});

describe('recursive schemas', () => {
  const list = (valueType: string, extraField?: unknown): Record<string, unknown> =>
    record('Node', [
      { name: 'value', type: valueType },
      { name: 'next', type: ['null', 'Node'], default: null },
      ...(extraField === undefined ? [] : [extraField]),
    ]);

  test('a linked list against itself terminates and is compatible', () => {
    assert.deepEqual(checkReaderWriter(list('int'), list('int')).issues, []);
  });

  test('a promotion inside a recursive type is compatible', () => {
    assert.deepEqual(checkReaderWriter(list('long'), list('int')).issues, []);
  });

  test('an incompatible change in a recursive type is reported once, at its definition', () => {
    const result = checkReaderWriter(list('int', { name: 'extra', type: 'string' }), list('string'));
    assert.deepEqual(summary(result.issues), [
      'TYPE_MISMATCH r=/fields/0/type w=/fields/0/type',
      'READER_FIELD_MISSING_DEFAULT_VALUE r=/fields/2 w=/fields',
    ]);
  });

  test('mutually recursive named types resolve', () => {
    const tree = (leaf: string): Record<string, unknown> =>
      record('Tree', [
        {
          name: 'children',
          type: {
            type: 'array',
            items: record('Branch', [
              { name: 'tree', type: 'Tree' },
              { name: 'leaf', type: leaf },
            ]),
          },
        },
      ]);
    assert.deepEqual(checkReaderWriter(tree('double'), tree('float')).issues, []);
    assert.deepEqual(summary(checkReaderWriter(tree('float'), tree('double')).issues), [
      'TYPE_MISMATCH r=/fields/0/type/items/fields/1/type w=/fields/0/type/items/fields/1/type',
    ]);
  });
});

describe('named types from other files (lookupNamedType)', () => {
  const moneyV1 = {
    type: 'record',
    name: 'Money',
    namespace: 'com.ads',
    fields: [{ name: 'micros', type: 'long' }],
  };
  const moneyV2 = {
    type: 'record',
    name: 'Money',
    namespace: 'com.ads',
    fields: [
      { name: 'micros', type: 'long' },
      { name: 'currency', type: 'string' },
    ],
  };
  const order = record(
    'Order',
    [
      { name: 'id', type: 'string' },
      { name: 'price', type: 'Money' },
    ],
    { namespace: 'com.ads' },
  );
  const lookupFor = (money: unknown) => (fullname: string) =>
    fullname === 'com.ads.Money' ? money : undefined;

  test('a problem inside the other file is located in it, with its full name', () => {
    const result = checkReaderWriter(order, order, {
      readerLookupNamedType: lookupFor(moneyV2),
      writerLookupNamedType: lookupFor(moneyV1),
    });
    assert.deepEqual(
      result.issues.map((i) => [i.type, i.readerPath, i.readerNamedType, i.writerPath, i.writerNamedType]),
      [['READER_FIELD_MISSING_DEFAULT_VALUE', '/fields/1', 'com.ads.Money', '/fields', 'com.ads.Money']],
    );
  });

  test('a relative reference resolves in the enclosing namespace; the same file on both sides is compatible', () => {
    assert.equal(checkReaderWriter(order, order, { lookupNamedType: lookupFor(moneyV1) }).compatible, true);
  });

  test('replacing a referenced type by a primitive is a TYPE_MISMATCH at the reference, in this file', () => {
    const writer = record(
      'Order',
      [
        { name: 'id', type: 'string' },
        { name: 'price', type: 'long' },
      ],
      { namespace: 'com.ads' },
    );
    const [issue] = checkReaderWriter(order, writer, { lookupNamedType: lookupFor(moneyV1) }).issues;
    assert.equal(issue?.type, 'TYPE_MISMATCH');
    assert.equal(issue?.readerPath, '/fields/1/type');
    assert.equal(issue?.readerNamedType, undefined);
  });

  test('a name not in the enclosing namespace does not fall back to the null namespace (docs/names.md)', () => {
    const plain = { type: 'record', name: 'Money', fields: [{ name: 'micros', type: 'long' }] };
    const lookup = (fullname: string): unknown => (fullname === 'Money' ? plain : undefined);
    assert.throws(() => checkReaderWriter(order, order, { lookupNamedType: lookup }), {
      code: 'UNKNOWN_NAMED_TYPE',
    });
  });
});

describe('every incompatibility is collected, not just the first', () => {
  test('five problems in one pair give five issues', () => {
    const reader = record('R', [
      { name: 'a', type: 'string' },
      { name: 'b', type: { type: 'enum', name: 'E', symbols: ['X'] } },
      { name: 'c', type: { type: 'fixed', name: 'F', size: 8 } },
      { name: 'd', type: 'int' },
      { name: 'e', type: ['null', 'int'] },
    ]);
    const writer = record('R', [
      { name: 'a', type: 'int' },
      { name: 'b', type: { type: 'enum', name: 'E', symbols: ['X', 'Y'] } },
      { name: 'c', type: { type: 'fixed', name: 'F', size: 4 } },
      { name: 'e', type: ['null', 'int', 'string'] },
    ]);
    assert.deepEqual(summary(checkReaderWriter(reader, writer).issues), [
      'TYPE_MISMATCH r=/fields/0/type w=/fields/0/type',
      'MISSING_ENUM_SYMBOLS r=/fields/1/type/symbols w=/fields/1/type/symbols',
      'FIXED_SIZE_MISMATCH r=/fields/2/type/size w=/fields/2/type/size',
      'READER_FIELD_MISSING_DEFAULT_VALUE r=/fields/3 w=/fields',
      'MISSING_UNION_BRANCH r=/fields/4/type w=/fields/3/type/2',
    ]);
  });
});

describe('logical types do not affect resolution (Avro Java, Confluent) but changes are flagged', () => {
  const cases: Array<{ name: string; reader: unknown; writer: unknown; warning: RegExp | null }> = [
    {
      name: 'decimal scale change',
      reader: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 4 },
      writer: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 },
      warning: /decimal scale changed from 2 to 4/,
    },
    {
      name: 'decimal precision change',
      reader: { type: 'bytes', logicalType: 'decimal', precision: 8, scale: 2 },
      writer: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 },
      warning: /decimal precision changed from 10 to 8/,
    },
    {
      name: 'timestamp-millis to timestamp-micros',
      reader: { type: 'long', logicalType: 'timestamp-micros' },
      writer: { type: 'long', logicalType: 'timestamp-millis' },
      warning: /logical type changed from timestamp-millis to timestamp-micros/,
    },
    {
      name: 'date (int) promoted to plain long',
      reader: 'long',
      writer: { type: 'int', logicalType: 'date' },
      warning: /logical type changed from date to none/,
    },
    {
      name: 'identical decimal',
      reader: { type: 'fixed', name: 'D', size: 8, logicalType: 'decimal', precision: 18, scale: 6 },
      writer: { type: 'fixed', name: 'D', size: 8, logicalType: 'decimal', precision: 18, scale: 6 },
      warning: null,
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const result = checkReaderWriter(c.reader, c.writer, { newSide: 'reader' });
      assert.equal(result.compatible, true);
      if (c.warning === null) assert.deepEqual(result.warnings, []);
      else {
        assert.equal(result.warnings.length, 1);
        assert.equal(result.warnings[0]?.type, 'LOGICAL_TYPE_CHANGED');
        assert.match(result.warnings[0]?.message ?? '', c.warning);
      }
    });
  }

  test('a logical type over an incompatible base type is still a TYPE_MISMATCH', () => {
    const result = checkReaderWriter(
      { type: 'int', logicalType: 'date' },
      { type: 'long', logicalType: 'timestamp-millis' },
    );
    assert.deepEqual(summary(result.issues), ['TYPE_MISMATCH r= w=']);
  });
});
