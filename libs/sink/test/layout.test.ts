import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  dayDir,
  fileName,
  ledgerDir,
  ledgerName,
  parseFileName,
  parseLedgerName,
  tempDir,
} from '../src/layout.ts';

test('final files sit in Hive-style daily partitions with offset-sortable names', () => {
  assert.equal(
    dayDir('/data/lake/raw/', 'adserver.impressions', '2026-11-23'),
    '/data/lake/raw/topic=adserver.impressions/dt=2026-11-23',
  );
  const names = [fileName('t', 0, 1000, 1999), fileName('t', 0, 2, 999), fileName('t', 0, 2000, 2000)];
  assert.deepEqual([...names].sort(), [names[1], names[0], names[2]]);
  assert.equal(names[1], 't+0+00000000000000000002+00000000000000000999.parquet');
});

test('file names parse back, also for topics with dots, dashes and plus-free underscores', () => {
  const name = fileName('adserver.impressions-v2_x', 12, 5, 9_007_199_254_740_991);
  assert.deepEqual(parseFileName(name), {
    topic: 'adserver.impressions-v2_x',
    partition: 12,
    firstOffset: 5,
    lastOffset: 9_007_199_254_740_991,
  });
  assert.equal(parseFileName('t+0+1+2.parquet'), undefined);
  assert.equal(parseFileName('_SUCCESS'), undefined);
});

test('ledger and temp paths are hidden from query engines', () => {
  assert.equal(ledgerDir('/r', 't', 3), '/r/_ledger/topic=t/partition=3');
  assert.equal(tempDir('/r', 't', 3), '/r/_tmp/topic=t/partition=3');
  assert.equal(parseLedgerName(ledgerName(42)), 42);
  assert.equal(parseLedgerName('00000000000000000042.json.tmp-w1'), undefined);
});
