// The package's contract with the packages that install it from npm: it needs nothing but avsc (so the
// release step can compile and publish it as is), and the generated code's imports exist.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import * as runtime from '../src/index.ts';

const SRC = new URL('../src/', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
  dependencies: Record<string, string>;
};

test('the sources import only avsc and each other', () => {
  for (const file of readdirSync(SRC).filter((f) => f.endsWith('.ts'))) {
    const text = readFileSync(new URL(file, SRC), 'utf8');
    for (const [, specifier] of text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'/gm)) {
      assert.ok(
        specifier === 'avsc' || /^\.\/[a-z-]+\.ts$/.test(specifier ?? ''),
        `${file} imports ${specifier}`,
      );
    }
  }
});

test('its one dependency is avsc, pinned to an exact version', () => {
  assert.deepEqual(Object.keys(manifest.dependencies), ['avsc']);
  assert.match(manifest.dependencies['avsc'] ?? '', /^\d+\.\d+\.\d+$/);
  assert.match(manifest.version, /^\d+\.\d+\.\d+$/);
});

test('exports what generated modules import and re-export', () => {
  for (const name of ['defineEvent', 'EventCodecError', 'AvroRangeError', 'createType', 'validateValue']) {
    assert.equal(typeof (runtime as Record<string, unknown>)[name], 'function', name);
  }
});
