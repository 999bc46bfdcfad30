import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LINT_RULES } from '../../src/lint/catalog.ts';
import { EVENT_CONFIG, EVENT_ID, EVENT_TIME, brief, eventFile, field, lintFiles, record } from './support.ts';
import type { Files } from './support.ts';

interface Case {
  name: string;
  files: Files;
  config?: Record<string, unknown>;
  /** `file pointer ID` of every finding of the rule under test; empty = the passing case. */
  expect: string[];
  /** A passing case that other rules would flag (so it is left out of the all-rules check). */
  isolated?: boolean;
}

const common = { 'com/acme/common/Geo.avsc': record('Geo', 'com.acme.common', [field('country', 'string')]) };
const placement = {
  type: 'enum',
  name: 'Placement',
  doc: 'Where.',
  symbols: ['UNKNOWN', 'BANNER'],
  default: 'UNKNOWN',
};

const table: Record<string, Case[]> = {
  FILE_PARSES_JSON: [
    {
      name: 'trailing comma',
      files: { 'com/acme/Ev.avsc': '{"type": "record",}' },
      expect: ['com/acme/Ev.avsc  FILE_PARSES_JSON'],
    },
    { name: 'valid JSON', files: eventFile(), expect: [] },
  ],
  FILE_PARSES_AVRO: [
    {
      name: 'record without fields',
      files: { 'com/acme/Ev.avsc': { type: 'record', name: 'Ev', namespace: 'com.acme' } },
      expect: ['com/acme/Ev.avsc  FILE_PARSES_AVRO'],
    },
    {
      name: 'rejected only by avsc',
      files: eventFile(field('a', 'int', { order: 'sideways' })),
      expect: ['com/acme/Ev.avsc /fields/2/order FILE_PARSES_AVRO'],
    },
    { name: 'valid schema', files: eventFile(field('a', 'int', { order: 'descending' })), expect: [] },
  ],
  NAMED_TYPE_RESOLVES: [
    {
      name: 'unknown name',
      files: eventFile(field('geo', 'com.acme.common.Gone')),
      expect: ['com/acme/Ev.avsc /fields/2/type NAMED_TYPE_RESOLVES'],
    },
    {
      name: 'name from another file',
      files: { ...eventFile(field('geo', 'com.acme.common.Geo')), ...common },
      expect: [],
    },
  ],
  NAMED_TYPE_UNIQUE: [
    {
      name: 'same name in two files',
      files: { ...common, 'com/acme/common/Geo2.avsc': record('Geo', 'com.acme.common', []) },
      expect: [
        'com/acme/common/Geo.avsc /name NAMED_TYPE_UNIQUE',
        'com/acme/common/Geo2.avsc /name NAMED_TYPE_UNIQUE',
      ],
    },
    {
      name: 'same simple name, other namespace',
      files: { ...common, 'com/acme/other/Geo.avsc': record('Geo', 'com.acme.other', []) },
      expect: [],
    },
  ],
  NO_REFERENCE_CYCLE: [
    {
      name: 'two files referencing each other',
      files: {
        'x/A.avsc': record('A', 'x', [field('b', ['null', 'x.B'], { default: null })]),
        'x/B.avsc': record('B', 'x', [field('a', ['null', 'x.A'], { default: null })]),
      },
      expect: [
        'x/A.avsc /fields/0/type/1 NO_REFERENCE_CYCLE',
        'x/B.avsc /fields/0/type/1 NO_REFERENCE_CYCLE',
      ],
    },
    {
      name: 'recursive record in one file',
      files: { 'x/A.avsc': record('A', 'x', [field('next', ['null', 'A'], { default: null })]) },
      expect: [],
    },
  ],
  FIELD_DEFAULT_MATCHES_TYPE: [
    {
      name: 'mismatched defaults of every kind',
      files: {
        ...common,
        ...eventFile(
          field('a', 'int', { default: 'x' }),
          field('b', 'int', { default: 2 ** 31 }),
          field('c', 'long', { default: 1.5 }),
          field('d', ['string', 'null'], { default: null }),
          field('e', 'bytes', { default: '\u0100' }),
          field('f', { type: 'fixed', name: 'Two', doc: 'Two bytes.', size: 2 }, { default: 'abc' }),
          field('g', { type: 'array', items: 'int' }, { default: [1, 'two'] }),
          field('h', { type: 'map', values: 'boolean' }, { default: { k: 1 } }),
          field('i', 'com.acme.common.Geo', { default: {} }),
          field('j', { ...placement }, { default: 'NOPE' }),
          field('k', 'string', { default: null }),
          field('l', { type: 'string', logicalType: 'uuid' }, { default: 5 }),
        ),
      },
      expect: [
        'com/acme/Ev.avsc /fields/2/default FIELD_DEFAULT_MATCHES_TYPE',
        'com/acme/Ev.avsc /fields/3/default FIELD_DEFAULT_MATCHES_TYPE',
        'com/acme/Ev.avsc /fields/4/default FIELD_DEFAULT_MATCHES_TYPE',
        'com/acme/Ev.avsc /fields/5/default FIELD_DEFAULT_MATCHES_TYPE',
        'com/acme/Ev.avsc /fields/6/default FIELD_DEFAULT_MATCHES_TYPE',
        'com/acme/Ev.avsc /fields/7/default FIELD_DEFAULT_MATCHES_TYPE',
        'com/acme/Ev.avsc /fields/8/default/1 FIELD_DEFAULT_MATCHES_TYPE',
        'com/acme/Ev.avsc /fields/9/default/k FIELD_DEFAULT_MATCHES_TYPE',
        'com/acme/Ev.avsc /fields/10/default FIELD_DEFAULT_MATCHES_TYPE',
        'com/acme/Ev.avsc /fields/11/default FIELD_DEFAULT_MATCHES_TYPE',
        'com/acme/Ev.avsc /fields/12/default FIELD_DEFAULT_MATCHES_TYPE',
        'com/acme/Ev.avsc /fields/13/default FIELD_DEFAULT_MATCHES_TYPE',
      ],
    },
    {
      name: 'valid defaults of every kind',
      files: {
        ...common,
        ...eventFile(
          field('a', 'int', { default: -5 }),
          field('c', 'long', { default: 1e15 }),
          field('d', ['string', 'null'], { default: 'x' }),
          field('e', 'bytes', { default: '\u00ff\u0000' }),
          field('f', { type: 'fixed', name: 'Two', doc: 'Two bytes.', size: 2 }, { default: 'ab' }),
          field('g', { type: 'array', items: 'int' }, { default: [1, 2] }),
          field('h', { type: 'map', values: 'boolean' }, { default: { k: true } }),
          field('i', 'com.acme.common.Geo', { default: { country: 'US' } }),
          field('j', { ...placement }, { default: 'BANNER' }),
          field('k', 'Placement', { default: 'UNKNOWN' }),
          field('m', 'double', { default: 1 }),
          field('n', ['null', 'com.acme.common.Geo'], { default: null }),
          field('o', { type: 'int', logicalType: 'date' }, { default: 0 }),
        ),
      },
      expect: [],
      isolated: true,
    },
  ],
  CONFIG_MAPPING_RESOLVES: [
    {
      name: 'mapping to a missing schema',
      files: eventFile(),
      config: { subjects: [...EVENT_CONFIG.subjects, { schema: 'com.acme.Gone', topic: 'gone' }] },
      expect: ['avro-gov.json /subjects/1/schema CONFIG_MAPPING_RESOLVES'],
    },
    { name: 'every mapping resolves', files: eventFile(), expect: [] },
  ],
  FILE_PATH_MATCHES_NAME: [
    {
      name: 'wrong folder',
      files: { 'com/Ev.avsc': record('Ev', 'com.acme', []) },
      expect: ['com/Ev.avsc /name FILE_PATH_MATCHES_NAME'],
    },
    {
      name: 'wrong file name',
      files: { 'com/acme/Event.avsc': record('Ev', 'com.acme', []) },
      expect: ['com/acme/Event.avsc /name FILE_PATH_MATCHES_NAME'],
    },
    {
      name: 'dotted name',
      files: { 'com/acme/Ev.avsc': { ...record('com.acme.Ev', undefined, []) } },
      config: {},
      expect: [],
    },
    { name: 'matching path', files: eventFile(), expect: [] },
  ],
  NAMESPACE_REQUIRED: [
    {
      name: 'no namespace',
      files: { 'Ev.avsc': record('Ev', undefined, []) },
      expect: ['Ev.avsc /name NAMESPACE_REQUIRED'],
    },
    {
      name: 'explicit empty namespace',
      files: { 'Ev.avsc': record('Ev', '', []) },
      expect: ['Ev.avsc /name NAMESPACE_REQUIRED'],
    },
    { name: 'namespaced', files: eventFile(), expect: [] },
  ],
  ENUM_DEFAULT_VALID: [
    {
      name: 'missing and invalid defaults',
      files: eventFile(
        field('p', { type: 'enum', name: 'P', doc: 'P.', symbols: ['A'] }),
        field('q', { type: 'enum', name: 'Q', doc: 'Q.', symbols: ['A'], default: 'B' }),
      ),
      expect: [
        'com/acme/Ev.avsc /fields/2/type/name ENUM_DEFAULT_VALID',
        'com/acme/Ev.avsc /fields/3/type/default ENUM_DEFAULT_VALID',
      ],
    },
    { name: 'default is a symbol', files: eventFile(field('p', placement)), expect: [] },
  ],
  UNION_NULL_FIRST: [
    {
      name: 'null last, also inside arrays',
      files: eventFile(
        field('a', ['string', 'null'], { default: 'x' }),
        field('b', { type: 'array', items: ['int', { type: 'null' }] }, { default: [] }),
      ),
      expect: [
        'com/acme/Ev.avsc /fields/2/type/1 UNION_NULL_FIRST',
        'com/acme/Ev.avsc /fields/3/type/items/1 UNION_NULL_FIRST',
      ],
    },
    {
      name: 'null first',
      files: eventFile(
        field('a', ['null', 'string'], { default: null }),
        field('b', ['int', 'string'], { default: 1 }),
      ),
      expect: [],
    },
  ],
  FIELD_NULLABLE_DEFAULT_NULL: [
    {
      name: 'missing default and non-null default',
      files: eventFile(field('a', ['null', 'string']), field('b', ['string', 'null'], { default: 'x' })),
      expect: [
        'com/acme/Ev.avsc /fields/2/name FIELD_NULLABLE_DEFAULT_NULL',
        'com/acme/Ev.avsc /fields/3/default FIELD_NULLABLE_DEFAULT_NULL',
      ],
    },
    { name: 'default null', files: eventFile(field('a', ['null', 'string'], { default: null })), expect: [] },
  ],
  TYPE_NAME_PASCAL_CASE: [
    {
      name: 'snake and camel names',
      files: {
        'com/acme/ev_record.avsc': record('ev_record', 'com.acme', [
          field('p', { ...placement, name: 'placement' }),
        ]),
      },
      expect: [
        'com/acme/ev_record.avsc /name TYPE_NAME_PASCAL_CASE',
        'com/acme/ev_record.avsc /fields/0/type/name TYPE_NAME_PASCAL_CASE',
      ],
    },
    {
      name: 'PascalCase with digits',
      files: {
        'com/acme/Ev2.avsc': record('Ev2', 'com.acme', [
          field('h', { type: 'fixed', name: 'Sha256', doc: 'h', size: 32 }),
        ]),
      },
      expect: [],
    },
  ],
  FIELD_LOWER_SNAKE_CASE: [
    {
      name: 'PascalCase, camelCase, double and trailing underscores',
      files: eventFile(
        field('AdId', 'long'),
        field('adId', 'long'),
        field('ad__id', 'long'),
        field('ad_id_', 'long'),
      ),
      expect: [
        'com/acme/Ev.avsc /fields/2/name FIELD_LOWER_SNAKE_CASE',
        'com/acme/Ev.avsc /fields/3/name FIELD_LOWER_SNAKE_CASE',
        'com/acme/Ev.avsc /fields/4/name FIELD_LOWER_SNAKE_CASE',
        'com/acme/Ev.avsc /fields/5/name FIELD_LOWER_SNAKE_CASE',
      ],
    },
    {
      name: 'lower_snake_case with digits',
      files: eventFile(field('ad_id', 'long'), field('sha256', 'string'), field('x2_y', 'int')),
      expect: [],
    },
  ],
  ENUM_SYMBOL_UPPER_SNAKE_CASE: [
    {
      name: 'mixed-case symbols',
      files: eventFile(field('p', { ...placement, symbols: ['UNKNOWN', 'PreRoll', 'mid_roll'] })),
      expect: [
        'com/acme/Ev.avsc /fields/2/type/symbols/1 ENUM_SYMBOL_UPPER_SNAKE_CASE',
        'com/acme/Ev.avsc /fields/2/type/symbols/2 ENUM_SYMBOL_UPPER_SNAKE_CASE',
      ],
    },
    {
      name: 'UPPER_SNAKE_CASE',
      files: eventFile(field('p', { ...placement, symbols: ['UNKNOWN', 'PRE_ROLL', 'MP4_H264'] })),
      expect: [],
    },
  ],
  NAMESPACE_LOWER_CASE: [
    {
      name: 'capitalised namespace and dotted name',
      files: {
        'com/Acme/Ev.avsc': record('Ev', 'com.Acme', [
          field('x', { type: 'enum', name: 'Com.X', doc: 'x', symbols: ['A'], default: 'A' }),
        ]),
      },
      expect: [
        'com/Acme/Ev.avsc /namespace NAMESPACE_LOWER_CASE',
        'com/Acme/Ev.avsc /fields/0/type/name NAMESPACE_LOWER_CASE',
      ],
    },
    { name: 'lower case', files: eventFile(), expect: [] },
  ],
  TYPE_DOC_REQUIRED: [
    {
      name: 'missing and blank docs',
      files: {
        'com/acme/Ev.avsc': {
          type: 'record',
          name: 'Ev',
          namespace: 'com.acme',
          doc: '  ',
          fields: [field('p', { type: 'enum', name: 'P', symbols: ['A'], default: 'A' })],
        },
      },
      expect: [
        'com/acme/Ev.avsc /doc TYPE_DOC_REQUIRED',
        'com/acme/Ev.avsc /fields/0/type/name TYPE_DOC_REQUIRED',
      ],
    },
    { name: 'documented', files: eventFile(field('p', placement)), expect: [] },
  ],
  FIELD_DOC_REQUIRED: [
    {
      name: 'missing and empty field docs',
      files: eventFile({ name: 'a', type: 'int' }, { name: 'b', type: 'int', doc: '' }),
      expect: [
        'com/acme/Ev.avsc /fields/2/name FIELD_DOC_REQUIRED',
        'com/acme/Ev.avsc /fields/3/doc FIELD_DOC_REQUIRED',
      ],
    },
    { name: 'documented', files: eventFile(field('a', 'int')), expect: [] },
  ],
  EVENT_ID_REQUIRED: [
    {
      name: 'missing',
      files: { 'com/acme/Ev.avsc': record('Ev', 'com.acme', [EVENT_TIME]) },
      config: EVENT_CONFIG,
      expect: ['com/acme/Ev.avsc /name EVENT_ID_REQUIRED'],
    },
    {
      name: 'wrong type',
      files: { 'com/acme/Ev.avsc': record('Ev', 'com.acme', [field('event_id', 'long'), EVENT_TIME]) },
      config: EVENT_CONFIG,
      expect: ['com/acme/Ev.avsc /fields/0/type EVENT_ID_REQUIRED'],
    },
    {
      name: 'plain string',
      files: { 'com/acme/Ev.avsc': record('Ev', 'com.acme', [field('event_id', 'string'), EVENT_TIME]) },
      config: EVENT_CONFIG,
      expect: [],
    },
    { name: 'uuid string', files: eventFile(), config: EVENT_CONFIG, expect: [] },
    {
      name: 'not an event (no topic)',
      files: { 'com/acme/Ev.avsc': record('Ev', 'com.acme', []) },
      config: {},
      expect: [],
    },
  ],
  EVENT_TIME_REQUIRED: [
    {
      name: 'missing',
      files: { 'com/acme/Ev.avsc': record('Ev', 'com.acme', [EVENT_ID]) },
      config: EVENT_CONFIG,
      expect: ['com/acme/Ev.avsc /name EVENT_TIME_REQUIRED'],
    },
    {
      name: 'long without logical type',
      files: { 'com/acme/Ev.avsc': record('Ev', 'com.acme', [EVENT_ID, field('event_time', 'long')]) },
      config: EVENT_CONFIG,
      expect: ['com/acme/Ev.avsc /fields/1/type EVENT_TIME_REQUIRED'],
    },
    {
      name: 'timestamp-micros',
      files: {
        'com/acme/Ev.avsc': record('Ev', 'com.acme', [
          EVENT_ID,
          field('event_time', { type: 'long', logicalType: 'timestamp-micros' }),
        ]),
      },
      config: EVENT_CONFIG,
      expect: [],
    },
    { name: 'timestamp-millis', files: eventFile(), config: EVENT_CONFIG, expect: [] },
  ],
};

