import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AvroError } from '../../src/errors.ts';
import { parseJsonWithPositions } from '../../src/json/parse.ts';

function at(text: string, pointer: string): string {
  const p = parseJsonWithPositions(text).positions.values.get(pointer);
  assert.ok(p, `no position for ${pointer}`);
  return `${p.line}:${p.column}`;
}

function syntaxError(text: string): {
  where: string;
  message: string;
  path: string | undefined;
  file: string | undefined;
} {
  try {
    parseJsonWithPositions(text, { file: 'x.avsc' });
  } catch (error) {
    assert.ok(error instanceof AvroError);
    assert.equal(error.code, 'JSON_SYNTAX');
    return {
      where: `${error.context.line}:${error.context.column}`,
      message: error.message,
      path: error.context.path,
      file: error.context.file,
    };
  }
  assert.fail(`expected a syntax error for ${JSON.stringify(text)}`);
}

describe('parseJsonWithPositions values', () => {
  it('parses the same values as JSON.parse', () => {
    const samples = [
      '{"a": [1, -2.5e3, true, false, null, "x"], "b": {"c": {}} , "d": []}',
      '"\\u00e9\\n\\t\\"\\\\\\/\\b\\f\\r"',
      '0',
      '-0.0E+1',
      '[[[[]]]]',
      '{"__proto__": 1, "constructor": 2}',
      '"😀 emoji ✓"',
    ];
    for (const text of samples) {
      assert.deepEqual(parseJsonWithPositions(text).value, JSON.parse(text), text);
    }
  });

  it('keeps __proto__ as an own member instead of changing the prototype', () => {
    const value = parseJsonWithPositions('{"__proto__": {"polluted": true}}').value as Record<
      string,
      unknown
    >;
    assert.ok(Object.hasOwn(value, '__proto__'));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
  });

  it('skips a leading byte-order mark', () => {
    const r = parseJsonWithPositions('\uFEFF{"a": 1}');
    assert.deepEqual(r.value, { a: 1 });
    assert.equal(at('\uFEFF{"a": 1}', '/a'), '1:7');
  });
});

describe('parseJsonWithPositions positions', () => {
  const text = [
    '{',
    '  "type": "record",',
    '  "fields": [',
    '    {"name": "a", "type": ["null", "string"]},',
    '    {',
    '      "name": "b",',
    '      "type": {"type": "array", "items": [[1, 2], [3]]}',
    '    }',
    '  ]',
    '}',
  ].join('\n');

  it('records every value start in multi-line documents', () => {
    assert.equal(at(text, ''), '1:1');
    assert.equal(at(text, '/type'), '2:11');
    assert.equal(at(text, '/fields'), '3:13');
    assert.equal(at(text, '/fields/0'), '4:5');
    assert.equal(at(text, '/fields/0/name'), '4:14');
    assert.equal(at(text, '/fields/0/type/1'), '4:36');
    assert.equal(at(text, '/fields/1'), '5:5');
    assert.equal(at(text, '/fields/1/name'), '6:15');
    assert.equal(at(text, '/fields/1/type/items/0/1'), '7:47');
    assert.equal(at(text, '/fields/1/type/items/1/0'), '7:52');
  });

  it('records member key positions', () => {
    const p = parseJsonWithPositions(text).positions;
    assert.deepEqual(pick(p.keys.get('/fields/1/name')), { line: 6, column: 7 });
    assert.deepEqual(pick(p.keyPositionOf('/fields/0/type')), { line: 4, column: 19 });
  });

  it('counts columns in code points, so astral characters count once', () => {
    const t = '{"a": "😀😀", "b": 1,\n "c": "é", "d": 2}';
    assert.equal(at(t, '/b'), '1:18');
    assert.equal(at(t, '/d'), '2:17');
  });

  it('does not shift columns for escapes, which are source characters', () => {
    assert.equal(at('["\\u00e9\\n", 5]', '/1'), '1:14');
  });

  it('handles CRLF and lone CR line breaks', () => {
    assert.equal(at('{\r\n"a":\r\n 1}', '/a'), '3:2');
    assert.equal(at('[\r1]', '/0'), '2:1');
  });

  it('escapes pointer tokens per RFC 6901', () => {
    const p = parseJsonWithPositions('{"a/b": {"m~n": 1}}').positions;
    assert.ok(p.values.has('/a~1b/m~0n'));
  });

  it('positionOf falls back to the nearest existing ancestor', () => {
    const p = parseJsonWithPositions(text).positions;
    const exact = p.positionOf('/fields/1/name');
    assert.equal(exact.exact, true);
    const missing = p.positionOf('/fields/1/doc');
    assert.deepEqual(
      { line: missing.line, column: missing.column, pointer: missing.pointer, exact: missing.exact },
      { line: 5, column: 5, pointer: '/fields/1', exact: false },
    );
    assert.equal(p.positionOf('/nope/deeper').pointer, '');
  });

  it('is fast enough for large documents', () => {
    const fields = Array.from(
      { length: 20000 },
      (_, i) => `{"name": "f${i}", "type": ["null", "string"], "default": null, "doc": "field ${i} ✓"}`,
    );
    const big = `{"type": "record", "name": "Big", "fields": [\n${fields.join(',\n')}\n]}`;
    const start = performance.now();
    const r = parseJsonWithPositions(big);
    const elapsed = performance.now() - start;
    assert.equal(r.positions.values.get('/fields/19999/name')?.line, 20001);
    assert.ok(elapsed < 2000, `took ${elapsed} ms`);
  });
});

