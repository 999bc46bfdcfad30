import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { matchesGlob, matchesPathSpec } from '../../src/workspace/glob.ts';

describe('globs', () => {
  const cases: [string, string, boolean][] = [
    ['com/acme/A.avsc', 'com/acme/*.avsc', true],
    ['com/acme/x/A.avsc', 'com/acme/*.avsc', false],
    ['com/acme/x/A.avsc', 'com/acme/**/*.avsc', true],
    ['com/acme/A.avsc', 'com/acme/**/*.avsc', true],
    ['com/acme/common/x/Y.avsc', 'com/acme/common/**', true],
    ['com/acme/A.avsc', 'com/acme/?.avsc', true],
    ['com/acme/AB.avsc', 'com/acme/?.avsc', false],
    ['a+b.avsc', 'a+b.avsc', true],
  ];
  for (const [path, glob, expected] of cases) {
    it(`${glob} ${expected ? 'matches' : 'does not match'} ${path}`, () =>
      assert.equal(matchesGlob(path, glob), expected));
  }

  it('matches Buf-style path specs: file, directory prefix or glob', () => {
    assert.equal(matchesPathSpec('com/legacy/A.avsc', 'com/legacy'), true);
    assert.equal(matchesPathSpec('com/legacy/A.avsc', 'com/legacy/'), true);
    assert.equal(matchesPathSpec('com/legacyx/A.avsc', 'com/legacy'), false);
    assert.equal(matchesPathSpec('com/legacy/A.avsc', 'com/legacy/A.avsc'), true);
    assert.equal(matchesPathSpec('com/legacy/A.avsc', 'com/*/A.avsc'), true);
  });
});