describe('lint rules', () => {
  it('has a failing and a passing case for every rule', () => {
    for (const rule of LINT_RULES) {
      const cases = table[rule.id];
      assert.ok(cases, `no cases for ${rule.id}`);
      assert.ok(
        cases.some((c) => c.expect.length > 0),
        `${rule.id} has no failing case`,
      );
      assert.ok(
        cases.some((c) => c.expect.length === 0),
        `${rule.id} has no passing case`,
      );
    }
  });

  for (const [id, cases] of Object.entries(table)) {
    describe(id, () => {
      for (const c of cases) {
        it(c.name, () => {
          const config = { ...(c.config ?? EVENT_CONFIG), lint: { use: [id] } };
          const findings = lintFiles(c.files, config);
          assert.deepEqual(brief(findings), c.expect);
          for (const f of findings) {
            assert.equal(f.id, id);
            assert.equal(f.severity, 'error');
            assert.equal(f.category, LINT_RULES.find((r) => r.id === id)?.category);
            assert.ok(f.line >= 1 && f.column >= 1);
          }
        });
      }
    });
  }

  it('every passing case is clean under every rule', () => {
    for (const [id, cases] of Object.entries(table)) {
      for (const c of cases) {
        if (c.expect.length > 0 || c.isolated) continue;
        const config = c.config ?? (Object.keys(c.files).includes('com/acme/Ev.avsc') ? EVENT_CONFIG : {});
        assert.deepEqual(brief(lintFiles(c.files, config)), [], `${id}: ${c.name}`);
      }
    }
  });
});

describe('lint messages and positions', () => {
  it('points at the exact offending value', () => {
    const [f] = lintFiles(
      {
        'com/acme/Ev.avsc':
          '{\n  "type": "record", "name": "Ev", "namespace": "com.acme", "doc": "d",\n  "fields": [\n    {"name": "AdId", "type": "long", "doc": "d"}\n  ]\n}',
      },
      { lint: { use: ['STYLE'] } },
    );
    assert.deepEqual(f, {
      file: 'schemas/com/acme/Ev.avsc',
      line: 4,
      column: 14,
      id: 'FIELD_LOWER_SNAKE_CASE',
      message: 'Field name "AdId" should be lower_snake_case.',
      path: '/fields/0/name',
      severity: 'error',
      category: 'STYLE',
    });
  });

  it('explains a union default mismatch with the first branch', () => {
    const [f] = lintFiles(eventFile(field('a', ['null', 'string'], { default: 'x' })), {
      ...EVENT_CONFIG,
      lint: { use: ['FIELD_DEFAULT_MATCHES_TYPE'] },
    });
    assert.equal(
      f?.message,
      `Default of field "a" does not match its type: a union's default must match its first branch ("null"): expected null, got "x".`,
    );
  });
});
