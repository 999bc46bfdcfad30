import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import avro from 'avsc';
import type { Schema } from 'avsc';
import { lintWorkspace } from '../../src/lint/lint.ts';
import { buildAvroTypes } from '../../src/workspace/avro.ts';
import { checkConfigAgainstWorkspace, loadConfig, subjectFor, topicFor } from '../../src/workspace/config.ts';
import { loadSchemaWorkspace } from '../../src/workspace/load.ts';
import { standaloneSchema } from '../../src/workspace/standalone.ts';
import { createSchemaWorkspace } from '../../src/workspace/workspace.ts';
import { EVENT_CONFIG, brief, eventFile, field, lintFiles, record } from './support.ts';

const messy = {
  ...eventFile(field('AdId', 'long')),
  'legacy/Old.avsc': record('old_thing', undefined, [{ name: 'X', type: 'int' }]),
};

describe('lintWorkspace configuration', () => {
  it('runs every category by default and sorts findings by file, line, column', () => {
    const findings = lintFiles(messy, EVENT_CONFIG);
    assert.deepEqual(brief(findings), [
      'com/acme/Ev.avsc /fields/2/name FIELD_LOWER_SNAKE_CASE',
      'legacy/Old.avsc /name FILE_PATH_MATCHES_NAME',
      'legacy/Old.avsc /name NAMESPACE_REQUIRED',
      'legacy/Old.avsc /name TYPE_NAME_PASCAL_CASE',
      'legacy/Old.avsc /fields/0/name FIELD_DOC_REQUIRED',
      'legacy/Old.avsc /fields/0/name FIELD_LOWER_SNAKE_CASE',
    ]);
  });

  it('use selects categories and ids; except removes ids and categories', () => {
    assert.deepEqual(
      brief(lintFiles(messy, { ...EVENT_CONFIG, lint: { use: ['BASIC', 'FIELD_DOC_REQUIRED'] } })),
      [
        'legacy/Old.avsc /name FILE_PATH_MATCHES_NAME',
        'legacy/Old.avsc /name NAMESPACE_REQUIRED',
        'legacy/Old.avsc /fields/0/name FIELD_DOC_REQUIRED',
      ],
    );
    assert.deepEqual(
      brief(lintFiles(messy, { ...EVENT_CONFIG, lint: { except: ['STYLE', 'NAMESPACE_REQUIRED'] } })),
      ['legacy/Old.avsc /name FILE_PATH_MATCHES_NAME', 'legacy/Old.avsc /fields/0/name FIELD_DOC_REQUIRED'],
    );
  });

  it('ignore drops every finding under a path', () => {
    assert.deepEqual(brief(lintFiles(messy, { ...EVENT_CONFIG, lint: { ignore: ['legacy'] } })), [
      'com/acme/Ev.avsc /fields/2/name FIELD_LOWER_SNAKE_CASE',
    ]);
    assert.deepEqual(
      brief(lintFiles(messy, { ...EVENT_CONFIG, lint: { ignore: ['**/Old.avsc', 'com/acme/Ev.avsc'] } })),
      [],
    );
  });

  it('ignore_only suppresses one rule or category for some paths', () => {
    const config = {
      ...EVENT_CONFIG,
      lint: { ignore_only: { FIELD_LOWER_SNAKE_CASE: ['com/acme/Ev.avsc'], BASIC: ['legacy/'] } },
    };
    assert.deepEqual(brief(lintFiles(messy, config)), [
      'legacy/Old.avsc /name TYPE_NAME_PASCAL_CASE',
      'legacy/Old.avsc /fields/0/name FIELD_DOC_REQUIRED',
      'legacy/Old.avsc /fields/0/name FIELD_LOWER_SNAKE_CASE',
    ]);
  });

  it('reports a bad default once, under the precise rule, not again as FILE_PARSES_AVRO', () => {
    const files = eventFile(
      field('a', 'int', { default: 'x' }),
      field('p', { type: 'enum', name: 'P', doc: 'P.', symbols: ['A'], default: 'B' }),
    );
    assert.deepEqual(brief(lintFiles(files, EVENT_CONFIG)), [
      'com/acme/Ev.avsc /fields/2/default FIELD_DEFAULT_MATCHES_TYPE',
      'com/acme/Ev.avsc /fields/3/type/default ENUM_DEFAULT_VALID',
    ]);
    // With the precise rule turned off, avsc's rejection still surfaces: the schema cannot be registered.
    assert.deepEqual(
      brief(
        lintFiles(files, {
          ...EVENT_CONFIG,
          lint: { except: ['FIELD_DEFAULT_MATCHES_TYPE', 'ENUM_DEFAULT_VALID'] },
        }),
      ),
      ['com/acme/Ev.avsc /fields/2/default FILE_PARSES_AVRO'],
    );
  });

  it('reports unparseable files next to the findings of the others', () => {
    const findings = lintFiles(
      { ...eventFile(), 'com/acme/Bad.avsc': '{\n  "type": "record",\n  "name": "Bad",\n}' },
      EVENT_CONFIG,
    );
    assert.deepEqual(
      findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.id} ${f.message}`),
      ["schemas/com/acme/Bad.avsc:3:16 FILE_PARSES_JSON Trailing comma before '}'"],
    );
  });

  it('lints with the default config when none is given', () => {
    const w = createSchemaWorkspace([{ file: 'Ev.avsc', text: JSON.stringify(record('Ev', 'x', [])) }]);
    assert.deepEqual(
      lintWorkspace(w).map((f) => f.id),
      ['FILE_PATH_MATCHES_NAME'],
    );
  });
});

describe('the shipped schemas/ directory', async () => {
  const repo = path.resolve(import.meta.dirname, '../../../..');
  const workspace = await loadSchemaWorkspace({ dir: path.join(repo, 'schemas'), displayRoot: repo });
  const config = await loadConfig(path.join(repo, 'schemas/avro-gov.json'), { displayRoot: repo });

  it('loads without problems and the config matches it', () => {
    assert.deepEqual(workspace.problems, []);
    assert.deepEqual(checkConfigAgainstWorkspace(config, workspace), []);
    assert.ok(workspace.docs.length >= 6);
  });

  it('lints clean with the shipped config', () => {
    assert.deepEqual(lintWorkspace(workspace, config), []);
  });

  it('maps the three events to their topics and subjects; shared types have none', () => {
    const byName = (fullname: string) => {
      const doc = workspace.docForFullname(fullname);
      assert.ok(doc, fullname);
      return doc;
    };
    assert.equal(topicFor(byName('com.acme.adserver.AdImpression'), config), 'adserver.impressions');
    assert.equal(subjectFor(byName('com.acme.adserver.AdImpression'), config), 'adserver.impressions-value');
    assert.equal(subjectFor(byName('com.acme.adserver.AdClick'), config), 'adserver.clicks-value');
    assert.equal(
      subjectFor(byName('com.acme.adserver.AdEngagement'), config),
      'adserver.engagements-com.acme.adserver.AdEngagement',
    );
    assert.equal(subjectFor(byName('com.acme.adserver.common.Device'), config), undefined);
  });

  it('builds with avsc and round-trips random values through standalone schemas', () => {
    const built = buildAvroTypes(workspace);
    assert.deepEqual(built.problems, []);
    for (const doc of workspace.docs) {
      const type = avro.Type.forSchema(standaloneSchema(workspace, doc) as Schema);
      assert.equal(
        type.fingerprint().toString('hex'),
        built.types.get(doc.file)?.fingerprint().toString('hex'),
        doc.file,
      );
      const value = type.random();
      assert.ok(type.isValid(type.fromBuffer(type.toBuffer(value))), doc.file);
    }
  });
});
