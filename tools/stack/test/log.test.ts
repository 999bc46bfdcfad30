import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatLogEntry } from '../src/log.ts';

test('log lines show elapsed seconds, service and step', () => {
  assert.equal(
    formatLogEntry({ service: 'kafka', step: 'ready', message: 'ready in 5.9s', elapsedMs: 5912 }),
    '[   5.9s] kafka    ready     ready in 5.9s',
  );
  assert.match(
    formatLogEntry({ service: undefined, step: 'up', message: 'x', elapsedMs: 0 }),
    /^\[   0\.0s\] stack /,
  );
});
