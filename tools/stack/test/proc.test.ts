import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { classifyPid, parsePidRecord, readPidState, stopByPidFile, tailFile } from '../src/proc.ts';

const record = JSON.stringify({
  pid: 4242,
  markers: ['-Dadlake.stack=/s#kafka', 'kafka.Kafka'],
  cwd: '/s/kafka',
  startedAt: 'x',
});
const ours = {
  cmdline: 'java -Xmx512m -Dadlake.stack=/s#kafka -cp x kafka.Kafka /s/kafka/server.properties',
  zombie: false,
  cwd: '/s/kafka',
};

const cases: [string, string | undefined, Parameters<typeof classifyPid>[1], string][] = [
  ['no pid file', undefined, undefined, 'absent'],
  ['our live process', record, ours, 'running'],
  ['process gone', record, { cmdline: undefined, zombie: false }, 'stale'],
  ['process exited, not reaped', record, { ...ours, zombie: true }, 'stale'],
  ['pid reused by another program', record, { cmdline: 'sshd -D', zombie: false, cwd: '/' }, 'stale'],
  [
    'same program from another stack dir',
    record,
    { ...ours, cmdline: ours.cmdline.replace('/s#', '/other#') },
    'stale',
  ],
  ['same cmdline, other cwd', record, { ...ours, cwd: '/elsewhere' }, 'stale'],
  ['garbage pid file', 'not json', ours, 'stale'],
];

for (const [name, file, proc, expected] of cases) {
  test(`pid file state: ${name} → ${expected}`, () => {
    assert.equal(classifyPid(file, proc).kind, expected);
  });
}

test('parsePidRecord rejects pids that could signal a process group or init', () => {
  assert.equal(parsePidRecord(JSON.stringify({ pid: 0, markers: ['x'] })), undefined);
  assert.equal(parsePidRecord(JSON.stringify({ pid: 1, markers: ['x'] })), undefined);
  assert.equal(parsePidRecord(JSON.stringify({ pid: -5, markers: ['x'] })), undefined);
  assert.equal(parsePidRecord(JSON.stringify({ pid: 10, markers: [] })), undefined, 'no markers: never ours');
});

test('a stale pid file is removed by stop without signalling anyone', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'stack-proc-'));
  try {
    const file = join(dir, 'x.pid');
    // Our own pid is alive but its cmdline lacks the marker: it must not be killed.
    writeFileSync(
      file,
      JSON.stringify({ pid: process.pid, markers: ['-Dadlake.stack=/nowhere#x'], startedAt: '' }),
    );
    assert.equal(readPidState(file).kind, 'stale');
    assert.equal(await stopByPidFile(file, 100), 'stale');
    assert.throws(() => readFileSync(file));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('tailFile returns the last lines, or says the log is missing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stack-tail-'));
  try {
    writeFileSync(join(dir, 'a.log'), 'l1\nl2\nl3\n');
    assert.equal(tailFile(join(dir, 'a.log'), 2), 'l2\nl3');
    assert.match(tailFile(join(dir, 'none.log')), /no log/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
