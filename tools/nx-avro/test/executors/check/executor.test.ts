import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TaskGraph } from '@nx/devkit';
import { checkBatch } from '../../../src/executors/check/executor.ts';
import type { CheckResult } from '../../../src/executors/check/executor.ts';
import type { CheckExecutorOptions } from '../../../src/executors/check/schema.d.ts';

const EXECUTOR = fileURLToPath(new URL('../../../src/executors/check/executor.ts', import.meta.url));
const BIN = fileURLToPath(new URL('../../../../../node_modules/.bin', import.meta.url));

const record = (name: string, namespace: string, fields: unknown[]): string =>
  `${JSON.stringify({ type: 'record', name, namespace, doc: `The ${name}.`, fields }, null, 2)}\n`;
const field = (name: string, type: unknown, extra: object = {}): object => ({
  name,
  type,
  doc: `The ${name}.`,
  ...extra,
});
/** An event as the default lint rules want it: an id and a time before its own fields. */
const event = (name: string, namespace: string, fields: unknown[]): string =>
  record(name, namespace, [
    field('event_id', { type: 'string', logicalType: 'uuid' }),
    field('event_time', { type: 'long', logicalType: 'timestamp-millis' }),
    ...fields,
  ]);

/**
 * A git repository with two event namespaces and a shared type on main, and a branch that breaks one event's
 * compatibility (ads) and another's lint rules (bids) while the third namespace stays clean.
 */
function workspace(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'nx-avro-check-'));
  const write = (file: string, text: string): void => {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  };
  const git = (...args: string[]): string =>
    execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } }).trim();
  const device = [field('model', 'string')];
  write('schemas/com/acme/common/Device.avsc', record('Device', 'com.acme.common', device));
  write(
    'schemas/com/acme/ads/AdShown.avsc',
    event('AdShown', 'com.acme.ads', [field('id', 'long'), field('device', 'com.acme.common.Device')]),
  );
  write('schemas/com/acme/bids/BidWon.avsc', event('BidWon', 'com.acme.bids', [field('id', 'long')]));
  write(
    'schemas/avro-gov.json',
    JSON.stringify({
      version: 1,
      subjects: [
        { schema: 'com.acme.ads.AdShown', topic: 'ads.shown' },
        { schema: 'com.acme.bids.BidWon', topic: 'bids.won' },
        { files: 'com/acme/common/**', kind: 'type' },
      ],
    }),
  );
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '--no-gpg-sign', '-m', 'one');
  git('checkout', '-q', '-b', 'feature');
  write(
    'schemas/com/acme/ads/AdShown.avsc',
    event('AdShown', 'com.acme.ads', [field('id', 'string'), field('device', 'com.acme.common.Device')]),
  );
  write(
    'schemas/com/acme/bids/BidWon.avsc',
    event('BidWon', 'com.acme.bids', [
      field('id', 'long'),
      field('PriceMicros', ['null', 'long'], { default: null }),
    ]),
  );
  return dir;
}

const GIT_ENV = {
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.invalid',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.invalid',
};

const PROJECTS = ['ads', 'bids', 'common'];
const options = (command: 'lint' | 'compat', ns: string): CheckExecutorOptions => ({
  command,
  paths: [`schemas/com/acme/${ns}/*.avsc`],
  schemas: 'schemas',
});

async function batch(
  dir: string,
  inputs: Record<string, CheckExecutorOptions>,
): Promise<Map<string, CheckResult>> {
  const tasks = Object.fromEntries(Object.keys(inputs).map((id) => [id, { id }]));
  const graph = { roots: Object.keys(inputs), tasks, dependencies: {} } as unknown as TaskGraph;
  const results = new Map<string, CheckResult>();
  for await (const { task, result } of checkBatch(graph, inputs, {}, { root: dir }))
    results.set(task, result);
  return results;
}

