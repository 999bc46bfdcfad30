// End to end: `nx affected` / `nx run-many -t avro-lint avro-compat` in a real Nx workspace with git history,
// through the real plugin. One process runs every task of a run, and Nx's cache stays per project: an edit
// re-runs only the projects it can change, and a cached failure is replayed as a failure.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = path.join(ROOT, 'node_modules', '.bin');
const PLUGIN = path.join(ROOT, 'tools', 'nx-avro', 'src', 'index.ts');
const ENV = {
  ...process.env,
  PATH: `${BIN}${path.delimiter}${process.env['PATH'] ?? ''}`,
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  NX_TUI: 'false',
  FORCE_COLOR: '0',
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.invalid',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.invalid',
};
const DEVICE = 'schemas/com/acme/common/Device.avsc';
const AD = 'schemas/com/acme/ads/AdShown.avsc';
const BID = 'schemas/com/acme/bids/BidWon.avsc';
let dir = '';
/** A `git` first on the PATH that notes each `git cat-file` (only a compat task reads blobs) in SPY_LOG. */
let spy = '';

const field = (name: string, type: unknown, extra: object = {}): object => ({
  name,
  type,
  doc: `The ${name}.`,
  ...extra,
});
const record = (name: string, namespace: string, fields: unknown[]): string =>
  `${JSON.stringify({ type: 'record', name, namespace, doc: `The ${name}.`, fields }, null, 2)}\n`;
const event = (name: string, namespace: string, fields: unknown[]): string =>
  record(name, namespace, [
    field('event_id', { type: 'string', logicalType: 'uuid' }),
    field('event_time', { type: 'long', logicalType: 'timestamp-millis' }),
    ...fields,
  ]);
const optional = (name: string): object => field(name, ['null', 'string'], { default: null });

function write(file: string, text: string): void {
  mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  writeFileSync(path.join(dir, file), text);
}
function git(...args: string[]): void {
  execFileSync('git', args, { cwd: dir, stdio: 'ignore', env: ENV });
}

interface NxRun {
  code: number | null;
  /** How many times a task read blobs from git: 0 when every compat result came from the cache. */
  blobReads: number;
  output: string;
  /** Tasks Nx ran, and those it replayed from its cache, by `project:target`. */
  ran: string[];
  cached: string[];
}

function nx(args: string[], env: NodeJS.ProcessEnv = {}): NxRun {
  rmSync(path.join(spy, 'log'), { force: true });
  const r = spawnSync(path.join(BIN, 'nx'), [...args, '--output-style=static'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...ENV, PATH: `${spy}${path.delimiter}${ENV.PATH}`, SPY_LOG: path.join(spy, 'log'), ...env },
  });
  const output = `${r.stdout}\n${r.stderr}`;
  const ran: string[] = [];
  const cached: string[] = [];
  for (const m of output.matchAll(/^> nx run (\S+)(.*)$/gm)) {
    const [, task = '', rest = ''] = m;
    (rest.includes('cache') ? cached : ran).push(task.replace(/^schemas-com\.acme\./, ''));
  }
  const log = path.join(spy, 'log');
  const blobReads = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).length : 0;
  return {
    code: r.status,
    output,
    blobReads,
    ran: [...new Set(ran)].sort(),
    cached: [...new Set(cached)].sort(),
  };
}

const CHECK = ['run-many', '-t', 'avro-lint', 'avro-compat'];
const ALL = ['ads', 'bids', 'common'].flatMap((p) => [`${p}:avro-compat`, `${p}:avro-lint`]).sort();

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'adlake-e2e-nx-'));
  spy = mkdtempSync(path.join(tmpdir(), 'adlake-e2e-nx-spy-'));
  const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  writeFileSync(
    path.join(spy, 'git'),
    `#!/bin/sh\n[ "$1" = cat-file ] && echo "$*" >> "$SPY_LOG"\nexec ${realGit} "$@"\n`,
  );
  chmodSync(path.join(spy, 'git'), 0o755);
  write('.gitignore', 'node_modules\n.nx\n');
  write('package.json', `${JSON.stringify({ name: 'nx-cache-e2e', private: true, type: 'module' })}\n`);
  write(
    'nx.json',
    `${JSON.stringify({
      defaultBase: 'main',
      namedInputs: { default: ['{projectRoot}/**/*'], production: ['default'] },
      tui: { enabled: false },
      useDaemonProcess: false,
      plugins: [{ plugin: PLUGIN, options: { schemasDir: 'schemas' } }],
    })}\n`,
  );
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  write(
    'schemas/avro-gov.json',
    `${JSON.stringify({
      version: 1,
      subjects: [
        { schema: 'com.acme.ads.AdShown', topic: 'ads.shown' },
        { schema: 'com.acme.bids.BidWon', topic: 'bids.won' },
        { files: 'com/acme/common/**', kind: 'type' },
      ],
    })}\n`,
  );
  write(DEVICE, record('Device', 'com.acme.common', [field('model', 'string')]));
  write(AD, event('AdShown', 'com.acme.ads', [field('device', 'com.acme.common.Device')]));
  write(BID, event('BidWon', 'com.acme.bids', [field('price_micros', 'long')]));
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '--no-gpg-sign', '-m', 'schemas');
  git('checkout', '-q', '-b', 'feature');
});