describe('parseJsonWithPositions syntax errors', () => {
  const cases: { name: string; text: string; where: string; message: RegExp }[] = [
    {
      name: 'trailing comma in object',
      text: '{\n  "a": 1,\n}',
      where: '2:9',
      message: /^Trailing comma before '}'$/,
    },
    {
      name: 'trailing comma in array',
      text: '[1,\n 2 , ]',
      where: '2:4',
      message: /^Trailing comma before '\]'$/,
    },
    {
      name: 'duplicate key',
      text: '{"name": "a",\n "name": "b"}',
      where: '2:2',
      message: /^Duplicate key "name" \(first defined at 1:2\)$/,
    },
    {
      name: 'unquoted key',
      text: '{name: 1}',
      where: '1:2',
      message: /token 'name': expected an object key in double quotes/,
    },
    { name: 'single-quoted string', text: "['a']", where: '1:2', message: /strings must use double quotes/ },
    { name: 'missing colon', text: '{"a" 1}', where: '1:6', message: /expected ':' after key "a"/ },
    { name: 'missing comma', text: '[1 2]', where: '1:4', message: /expected ',' or '\]'/ },
    {
      name: 'missing comma in object',
      text: '{"a": 1 "b": 2}',
      where: '1:9',
      message: /expected ',' or '}'/,
    },
    {
      name: 'unexpected token',
      text: '{"a": undefined}',
      where: '1:7',
      message: /^Unexpected token 'undefined': expected a JSON value$/,
    },
    { name: 'leading comma in array', text: '[,1]', where: '1:2', message: /Unexpected character ','/ },
    {
      name: 'unterminated string',
      text: '{"a": "abc',
      where: '1:11',
      message: /^Unterminated string starting at 1:7$/,
    },
    { name: 'line break in string', text: '"ab\ncd"', where: '1:4', message: /line break inside a string/ },
    {
      name: 'control character in string',
      text: '"a\tb"',
      where: '1:3',
      message: /Unescaped control character U\+0009/,
    },
    { name: 'invalid escape', text: '"a\\qb"', where: '1:3', message: /^Invalid escape sequence '\\q'$/ },
    { name: 'short unicode escape', text: '"\\u12"', where: '1:2', message: /Invalid unicode escape/ },
    { name: 'leading zero', text: '[01]', where: '1:2', message: /leading zeros/ },
    { name: 'bare minus', text: '[-]', where: '1:3', message: /expected a digit after '-'/ },
    { name: 'missing fraction digits', text: '[1.]', where: '1:4', message: /decimal point/ },
    { name: 'missing exponent digits', text: '[1e+]', where: '1:5', message: /exponent/ },
    { name: 'NaN', text: '[NaN]', where: '1:2', message: /token 'NaN'/ },
    { name: 'comment', text: '{\n  // no\n}', where: '2:3', message: /Comments are not allowed/ },
    {
      name: 'empty input',
      text: '  \n ',
      where: '2:2',
      message: /Unexpected end of input: expected a JSON value/,
    },
    { name: 'unclosed object', text: '{"a": 1', where: '1:8', message: /object opened at 1:1 is not closed/ },
    { name: 'unclosed array', text: '[1, [2]', where: '1:8', message: /array opened at 1:1 is not closed/ },
    { name: 'missing value', text: '{"a":', where: '1:6', message: /expected a value for key "a"/ },
    { name: 'content after value', text: '{}\n{}', where: '2:1', message: /after the JSON value/ },
    { name: 'partial literal', text: '[tru]', where: '1:2', message: /token 'tru'/ },
    { name: 'error after astral characters', text: '["😀", x]', where: '1:7', message: /token 'x'/ },
  ];
  for (const c of cases) {
    it(`${c.name} at ${c.where}`, () => {
      const e = syntaxError(c.text);
      assert.equal(e.where, c.where, e.message);
      assert.match(e.message, c.message);
      assert.equal(e.file, 'x.avsc');
    });
  }

  it('reports the pointer of the member being parsed', () => {
    assert.equal(syntaxError('{"fields": [{"name": "a",}]}').path, '/fields/0');
    assert.equal(syntaxError('{"a": {"b": 1, "b": 2}}').path, '/a/b');
  });

  it('rejects nesting deeper than the limit instead of overflowing the stack', () => {
    assert.match(syntaxError('['.repeat(600) + ']'.repeat(600)).message, /Nesting deeper/);
  });
});

function pick(p: { line: number; column: number } | undefined): { line: number; column: number } | undefined {
  return p && { line: p.line, column: p.column };
}
