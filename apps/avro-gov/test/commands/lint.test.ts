import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configFor, eventSchema, positionOf, runCli, tempWorkspace } from '../support.ts';

const FILE = 'schemas/com/acme/ads/AdShown.avsc';
const CONFIG = configFor([{ schema: 'com.acme.ads.AdShown', topic: 'ads.shown' }]);

test('a clean workspace exits 0 and prints no findings', (t) => {
  const ws = tempWorkspace({
    [FILE]: eventSchema('AdShown', 'com.acme.ads'),
    'schemas/avro-gov.json': CONFIG,
  });
  t.after(() => ws.remove());
  const r = runCli(ws.dir, ['lint']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
});

test('a rule violation exits 1 with file:line:col RULE_ID at the offending name', (t) => {
  const text = eventSchema('AdShown', 'com.acme.ads', [{ name: 'CampaignId', type: 'long' }]);
  const ws = tempWorkspace({ [FILE]: text, 'schemas/avro-gov.json': CONFIG });
  t.after(() => ws.remove());
  const r = runCli(ws.dir, ['lint']);
  assert.equal(r.code, 1, r.stderr);
  const { line, column } = positionOf(text, '"CampaignId"');
  assert.match(r.stdout, new RegExp(`^${FILE}:${line}:${column} FIELD_LOWER_SNAKE_CASE `, 'm'));
});

test('malformed JSON exits 2 naming the file, line and column, without a stack trace', (t) => {
  const ws = tempWorkspace({
    [FILE]: '{\n  "type": "record",\n  "name": "AdShown",,\n}\n',
    'schemas/avro-gov.json': CONFIG,
  });
  t.after(() => ws.remove());
  const r = runCli(ws.dir, ['lint']);
  assert.equal(r.code, 2);
  assert.match(r.stdout, new RegExp(`^${FILE}:3:21 FILE_PARSES_JSON `, 'm'));
  assert.doesNotMatch(r.stdout + r.stderr, /\n\s+at /);
});

test('an unknown named type exits 2 and points at the reference', (t) => {
  const text = eventSchema('AdShown', 'com.acme.ads', [
    { name: 'device', type: 'com.acme.ads.NoSuchDevice' },
  ]);
  const ws = tempWorkspace({ [FILE]: text, 'schemas/avro-gov.json': CONFIG });
  t.after(() => ws.remove());
  const r = runCli(ws.dir, ['lint']);
  assert.equal(r.code, 2);
  const { line, column } = positionOf(text, '"com.acme.ads.NoSuchDevice"');
  assert.match(r.stdout, new RegExp(`^${FILE}:${line}:${column} NAMED_TYPE_RESOLVES .*NoSuchDevice`, 'm'));
});

test('--format github prints workflow annotations', (t) => {
  const text = eventSchema('AdShown', 'com.acme.ads', [{ name: 'CampaignId', type: 'long' }]);
  const ws = tempWorkspace({ [FILE]: text, 'schemas/avro-gov.json': CONFIG });
  t.after(() => ws.remove());
  const r = runCli(ws.dir, ['lint', '--format', 'github']);
  assert.equal(r.code, 1);
  const { line, column } = positionOf(text, '"CampaignId"');
  assert.match(
    r.stdout,
    new RegExp(`^::error file=${FILE},line=${line},col=${column},title=FIELD_LOWER_SNAKE_CASE::`, 'm'),
  );
});

test('paths restrict the report to files under them', (t) => {
  const bad = eventSchema('AdShown', 'com.acme.ads', [{ name: 'CampaignId', type: 'long' }]);
  const ws = tempWorkspace({
    [FILE]: bad,
    'schemas/com/acme/other/Other.avsc': eventSchema('Other', 'com.acme.other'),
    'schemas/avro-gov.json': configFor([
      { schema: 'com.acme.ads.AdShown', topic: 'ads.shown' },
      { schema: 'com.acme.other.Other', topic: 'other' },
    ]),
  });
  t.after(() => ws.remove());
  assert.equal(runCli(ws.dir, ['lint', 'schemas/com/acme/other']).code, 0);
  assert.equal(runCli(ws.dir, ['lint', 'schemas/com/acme/ads']).code, 1);
});

test('usage errors exit 2 and point at --help', (t) => {
  const ws = tempWorkspace({ [FILE]: eventSchema('AdShown', 'com.acme.ads') });
  t.after(() => ws.remove());
  const unknown = runCli(ws.dir, ['lint', '--frobnicate']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stdout, /^USAGE .*--frobnicate/);
  assert.match(unknown.stderr, /avro-gov lint --help/);
  const format = runCli(ws.dir, ['lint', '--format', 'xml']);
  assert.equal(format.code, 2);
  assert.match(format.stdout, /--format: "xml" is not one of text, json, github/);
  const missing = runCli(ws.dir, ['lint', '--schemas', 'nope']);
  assert.equal(missing.code, 2);
  assert.match(missing.stdout, /^nope:1:1 FILE_NOT_FOUND schema root "nope" does not exist/);
});