after(() => {
  for (const d of [dir, spy]) if (d !== '') rmSync(d, { recursive: true, force: true });
});

test('a cold run checks every project in one process; the same run again comes from the cache', () => {
  const cold = nx(CHECK);
  assert.equal(cold.code, 0, cold.output);
  assert.deepEqual(cold.ran, ALL);
  assert.ok(cold.blobReads > 0, 'compat read the history');
  // Nx announces a batch once: all six tasks in one process, which loads the workspace once.
  assert.equal([...cold.output.matchAll(/Running \d+ tasks with @adlake\/nx-avro:check/g)].length, 1);
  assert.match(cold.output, /Running 6 tasks with @adlake\/nx-avro:check/);
  assert.match(
    cold.output,
    /schemas\/com\/acme\/ads\/AdShown\.avsc: ads\.shown-value BACKWARD vs git: compatible/,
  );

  const warm = nx(CHECK);
  assert.equal(warm.code, 0, warm.output);
  assert.deepEqual(warm.cached, ALL);
  assert.deepEqual(warm.ran, []);
  assert.equal(warm.blobReads, 0);
});

test("an edited event re-runs only its project's tasks", () => {
  write(BID, event('BidWon', 'com.acme.bids', [field('price_micros', 'long'), optional('seat')]));
  const run = nx(CHECK);
  assert.equal(run.code, 0, run.output);
  assert.deepEqual(run.ran, ['bids:avro-compat', 'bids:avro-lint']);
  assert.deepEqual(
    run.cached,
    ALL.filter((t) => !t.startsWith('bids:')),
  );
});

test('an edited shared type re-runs its project and the projects that use it, and nx affected sees them', () => {
  write(DEVICE, record('Device', 'com.acme.common', [field('model', 'string'), optional('os')]));
  const affected = nx(['show', 'projects', '--affected', `--files=${DEVICE}`, '--json']);
  const projects = JSON.parse(/\[.*\]/s.exec(affected.output)?.[0] ?? '[]') as string[];
  assert.deepEqual(projects.sort(), ['schemas-com.acme.ads', 'schemas-com.acme.common']);
  const run = nx(CHECK);
  assert.equal(run.code, 0, run.output);
  assert.deepEqual(run.ran, ['ads:avro-compat', 'ads:avro-lint', 'common:avro-compat', 'common:avro-lint']);
  assert.deepEqual(run.cached, ['bids:avro-compat', 'bids:avro-lint']);
});

test('an incompatible change fails its task, and a failure is never replayed as a success', () => {
  write(AD, event('AdShown', 'com.acme.ads', [field('device', 'string')]));
  const failed = nx(CHECK);
  assert.notEqual(failed.code, 0);
  assert.match(failed.output, /AdShown\.avsc:\d+:\d+ TYPE_MISMATCH/);
  assert.deepEqual(failed.ran, ['ads:avro-compat', 'ads:avro-lint']);

  // Nx 23 keeps failures out of its cache by default: the failed task runs again, and fails again.
  const again = nx(CHECK);
  assert.notEqual(again.code, 0);
  assert.match(again.output, /AdShown\.avsc:\d+:\d+ TYPE_MISMATCH/);
  assert.deepEqual(again.ran, ['ads:avro-compat']);
  assert.ok(again.blobReads > 0, 'the failed compat task really ran again');
});

test('with NX_CACHE_FAILURES a cached failure is replayed as a failure, with its findings', () => {
  write(AD, event('AdShown', 'com.acme.ads', [field('device', 'long')]));
  const env = { NX_CACHE_FAILURES: 'true' };
  const failed = nx(CHECK, env);
  assert.notEqual(failed.code, 0);
  assert.deepEqual(failed.ran, ['ads:avro-compat', 'ads:avro-lint']);

  const replayed = nx(CHECK, env);
  assert.notEqual(replayed.code, 0, 'a failure from the cache must fail the run again');
  assert.match(replayed.output, /AdShown\.avsc:\d+:\d+ TYPE_MISMATCH/);
  // Nx labels a replayed success "[local cache]" but not a replayed failure; that no task read git shows it.
  assert.equal(replayed.blobReads, 0, 'the failure came from the cache, no task ran');
});
