import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonLogger } from '../src/log.ts';

test('one JSON object per line, with time, level, component, event and fields; below the level is dropped', () => {
  const lines: string[] = [];
  const log = jsonLogger('sink', 'info', (l) => lines.push(l));
  log.debug('noise', { x: 1 });
  log.warn('commit.failed', { topic: 't', partition: 2, attempt: 3 });
  assert.equal(lines.length, 1);
  const entry = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
  assert.equal(entry['level'], 'warn');
  assert.equal(entry['component'], 'sink');
  assert.equal(entry['event'], 'commit.failed');
  assert.deepEqual([entry['topic'], entry['partition'], entry['attempt']], ['t', 2, 3]);
  assert.ok(!Number.isNaN(Date.parse(String(entry['ts']))));
});
