import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GovernanceError } from '../../src/errors.ts';
import type { Finding } from '../../src/diagnostics/finding.ts';
import {
  errorToFinding,
  escapeGithubData,
  escapeGithubProperty,
  formatFindings,
} from '../../src/diagnostics/format.ts';

const snake: Finding = {
  file: 'schemas/x.avsc',
  line: 12,
  column: 7,
  id: 'FIELD_LOWER_SNAKE_CASE',
  message: 'Field name "AdId" should be lower_snake_case.',
  path: '/fields/3/name',
  severity: 'error',
  category: 'STYLE',
};
const early: Finding = {
  ...snake,
  line: 2,
  column: 9,
  id: 'TYPE_DOC_REQUIRED',
  message: 'Record "X" should have a non-empty "doc".',
  path: '/name',
  category: 'DOCS',
};
const otherFile: Finding = { ...snake, file: 'schemas/a.avsc', line: 30 };
const compat: Finding = {
  file: 'schemas/b,c:d.avsc',
  line: 4,
  column: 1,
  id: 'TYPE_MISMATCH',
  message: 'Type changed\nfrom 50% int\r\nto string',
  path: '/fields/0/type',
  severity: 'warning',
  against: { version: '3', source: 'registry' },
};

describe('formatFindings', () => {
  it('text: file:line:col ID message, sorted by file, line, column', () => {
    assert.equal(
      formatFindings([snake, early, otherFile], 'text'),
      [
        'schemas/a.avsc:30:7 FIELD_LOWER_SNAKE_CASE Field name "AdId" should be lower_snake_case.',
        'schemas/x.avsc:2:9 TYPE_DOC_REQUIRED Record "X" should have a non-empty "doc".',
        'schemas/x.avsc:12:7 FIELD_LOWER_SNAKE_CASE Field name "AdId" should be lower_snake_case.',
      ].join('\n'),
    );
    assert.equal(formatFindings([], 'text'), '');
  });

  it('sorts by column within a line, then by id', () => {
    const a = { ...snake, column: 10 };
    const b = { ...snake, column: 2, id: 'Z_RULE' };
    const c = { ...snake, column: 2, id: 'A_RULE' };
    assert.deepEqual(
      formatFindings([a, b, c], 'text')
        .split('\n')
        .map((l) => l.split(' ').slice(0, 2).join(' ')),
      [
        'schemas/x.avsc:12:2 A_RULE',
        'schemas/x.avsc:12:2 Z_RULE',
        'schemas/x.avsc:12:10 FIELD_LOWER_SNAKE_CASE',
      ],
    );
  });

  it('json: every field in a stable key order, optional fields only when present', () => {
    const out = formatFindings([compat, snake], 'json');
    const parsed = JSON.parse(out) as Record<string, unknown>[];
    assert.deepEqual(Object.keys(parsed[0] ?? {}), [
      'file',
      'line',
      'column',
      'id',
      'severity',
      'message',
      'path',
      'against',
    ]);
    assert.deepEqual(Object.keys(parsed[1] ?? {}), [
      'file',
      'line',
      'column',
      'id',
      'severity',
      'category',
      'message',
      'path',
    ]);
    assert.deepEqual(parsed[1], { ...snake });
    assert.equal(formatFindings([], 'json'), '[]');
  });

  it('github: workflow commands with escaped data and properties', () => {
    assert.equal(
      formatFindings([snake, compat], 'github'),
      [
        '::warning file=schemas/b%2Cc%3Ad.avsc,line=4,col=1,title=TYPE_MISMATCH::Type changed%0Afrom 50%25 int%0D%0Ato string',
        '::error file=schemas/x.avsc,line=12,col=7,title=FIELD_LOWER_SNAKE_CASE::Field name "AdId" should be lower_snake_case.',
      ].join('\n'),
    );
  });

  it('escapes per GitHub rules: % first, then CR/LF; properties also : and ,', () => {
    assert.equal(escapeGithubData('100%\r\n:,'), '100%25%0D%0A:,');
    assert.equal(escapeGithubProperty('a:b,c%\n'), 'a%3Ab%2Cc%25%0A');
    assert.equal(escapeGithubData('%0A'), '%250A', 'an already-escaped-looking sequence is escaped again');
  });
});

describe('errorToFinding', () => {
  it('turns a positioned GovernanceError into a finding with the code as id', () => {
    const error = new GovernanceError('JSON_SYNTAX', "Trailing comma before '}'", {
      context: { file: 'schemas/a.avsc', line: 3, column: 9, path: '/fields' },
    });
    assert.deepEqual(errorToFinding(error), {
      file: 'schemas/a.avsc',
      line: 3,
      column: 9,
      id: 'JSON_SYNTAX',
      message: "Trailing comma before '}'",
      path: '/fields',
      severity: 'error',
    });
  });

  it('falls back to the given file and 1:1, and uses the config key as path', () => {
    const error = new GovernanceError('CONFIG_INVALID', 'bad', { context: { configKey: '/lint/use' } });
    const f = errorToFinding(error, 'schemas/avro-gov.json');
    assert.deepEqual([f.file, f.line, f.column, f.path], ['schemas/avro-gov.json', 1, 1, '/lint/use']);
  });
});
