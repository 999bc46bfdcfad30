import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findSchemaFiles, loadSchemaWorkspace } from '../../src/workspace/load.ts';

describe('loadSchemaWorkspace', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'adlake-ws-'));
    await mkdir(path.join(dir, 'schemas/com/acme/common'), { recursive: true });
    await mkdir(path.join(dir, 'schemas/.hidden'), { recursive: true });
    await writeFile(
      path.join(dir, 'schemas/com/acme/common/Geo.avsc'),
      '{"type":"record","name":"Geo","namespace":"com.acme.common","fields":[]}',
    );
    await writeFile(
      path.join(dir, 'schemas/com/acme/Ev.avsc'),
      '{"type":"record","name":"Ev","namespace":"com.acme","fields":[{"name":"g","type":"com.acme.common.Geo"}]}',
    );
    await writeFile(path.join(dir, 'schemas/.hidden/X.avsc'), '{');
    await writeFile(path.join(dir, 'schemas/notes.json'), '{');
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads every .avsc below the directory with display paths relative to displayRoot', async () => {
    const w = await loadSchemaWorkspace({ dir: path.join(dir, 'schemas'), displayRoot: dir });
    assert.deepEqual(
      w.docs.map((d) => [d.file, d.relPath]),
      [
        ['schemas/com/acme/Ev.avsc', 'com/acme/Ev.avsc'],
        ['schemas/com/acme/common/Geo.avsc', 'com/acme/common/Geo.avsc'],
      ],
    );
    assert.equal(w.root, 'schemas');
    assert.deepEqual(w.problems, []);
  });

  it('loads an explicit file list', async () => {
    const w = await loadSchemaWorkspace({
      dir: path.join(dir, 'schemas'),
      files: [path.join(dir, 'schemas/com/acme/Ev.avsc')],
      displayRoot: dir,
    });
    assert.deepEqual(
      w.docs.map((d) => d.relPath),
      ['com/acme/Ev.avsc'],
    );
    assert.deepEqual(
      w.problems.map((p) => p.code),
      ['UNKNOWN_NAMED_TYPE'],
    );
  });

  it('throws FILE_NOT_FOUND for a missing file or directory', async () => {
    await assert.rejects(
      loadSchemaWorkspace({ dir, files: [path.join(dir, 'nope.avsc')], displayRoot: dir }),
      { code: 'FILE_NOT_FOUND' },
    );
    await assert.rejects(findSchemaFiles(path.join(dir, 'nope')), { code: 'FILE_NOT_FOUND' });
  });
});
