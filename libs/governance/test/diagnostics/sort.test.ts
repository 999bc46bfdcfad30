import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../../src/diagnostics/finding.ts';
import { sortFindings } from '../../src/diagnostics/sort.ts';

const f = (file: string, line: number, column: number, id = 'X', message = 'm'): Finding => ({
  file,
  line,
  column,
  id,
  message,
  path: '',
  severity: 'error',
});

describe('sortFindings', () => {
  it('orders by file, line, column, id, message without mutating the input', () => {
    const input = [
      f('b', 1, 1),
      f('a', 2, 1),
      f('a', 1, 5),
      f('a', 1, 5, 'A'),
      f('a', 1, 5, 'A', 'a'),
      f('a', 10, 1),
    ];
    const sorted = sortFindings(input);
    assert.deepEqual(
      sorted.map((x) => `${x.file}:${x.line}:${x.column}:${x.id}:${x.message}`),
      ['a:1:5:A:a', 'a:1:5:A:m', 'a:1:5:X:m', 'a:2:1:X:m', 'a:10:1:X:m', 'b:1:1:X:m'],
    );
    assert.equal(input[0]?.file, 'b');
  });
});
