import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fingerprint64, normalize, parsingCanonicalForm, sha256Hex } from '../src/canonical.ts';

// Test vectors from apache/avro share/test/data/schema-tests.txt (input, canonical form, and the 64-bit Rabin
// fingerprint as Java's signed long; Avro Java cross-checks these with a slow direct implementation).
const VECTORS: Array<[input: string, canonical: string, fingerprint: string | null]> = [
  ['"null"', '"null"', '7195948357588979594'],
  ['{"type":"null"}', '"null"', null],
  ['"boolean"', '"boolean"', '-6970731678124411036'],
  ['{"type":"boolean"}', '"boolean"', null],
  ['"int"', '"int"', '8247732601305521295'],
  ['{"type":"int"}', '"int"', null],
  ['"long"', '"long"', '-3434872931120570953'],
  ['{"type":"long"}', '"long"', null],
  ['"float"', '"float"', '5583340709985441680'],
  ['{"type":"float"}', '"float"', null],
  ['"double"', '"double"', '-8181574048448539266'],
  ['{"type":"double"}', '"double"', null],
  ['"bytes"', '"bytes"', '5746618253357095269'],
  ['{"type":"bytes"}', '"bytes"', null],
  ['"string"', '"string"', '-8142146995180207161'],
  ['{"type":"string"}', '"string"', null],
  ['[  ]', '[]', '-1241056759729112623'],
  ['[ "int"  ]', '["int"]', '-5232228896498058493'],
  ['[ "int" , {"type":"boolean"} ]', '["int","boolean"]', '5392556393470105090'],
  [
    '{"fields":[], "type":"record", "name":"foo"}',
    '{"name":"foo","type":"record","fields":[]}',
    '-4824392279771201922',
  ],
  [
    '{"fields":[], "type":"record", "name":"foo", "namespace":"x.y"}',
    '{"name":"x.y.foo","type":"record","fields":[]}',
    '5916914534497305771',
  ],
  [
    '{"fields":[], "type":"record", "name":"a.b.foo", "namespace":"x.y"}',
    '{"name":"a.b.foo","type":"record","fields":[]}',
    '-4616218487480524110',
  ],
  [
    '{"fields":[], "type":"record", "name":"foo", "doc":"Useful info"}',
    '{"name":"foo","type":"record","fields":[]}',
    '-4824392279771201922',
  ],
  [
    '{"fields":[], "type":"record", "name":"foo", "aliases":["foo","bar"]}',
    '{"name":"foo","type":"record","fields":[]}',
    '-4824392279771201922',
  ],
  [
    '{"fields":[], "type":"record", "name":"foo", "doc":"foo", "aliases":["foo","bar"]}',
    '{"name":"foo","type":"record","fields":[]}',
    '-4824392279771201922',
  ],
  [
    '{"fields":[{"type":{"type":"boolean"}, "name":"f1"}], "type":"record", "name":"foo"}',
    '{"name":"foo","type":"record","fields":[{"name":"f1","type":"boolean"}]}',
    '7843277075252814651',
  ],
  [
    '{ "fields":[{"type":"boolean", "aliases":[], "name":"f1", "default":"true"}, {"order":"descending","name":"f2","doc":"Hello","type":"int"}], "type":"record", "name":"foo" }',
    '{"name":"foo","type":"record","fields":[{"name":"f1","type":"boolean"},{"name":"f2","type":"int"}]}',
    '-4860222112080293046',
  ],
  [
    '{"type":"enum", "name":"foo", "symbols":["A1"]}',
    '{"name":"foo","type":"enum","symbols":["A1"]}',
    '-6342190197741309591',
  ],
  [
    '{"namespace":"x.y.z", "type":"enum", "name":"foo", "doc":"foo bar", "symbols":["A1", "A2"]}',
    '{"name":"x.y.z.foo","type":"enum","symbols":["A1","A2"]}',
    '-4448647247586288245',
  ],
  [
    '{"name":"foo","type":"fixed","size":15}',
    '{"name":"foo","type":"fixed","size":15}',
    '1756455273707447556',
  ],
  [
    '{"namespace":"x.y.z", "type":"fixed", "name":"foo", "doc":"foo bar", "size":32}',
    '{"name":"x.y.z.foo","type":"fixed","size":32}',
    '-3064184465700546786',
  ],
  ['{ "items":{"type":"null"}, "type":"array"}', '{"type":"array","items":"null"}', '-589620603366471059'],
  ['{ "values":"string", "type":"map"}', '{"type":"map","values":"string"}', '-8732877298790414990'],
  [
    '{"name":"PigValue","type":"record", "fields":[{"name":"value", "type":["null", "int", "long", "PigValue"]}]}',
    '{"name":"PigValue","type":"record","fields":[{"name":"value","type":["null","int","long","PigValue"]}]}',
    '-1759257747318642341',
  ],
];

describe('Parsing Canonical Form and CRC-64-AVRO against the Avro test vectors', () => {
  VECTORS.forEach(([input, canonical, fingerprint], i) => {
    test(`vector ${String(i).padStart(3, '0')}: ${input}`, () => {
      const form = parsingCanonicalForm(JSON.parse(input));
      assert.equal(form, canonical);
      if (fingerprint !== null) {
        assert.equal(BigInt.asIntN(64, fingerprint64(form)).toString(), fingerprint);
        const normalized = normalize(JSON.parse(input));
        assert.equal(BigInt.asIntN(64, BigInt(`0x${normalized.rabin}`)).toString(), fingerprint);
      }
    });
  });
});