/** What `avro-gov <args>` prints, as a terminal shows it, and whether it exited 0. */
function cli(dir: string, args: string[]): CheckResult {
  const r = spawnSync(path.join(BIN, 'avro-gov'), args, {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${BIN}${path.delimiter}${process.env['PATH'] ?? ''}` },
  });
  return { success: r.status === 0, terminalOutput: r.stdout + r.stderr };
}

test('each task of a batch prints, and succeeds or fails, exactly as the CLI on its paths', async (t) => {
  const dir = workspace();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const inputs: Record<string, CheckExecutorOptions> = {};
  for (const ns of PROJECTS) {
    inputs[`${ns}:avro-lint`] = options('lint', ns);
    inputs[`${ns}:avro-compat`] = options('compat', ns);
  }
  const results = await batch(dir, inputs);
  assert.equal(results.size, 6);
  for (const [id, opts] of Object.entries(inputs)) {
    const expected = cli(dir, [opts.command, ...opts.paths, '--schemas', 'schemas']);
    assert.deepEqual(results.get(id), expected, id);
  }
  // The fixture is built so that each kind of failure stays in its own task.
  assert.deepEqual(
    [...results].filter(([, r]) => !r.success).map(([id]) => id),
    ['ads:avro-compat', 'bids:avro-lint'],
  );
  assert.match(results.get('ads:avro-compat')?.terminalOutput ?? '', /AdShown\.avsc:\d+:\d+ TYPE_MISMATCH/);
  assert.match(
    results.get('bids:avro-lint')?.terminalOutput ?? '',
    /BidWon\.avsc:\d+:\d+ FIELD_LOWER_SNAKE_CASE/,
  );
});

test('a task gives the same result alone as in a batch with others (its cache entry cannot depend on them)', async (t) => {
  const dir = workspace();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const all: Record<string, CheckExecutorOptions> = {};
  for (const ns of PROJECTS) all[`${ns}:avro-compat`] = options('compat', ns);
  const together = await batch(dir, all);
  for (const [id, opts] of Object.entries(all)) {
    const alone = await batch(dir, { [id]: opts });
    assert.deepEqual(alone.get(id), together.get(id), id);
  }
});

test('json and github formats are the CLI formats', async (t) => {
  const dir = workspace();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const format of ['json', 'github'] as const) {
    const inputs = {
      lint: { ...options('lint', 'bids'), format },
      compat: { ...options('compat', 'ads'), format },
    };
    const results = await batch(dir, inputs);
    for (const [id, opts] of Object.entries(inputs)) {
      const expected = cli(dir, [opts.command, ...opts.paths, '--schemas', 'schemas', '--format', format]);
      assert.deepEqual(results.get(id), expected, `${id} ${format}`);
    }
  }
});

test('a missing schema root fails every task with a finding naming the option, not a stack', async (t) => {
  const dir = workspace();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const results = await batch(dir, {
    a: { ...options('lint', 'ads'), schemas: 'nope' },
    b: { ...options('compat', 'ads'), schemas: 'nope' },
  });
  const expected = cli(dir, ['lint', '--schemas', 'nope']);
  assert.equal(expected.terminalOutput, 'nope:1:1 FILE_NOT_FOUND schema root "nope" does not exist\n');
  assert.deepEqual(results.get('a'), expected);
  assert.deepEqual(results.get('b'), expected);
});

test('without batch mode one task runs alone, prints its output and fails as the CLI does', (t) => {
  const dir = workspace();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // In a process of its own, as Nx forks one per task: the executor writes to that process's stdout.
  const script = `
    const { default: run } = await import(${JSON.stringify(EXECUTOR)});
    const result = await run(${JSON.stringify(options('compat', 'ads'))}, { root: ${JSON.stringify(dir)} });
    process.exitCode = result.success ? 0 : 1;`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  const expected = cli(dir, ['compat', 'schemas/com/acme/ads/*.avsc', '--schemas', 'schemas']);
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.stdout, expected.terminalOutput);
  assert.match(r.stdout, /TYPE_MISMATCH/);
});
