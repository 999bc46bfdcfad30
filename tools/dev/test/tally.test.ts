import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TestTally } from '../src/tally.ts';

test('sums pass and fail counts across several runs, with or without an Nx prefix', () => {
  const tally = new TestTally();
  for (const line of [
    'ℹ tests 5',
    'ℹ pass 4',
    'ℹ fail 1',
    '@adlake/x:test: ℹ pass 10',
    '@adlake/y:test: ℹ fail 0',
  ]) {
    tally.observe(line);
  }
  assert.equal(tally.passed, 14);
  assert.equal(tally.failed, 1);
  assert.equal(tally.summaryLine(), '14 passed, 1 failed');
});

test('counts cancelled tests as failed and reports skipped and todo ones separately', () => {
  const tally = new TestTally();
  ['ℹ pass 2', 'ℹ cancelled 1', 'ℹ skipped 3', 'ℹ todo 1'].forEach((line) => tally.observe(line));
  assert.equal(tally.summaryLine(), '2 passed, 1 failed, 4 skipped');
});

test('ignores lines that merely mention the words', () => {
  const tally = new TestTally();
  assert.equal(tally.observe('ℹ pass the salt 3 times'), false);
  assert.equal(tally.observe('test pass 3'), false);
  assert.equal(tally.summaryLine(), '0 passed, 0 failed');
});
