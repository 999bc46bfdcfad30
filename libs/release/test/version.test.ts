import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bumpFor, classifySchemaChange, compareVersions, maxVersion, nextVersion } from '../src/version.ts';
import type { Bump, SchemaChange, SchemaFingerprint } from '../src/version.ts';

const fp = (canonical: string, content: string): SchemaFingerprint => ({ canonical, content });

test('classifySchemaChange', () => {
  const cases: [
    string,
    SchemaFingerprint | undefined,
    SchemaFingerprint | undefined,
    boolean | undefined,
    SchemaChange,
  ][] = [
    ['same', fp('a', '1'), fp('a', '1'), undefined, 'unchanged'],
    ['new event', undefined, fp('a', '1'), undefined, 'added'],
    ['removed event', fp('a', '1'), undefined, undefined, 'removed'],
    ['doc or default only', fp('a', '1'), fp('a', '2'), undefined, 'doc-only'],
    ['compatible at some level', fp('a', '1'), fp('b', '2'), true, 'compatible'],
    ['allowed only under NONE', fp('a', '1'), fp('b', '2'), false, 'breaking'],
  ];
  for (const [name, before, after, compatible, expected] of cases) {
    assert.equal(classifySchemaChange(before, after, compatible), expected, name);
  }
});

test('bumpFor', () => {
  const cases: [SchemaChange[], boolean, Bump][] = [
    [[], false, 'none'],
    [['unchanged'], false, 'none'],
    [['unchanged'], true, 'patch'],
    [['doc-only'], true, 'patch'],
    [['doc-only', 'added'], true, 'minor'],
    [['compatible', 'unchanged'], true, 'minor'],
    [['compatible', 'breaking'], true, 'major'],
    [['added', 'removed'], true, 'major'],
  ];
  for (const [changes, contentChanged, expected] of cases) {
    assert.equal(
      bumpFor(changes, contentChanged),
      expected,
      `${changes.join(',')} content=${contentChanged}`,
    );
  }
});

test('nextVersion', () => {
  const cases: [string | undefined, Bump, string | undefined][] = [
    [undefined, 'minor', '1.0.0'],
    [undefined, 'none', undefined],
    ['1.2.3', 'none', undefined],
    ['1.2.3', 'patch', '1.2.4'],
    ['1.2.3', 'minor', '1.3.0'],
    ['1.2.3', 'major', '2.0.0'],
    ['0.4.1', 'minor', '0.5.0'],
    ['2.0.0-rc.1', 'major', '2.0.0'],
    ['2.1.0-rc.1', 'minor', '2.1.0'],
    ['2.1.3-rc.1', 'patch', '2.1.3'],
  ];
  for (const [previous, bump, expected] of cases) {
    assert.equal(nextVersion(previous, bump), expected, `${previous ?? '(none)'} + ${bump}`);
  }
  assert.equal(nextVersion(undefined, 'major', '0.1.0'), '0.1.0');
  assert.throws(() => nextVersion('latest', 'minor'), RangeError);
});

test('compareVersions and maxVersion order numerically, prereleases below releases', () => {
  assert.ok(compareVersions('1.10.0', '1.9.0') > 0);
  assert.ok(compareVersions('1.0.0-rc.1', '1.0.0') < 0);
  assert.equal(maxVersion(['1.9.0', '1.10.0', '1.10.0-rc.1', 'junk']), '1.10.0');
  assert.equal(maxVersion([]), undefined);
});
