// The schema spec → Parquet schema elements and Dremel levels, and the specs the writer refuses.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatParquetSchema, ParquetError, parquetSchema } from '../src/index.ts';
import type { ParquetFieldSpec, ParquetShape } from '../src/index.ts';
import { p, STRING } from './shapes.ts';

describe('parquetSchema', () => {
  it('lays out groups, 3-level lists, maps and one-ofs as the Parquet spec names them', () => {
    const schema = parquetSchema({
      name: 'com.example.T',
      fields: [
        { name: 'id', shape: p('INT64') },
        {
          name: 'at',
          optional: true,
          shape: p('INT64', { logicalType: { type: 'TIMESTAMP', unit: 'MILLIS', isAdjustedToUTC: true } }),
        },
        { name: 'hive_at', shape: p('INT96', { unit: 'MICROS' }) },
        { name: 'tags', shape: { kind: 'list', element: STRING, optionalElements: true } },
        {
          name: 'attrs',
          optional: true,
          shape: { kind: 'map', value: { kind: 'list', element: p('INT32') } },
        },
        {
          name: 'geo',
          optional: true,
          shape: {
            kind: 'group',
            fields: [
              {
                name: 'amount',
                shape: p('FIXED_LEN_BYTE_ARRAY', {
                  typeLength: 8,
                  logicalType: { type: 'DECIMAL', precision: 18, scale: 9 },
                }),
              },
            ],
          },
        },
        {
          name: 'u',
          shape: {
            kind: 'oneOf',
            members: [
              { name: 'member0', shape: p('INT32') },
              { name: 'member1', shape: STRING },
            ],
            select: () => 0,
            expected: 'int | string',
          },
        },
      ],
    });
    assert.equal(
      formatParquetSchema(schema),
      [
        'message com.example.T {',
        '  required int64 id;',
        '  optional int64 at (TIMESTAMP(MILLIS,true));',
        '  required int96 hive_at;',
        '  required group tags (LIST) {',
        '    repeated group list {',
        '      optional binary element (STRING);',
        '    }',
        '  }',
        '  optional group attrs (MAP) {',
        '    repeated group key_value {',
        '      required binary key (STRING);',
        '      required group value (LIST) {',
        '        repeated group list {',
        '          required int32 element;',
        '        }',
        '      }',
        '    }',
        '  }',
        '  optional group geo {',
        '    required fixed_len_byte_array(8) amount (DECIMAL(18,9));',
        '  }',
        '  required group u {',
        '    optional int32 member0;',
        '    optional binary member1 (STRING);',
        '  }',
        '}',
      ].join('\n'),
    );
    assert.deepEqual(
      schema.columns.map((c) => [c.path.join('.'), c.maxDefinitionLevel, c.maxRepetitionLevel]),
      [
        ['id', 0, 0],
        ['at', 1, 0],
        ['hive_at', 0, 0],
        ['tags.list.element', 2, 1],
        ['attrs.key_value.key', 2, 1],
        ['attrs.key_value.value.list.element', 3, 2],
        ['geo.amount', 1, 0],
        ['u.member0', 1, 0],
        ['u.member1', 1, 0],
      ],
    );
  });

  const field = (shape: ParquetShape, extra: Partial<ParquetFieldSpec> = {}): ParquetFieldSpec[] => [
    { name: 'ok', shape: p('INT32') },
    { name: 'f', shape, ...extra },
  ];
  const REFUSED: [string, ParquetFieldSpec[], string][] = [
    ['an empty root', [], ''],
    ['an empty group', field({ kind: 'group', fields: [] }), 'f'],
    [
      'a duplicate field name',
      [
        { name: 'f', shape: p('INT32') },
        { name: 'f', shape: p('INT64') },
      ],
      'f',
    ],
    ['an unnamed field', [{ name: '', shape: p('INT32') }], ''],
    ['STRING on INT32', field(p('INT32', { logicalType: { type: 'STRING' } })), 'f'],
    [
      'TIMESTAMP on INT32',
      field(p('INT32', { logicalType: { type: 'TIMESTAMP', unit: 'MILLIS', isAdjustedToUTC: true } })),
      'f',
    ],
    [
      'TIME(MICROS) on INT32',
      field(p('INT32', { logicalType: { type: 'TIME', unit: 'MICROS', isAdjustedToUTC: false } })),
      'f',
    ],
    [
      'DECIMAL on BYTE_ARRAY',
      field(p('BYTE_ARRAY', { logicalType: { type: 'DECIMAL', precision: 4, scale: 2 } })),
      'f',
    ],
    ['LIST on a primitive', field(p('INT32', { logicalType: { type: 'LIST' } })), 'f'],
    ['INT96 without a unit', field(p('INT96')), 'f'],
    ['a unit on INT64', field(p('INT64', { unit: 'MILLIS' })), 'f'],
    ['FIXED_LEN_BYTE_ARRAY without a length', field(p('FIXED_LEN_BYTE_ARRAY')), 'f'],
    ['FIXED_LEN_BYTE_ARRAY of length 0', field(p('FIXED_LEN_BYTE_ARRAY', { typeLength: 0 })), 'f'],
    ['a length on BYTE_ARRAY', field(p('BYTE_ARRAY', { typeLength: 4 })), 'f'],
    [
      'a DECIMAL wider than its bytes',
      field(
        p('FIXED_LEN_BYTE_ARRAY', {
          typeLength: 4,
          logicalType: { type: 'DECIMAL', precision: 10, scale: 0 },
        }),
      ),
      'f',
    ],
    [
      'a DECIMAL scale above its precision',
      field(
        p('FIXED_LEN_BYTE_ARRAY', {
          typeLength: 4,
          logicalType: { type: 'DECIMAL', precision: 2, scale: 3 },
        }),
      ),
      'f',
    ],
    [
      'a nested refusal, by its path',
      field({ kind: 'list', element: { kind: 'map', value: p('INT96') } }),
      'f[]{}',
    ],
    ['a one-of without members', field({ kind: 'oneOf', members: [], select: () => 0, expected: '' }), 'f'],
    [
      'a one-of member refused, by its member path',
      field({
        kind: 'oneOf',
        members: [{ name: 'm', shape: { kind: 'group', fields: [] } }],
        select: () => 0,
        expected: '',
      }),
      'f<m>',
    ],
  ];
  for (const [name, fields, path] of REFUSED) {
    it(`refuses ${name} with SCHEMA_INVALID at ${path === '' ? '<root>' : path}`, () => {
      assert.throws(
        () => parquetSchema({ name: 'T', fields }),
        (e: unknown) =>
          e instanceof ParquetError && e.code === 'SCHEMA_INVALID' && e.context.path === path && !e.retriable,
      );
    });
  }
});
