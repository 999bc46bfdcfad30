import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitReadCache, gitHistory, readFilesAt } from '../../src/baseline/git.ts';
import { GovernanceError } from '../../src/errors.ts';

function repo(): { dir: string; commit: (files: Record<string, string | null>, message: string) => string } {
  const dir = mkdtempSync(join(tmpdir(), 'adlake-git-'));
  const run = (...args: string[]): string => execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();
  run('init', '-q', '-b', 'main');
  run('config', 'user.email', 't@example.com');
  run('config', 'user.name', 'T');
  return {
    dir,
    commit(files, message) {
      for (const [path, text] of Object.entries(files)) {
        if (text === null) {
          run('rm', '-q', path);
          continue;
        }
        mkdirSync(join(dir, path, '..'), { recursive: true });
        writeFileSync(join(dir, path), text);
        run('add', path);
      }
      run('commit', '-q', '-m', message);
      return run('rev-parse', '--short=7', 'HEAD');
    },
  };
}

test('lists every distinct past version of each file, oldest first, up to the merge base with main', async (t) => {
  const r = repo();
  t.after(() => rmSync(r.dir, { recursive: true, force: true }));
  const c1 = r.commit({ 'schemas/A.avsc': 'v1', 'schemas/B.avsc': 'b1' }, 'one');
  r.commit({ README: 'unrelated' }, 'two');
  const c3 = r.commit({ 'schemas/A.avsc': 'v2' }, 'three');
  execFileSync('git', ['checkout', '-q', '-b', 'feature'], { cwd: r.dir });
  r.commit({ 'schemas/A.avsc': 'v3-on-branch' }, 'four');

  const history = await gitHistory({
    cwd: r.dir,
    files: ['schemas/A.avsc', 'schemas/B.avsc', 'schemas/New.avsc'],
  });
  assert.deepEqual(
    history.get('schemas/A.avsc')?.map((v) => [v.version, v.text, v.source]),
    [
      [c1, 'v1', `git:${c1}:schemas/A.avsc`],
      [c3, 'v2', `git:${c3}:schemas/A.avsc`],
    ],
  );
  assert.deepEqual(
    history.get('schemas/B.avsc')?.map((v) => v.text),
    ['b1'],
  );
  assert.deepEqual(history.get('schemas/New.avsc'), [], 'a file with no history is new');
});

test('an explicit base includes versions up to that commit only, and identical re-commits collapse', async (t) => {
  const r = repo();
  t.after(() => rmSync(r.dir, { recursive: true, force: true }));
  r.commit({ 'A.avsc': 'v1' }, 'one');
  r.commit({ 'A.avsc': 'v2' }, 'two');
  r.commit({ 'A.avsc': 'v1' }, 'back');
  const c4 = r.commit({ 'A.avsc': 'v1', other: 'x' }, 'touch other');
  const history = await gitHistory({ cwd: r.dir, files: ['A.avsc'], base: c4 });
  assert.deepEqual(
    history.get('A.avsc')?.map((v) => v.text),
    ['v1', 'v2', 'v1'],
  );
  const earlier = await gitHistory({ cwd: r.dir, files: ['A.avsc'], base: 'HEAD~2' });
  assert.deepEqual(
    earlier.get('A.avsc')?.map((v) => v.text),
    ['v1', 'v2'],
  );
});

test('a deleted and re-added file keeps its versions but not the deletion', async (t) => {
  const r = repo();
  t.after(() => rmSync(r.dir, { recursive: true, force: true }));
  r.commit({ 'A.avsc': 'v1' }, 'one');
  r.commit({ 'A.avsc': null }, 'delete');
  r.commit({ 'A.avsc': 'v2' }, 'again');
  const history = await gitHistory({ cwd: r.dir, files: ['A.avsc'], base: 'HEAD' });
  assert.deepEqual(
    history.get('A.avsc')?.map((v) => v.text),
    ['v1', 'v2'],
  );
});

