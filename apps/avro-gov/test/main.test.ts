import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, tempWorkspace } from './support.ts';

test('--help lists every command and exits 0; no command is a usage error', (t) => {
  const ws = tempWorkspace();
  t.after(() => ws.remove());
  const help = runCli(ws.dir, ['--help']);
  assert.equal(help.code, 0);
  for (const command of ['lint', 'compat', 'generate'])
    assert.match(help.stdout, new RegExp(`^  ${command} `, 'm'));
  assert.equal(runCli(ws.dir, []).code, 2);
});

test('an unknown command names itself and the valid ones', (t) => {
  const ws = tempWorkspace();
  t.after(() => ws.remove());
  const r = runCli(ws.dir, ['lnt']);
  assert.equal(r.code, 2);
  assert.match(r.stdout, /^USAGE unknown command "lnt"; expected one of lint, compat, generate/);
});

test('every command has --help', (t) => {
  const ws = tempWorkspace();
  t.after(() => ws.remove());
  for (const command of ['lint', 'compat', 'generate']) {
    const r = runCli(ws.dir, [command, '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, new RegExp(`^Usage: avro-gov ${command}`));
  }
});
