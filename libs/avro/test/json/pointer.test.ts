import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonValue } from '../../src/json/types.ts';
import {
  escapePointerSegment,
  getAtPointer,
  joinPointer,
  parentPointer,
  parsePointer,
} from '../../src/json/pointer.ts';

describe('JSON pointers', () => {
  it('escapes ~ and / in tokens', () => {
    assert.equal(escapePointerSegment('a/b~c'), 'a~1b~0c');
    assert.equal(joinPointer('/fields', 2, 'type'), '/fields/2/type');
    assert.equal(joinPointer('', 'a/b'), '/a~1b');
  });

  it('round-trips through parsePointer', () => {
    assert.deepEqual(parsePointer('/a~1b/m~0n/0'), ['a/b', 'm~n', '0']);
    assert.deepEqual(parsePointer(''), []);
    assert.throws(() => parsePointer('a'));
  });

  it('finds parents', () => {
    assert.equal(parentPointer('/fields/2/type'), '/fields/2');
    assert.equal(parentPointer('/a'), '');
    assert.equal(parentPointer(''), undefined);
  });

  it('reads values at pointers', () => {
    const doc: JsonValue = { fields: [{ name: 'a' }, { name: 'b', 'x/y': 3 }] };
    assert.equal(getAtPointer(doc, '/fields/1/name'), 'b');
    assert.equal(getAtPointer(doc, '/fields/1/x~1y'), 3);
    assert.equal(getAtPointer(doc, '/fields/9'), undefined);
    assert.equal(getAtPointer(doc, '/fields/01'), undefined);
    assert.equal(getAtPointer(doc, '/fields/0/name/x'), undefined);
    assert.deepEqual(getAtPointer(doc, ''), doc);
  });
});