test('a base that does not exist is a GIT_ERROR naming the base', async (t) => {
  const r = repo();
  t.after(() => rmSync(r.dir, { recursive: true, force: true }));
  r.commit({ 'A.avsc': 'v1' }, 'one');
  await assert.rejects(
    gitHistory({ cwd: r.dir, files: ['A.avsc'], base: 'no-such-branch' }),
    (error: unknown) =>
      error instanceof GovernanceError && error.code === 'GIT_ERROR' && /no-such-branch/.test(error.message),
  );
});

test('outside a git repository the error says so instead of crashing', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'adlake-nogit-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  await assert.rejects(
    gitHistory({ cwd: dir, files: ['A.avsc'] }),
    (error: unknown) =>
      error instanceof GovernanceError &&
      error.code === 'GIT_ERROR' &&
      /not a git repository/i.test(error.message),
  );
});

test('a shared read cache gives the same histories as reading without it, and reads a blob once', async (t) => {
  const r = repo();
  t.after(() => rmSync(r.dir, { recursive: true, force: true }));
  r.commit({ 'schemas/A.avsc': 'a1', 'schemas/B.avsc': 'b1' }, 'one');
  r.commit({ 'schemas/A.avsc': 'a2' }, 'two');
  const files = ['schemas/A.avsc', 'schemas/B.avsc'];
  const cache = new GitReadCache();
  const plain = await gitHistory({ cwd: r.dir, files });
  const first = await gitHistory({ cwd: r.dir, files, cache });
  const blobs = cache.blobs.size;
  const again = await gitHistory({ cwd: r.dir, files: ['schemas/A.avsc'], cache });
  assert.deepEqual(first, plain);
  assert.deepEqual(again.get('schemas/A.avsc'), plain.get('schemas/A.avsc'));
  assert.equal(blobs, 3);
  assert.equal(cache.blobs.size, blobs, 'the second history read no blob again');
});

test('a cached read of a path absent at a commit stays absent, and a bad base is still an error', async (t) => {
  const r = repo();
  t.after(() => rmSync(r.dir, { recursive: true, force: true }));
  r.commit({ 'schemas/A.avsc': 'a1' }, 'one');
  const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: r.dir, encoding: 'utf8' }).trim();
  const cache = new GitReadCache();
  const wanted = [
    { commit: head, file: 'schemas/A.avsc' },
    { commit: head, file: 'schemas/Later.avsc' },
  ];
  assert.deepEqual(await readFilesAt(r.dir, wanted, cache), ['a1', undefined]);
  assert.deepEqual(await readFilesAt(r.dir, wanted, cache), ['a1', undefined]);
  for (let i = 0; i < 2; i++) {
    await assert.rejects(
      gitHistory({ cwd: r.dir, files: ['schemas/A.avsc'], base: 'no-such-ref', cache }),
      (e: unknown) => e instanceof GovernanceError && e.code === 'GIT_ERROR',
    );
  }
});

test('one cached reader serves many reads in order, and closing it lets the cache start another', async (t) => {
  const r = repo();
  t.after(() => rmSync(r.dir, { recursive: true, force: true }));
  r.commit({ 'schemas/A.avsc': 'a1', 'schemas/B.avsc': 'b1'.repeat(100_000) }, 'one');
  r.commit({ 'schemas/A.avsc': 'a2' }, 'two');
  const cache = new GitReadCache();
  t.after(() => cache.close());
  const [one, two] = await Promise.all([
    gitHistory({ cwd: r.dir, files: ['schemas/B.avsc'], cache }),
    gitHistory({ cwd: r.dir, files: ['schemas/A.avsc'], cache }),
  ]);
  assert.equal(one.get('schemas/B.avsc')?.[0]?.text, 'b1'.repeat(100_000));
  assert.deepEqual(
    two.get('schemas/A.avsc')?.map((v) => v.text),
    ['a1', 'a2'],
  );
  cache.close();
  cache.blobs.clear();
  const again = await gitHistory({ cwd: r.dir, files: ['schemas/A.avsc'], cache });
  assert.deepEqual(again.get('schemas/A.avsc'), two.get('schemas/A.avsc'));
});