describe('canonical form details beyond the vectors', () => {
  const cases: Array<[name: string, input: unknown, canonical: string]> = [
    [
      'nested types inherit the namespace and references become full names',
      {
        type: 'record',
        name: 'Order',
        namespace: 'ads',
        fields: [
          { name: 'c', type: { type: 'enum', name: 'Color', symbols: ['R'] } },
          { name: 'd', type: 'Color' },
          { name: 'e', type: { type: 'array', items: 'ads.Color' } },
        ],
      },
      '{"name":"ads.Order","type":"record","fields":[{"name":"c","type":{"name":"ads.Color","type":"enum","symbols":["R"]}},{"name":"d","type":"ads.Color"},{"name":"e","type":{"type":"array","items":"ads.Color"}}]}',
    ],
    [
      'logicalType and other attributes are stripped',
      { type: 'long', logicalType: 'timestamp-millis' },
      '"long"',
    ],
    [
      'an error type is written as a record (Avro Java has no separate error type)',
      { type: 'error', name: 'E', fields: [] },
      '{"name":"E","type":"record","fields":[]}',
    ],
    [
      'non-ASCII characters are kept as UTF-8, not escaped',
      { type: 'enum', name: 'E', doc: 'x', symbols: ['é'] },
      '{"name":"E","type":"enum","symbols":["é"]}',
    ],
    [
      'an unknown name without lookup stays a reference in the enclosing namespace',
      { type: 'record', name: 'a.R', fields: [{ name: 'm', type: 'Money' }] },
      '{"name":"a.R","type":"record","fields":[{"name":"m","type":"a.Money"}]}',
    ],
  ];
  for (const [name, input, canonical] of cases) {
    test(name, () => assert.equal(parsingCanonicalForm(input), canonical));
  }

  test("references: inline writes the other file's definition at its first use only", () => {
    const money = {
      type: 'record',
      name: 'Money',
      namespace: 'a',
      doc: 'x',
      fields: [{ name: 'micros', type: 'long' }],
    };
    const schema = {
      type: 'record',
      name: 'a.R',
      fields: [
        { name: 'p', type: 'Money' },
        { name: 'q', type: 'Money' },
      ],
    };
    const lookup = (n: string): unknown => (n === 'a.Money' ? money : undefined);
    assert.equal(
      parsingCanonicalForm(schema, { lookupNamedType: lookup }),
      '{"name":"a.R","type":"record","fields":[{"name":"p","type":"a.Money"},{"name":"q","type":"a.Money"}]}',
    );
    assert.equal(
      parsingCanonicalForm(schema, { lookupNamedType: lookup, references: 'inline' }),
      '{"name":"a.R","type":"record","fields":[{"name":"p","type":{"name":"a.Money","type":"record","fields":[{"name":"micros","type":"long"}]}},{"name":"q","type":"a.Money"}]}',
    );
  });

  test('a reference inside a namespace is never looked up in the null namespace (docs/names.md)', () => {
    const schema = { type: 'record', name: 'a.R', fields: [{ name: 'm', type: 'Money' }] };
    const asked: string[] = [];
    const lookup = (n: string): unknown => {
      asked.push(n);
      return n === 'Money' ? { type: 'fixed', name: 'Money', size: 8 } : undefined;
    };
    assert.throws(
      () => parsingCanonicalForm(schema, { lookupNamedType: lookup }),
      /Unknown named type "a\.Money"; "Money" is in the null namespace/,
    );
    assert.deepEqual(asked, ['a.Money', 'Money']);
  });
});

describe('normalize: "same schema" detection', () => {
  const base = { type: 'record', name: 'R', namespace: 'n', fields: [{ name: 'a', type: 'int' }] };
  test('doc, aliases, defaults, attribute order and namespace spelling do not change the identity', () => {
    const variant = {
      fields: [{ type: { type: 'int' }, name: 'a', default: 1, doc: 'd' }],
      aliases: ['Q'],
      name: 'n.R',
      type: 'record',
    };
    assert.deepEqual(normalize(variant), normalize(base));
  });
  test('a field type change does', () => {
    const changed = { ...base, fields: [{ name: 'a', type: 'long' }] };
    const [x, y] = [normalize(base), normalize(changed)];
    assert.notEqual(x.canonical, y.canonical);
    assert.notEqual(x.rabin, y.rabin);
    assert.notEqual(x.sha256, y.sha256);
  });
  test('fingerprints have a fixed width, so string comparison is safe', () => {
    const n = normalize('int');
    assert.match(n.rabin, /^[0-9a-f]{16}$/);
    assert.match(n.sha256, /^[0-9a-f]{64}$/);
  });
  test('SHA-256 matches the FIPS 180-2 "abc" vector', () => {
    assert.equal(sha256Hex('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
  test('fingerprint64 of the empty input is the CRC-64-AVRO seed', () => {
    assert.equal(fingerprint64(''), 0xc15d213aa4d7a795n);
  });
});
