import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  bindingFor,
  checkConfigAgainstWorkspace,
  defaultConfig,
  loadConfig,
  parseConfig,
  subjectFor,
  subjectName,
  topicFor,
  validateConfig,
} from '../../src/workspace/config.ts';
import { createSchemaWorkspace } from '../../src/workspace/workspace.ts';

function errorsOf(config: unknown): string[] {
  const text = JSON.stringify(config, null, 2);
  return validateConfig(text, 'schemas/avro-gov.json').errors.map(
    (e) => `${e.context.line}:${e.context.column} ${e.message}`,
  );
}

const workspace = createSchemaWorkspace(
  [
    {
      file: 'schemas/com/acme/adserver/AdClick.avsc',
      text: '{"type":"record","name":"AdClick","namespace":"com.acme.adserver","fields":[]}',
    },
    {
      file: 'schemas/com/acme/adserver/AdView.avsc',
      text: '{"type":"record","name":"AdView","namespace":"com.acme.adserver","fields":[]}',
    },
    {
      file: 'schemas/com/acme/adserver/common/Device.avsc',
      text: '{"type":"record","name":"Device","namespace":"com.acme.adserver.common","fields":[]}',
    },
  ],
  { root: 'schemas' },
);
const doc = (rel: string) => {
  const d = workspace.docs.find((x) => x.relPath === rel);
  assert.ok(d);
  return d;
};

describe('validateConfig', () => {
  it('accepts a full config and applies defaults', () => {
    const config = parseConfig(
      JSON.stringify({
        version: 1,
        defaults: { compatibility: 'FULL' },
        subjects: [
          { schema: 'com.acme.adserver.AdClick', topic: 'adserver.clicks' },
          { files: 'com/acme/adserver/common/**', kind: 'type' },
        ],
        lint: {
          use: ['MINIMAL', 'FIELD_DOC_REQUIRED'],
          except: ['NAMESPACE_REQUIRED'],
          ignore: ['legacy'],
          ignore_only: { STYLE: ['com/old/*.avsc'] },
        },
      }),
      'schemas/avro-gov.json',
    );
    assert.equal(config.file, 'schemas/avro-gov.json');
    assert.deepEqual(config.defaults, { strategy: 'TopicNameStrategy', compatibility: 'FULL' });
    assert.deepEqual(
      config.subjects.map((s) => [s.kind, s.topic, s.strategy, s.compatibility]),
      [
        ['event', 'adserver.clicks', 'TopicNameStrategy', 'FULL'],
        ['type', undefined, 'TopicNameStrategy', 'FULL'],
      ],
    );
    assert.deepEqual(config.lint, {
      use: ['MINIMAL', 'FIELD_DOC_REQUIRED'],
      except: ['NAMESPACE_REQUIRED'],
      ignore: ['legacy'],
      ignoreOnly: { STYLE: ['com/old/*.avsc'] },
    });
  });

  it('uses every category when lint.use is absent', () => {
    assert.deepEqual(parseConfig('{}').lint.use, ['MINIMAL', 'BASIC', 'STYLE', 'DOCS', 'EVENT']);
  });

  const cases: { name: string; config: unknown; errors: string[] }[] = [
    {
      name: 'bad strategy names the key path and position',
      config: {
        subjects: [
          { schema: 'a.B', topic: 't' },
          { schema: 'a.C', topic: 't', strategy: 'Topic' },
        ],
      },
      errors: [
        '10:19 /subjects/1/strategy: must be one of TopicNameStrategy, RecordNameStrategy, TopicRecordNameStrategy',
      ],
    },
    {
      name: 'bad compatibility level',
      config: { defaults: { compatibility: 'SIDEWAYS' } },
      errors: [
        '3:22 /defaults/compatibility: must be one of NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE',
      ],
    },
    {
      name: 'unknown top-level key, at the key',
      config: { subject: [] },
      errors: ['2:3 /subject: unknown key (expected one of $schema, version, defaults, subjects, lint)'],
    },
    { name: 'wrong version', config: { version: 2 }, errors: ['2:14 /version: must be 1'] },
    { name: 'not an object', config: [], errors: ['1:1 /: must be an object'] },
    { name: 'subjects not an array', config: { subjects: {} }, errors: ['2:15 /subjects: must be an array'] },
    {
      name: 'both schema and files',
      config: { subjects: [{ schema: 'a.B', files: '*.avsc', topic: 't' }] },
      errors: ['3:5 /subjects/0: must have exactly one of "schema" (a fullname) or "files" (a glob)'],
    },
    {
      name: 'neither schema nor files',
      config: { subjects: [{ topic: 't' }] },
      errors: ['3:5 /subjects/0: must have exactly one of "schema" (a fullname) or "files" (a glob)'],
    },
    {
      name: 'invalid fullname',
      config: { subjects: [{ schema: 'a..B', topic: 't' }] },
      errors: ['4:17 /subjects/0/schema: must be a full Avro name like "com.acme.adserver.AdClick"'],
    },
    {
      name: 'invalid topic',
      config: { subjects: [{ schema: 'a.B', topic: 'no spaces' }] },
      errors: ['5:16 /subjects/0/topic: must be a Kafka topic name (1-249 characters of A-Z a-z 0-9 . _ -)'],
    },
    {
      name: 'event without topic',
      config: { subjects: [{ schema: 'a.B', kind: 'event' }] },
      errors: ['3:5 /subjects/0: an event mapping needs a "topic"'],
    },
    {
      name: 'type with a topic',
      config: { subjects: [{ schema: 'a.B', kind: 'type', topic: 't' }] },
      errors: [
        '6:16 /subjects/0/topic: a "type" mapping is not registered on its own, so it takes no topic, strategy or compatibility',
      ],
    },
    {
      name: 'unknown subject key',
      config: { subjects: [{ schema: 'a.B', topik: 't' }] },
      errors: [
        '5:7 /subjects/0/topik: unknown key (expected one of schema, files, kind, topic, strategy, compatibility)',
      ],
    },
    {
      name: 'files escaping the root',
      config: { subjects: [{ files: '../x/*.avsc', kind: 'type' }] },
      errors: [
        '4:16 /subjects/0/files: must be a forward-slash path relative to the schema root (no leading "/", no "..")',
      ],
    },
    {
      name: 'unknown lint rule in use',
      config: { lint: { use: ['MINIMAL', 'NOPE'] } },
      errors: [
        '5:7 /lint/use/1: unknown lint rule or category "NOPE" (categories: MINIMAL, BASIC, STYLE, DOCS, EVENT; see docs/lint-rules.md for rule ids)',
      ],
    },
    {
      name: 'except not an array',
      config: { lint: { except: 'STYLE' } },
      errors: ['3:15 /lint/except: must be an array of strings'],
    },
    {
      name: 'absolute ignore path',
      config: { lint: { ignore: ['/abs'] } },
      errors: [
        '4:7 /lint/ignore/0: must be a forward-slash path relative to the schema root (no leading "/", no "..")',
      ],
    },
    {
      name: 'unknown ignore_only rule, at the key',
      config: { lint: { ignore_only: { NOPE: ['a'] } } },
      errors: ['4:7 /lint/ignore_only/NOPE: unknown lint rule or category "NOPE"'],
    },
    {
      name: 'ignore_only value not a list',
      config: { lint: { ignore_only: { STYLE: 'a' } } },
      errors: ['4:16 /lint/ignore_only/STYLE: must be an array of strings'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(errorsOf(c.config), c.errors);
    });
  }

  it('collects every error and parseConfig throws the first with a count', () => {
    const text = JSON.stringify({ version: 3, defaults: { strategy: 'X' } });
    assert.equal(validateConfig(text).errors.length, 2);
    assert.throws(
      () => parseConfig(text, 'c.json'),
      (error: unknown) => {
        const e = error as { code: string; message: string; context: { file: string; configKey: string } };
        assert.equal(e.code, 'CONFIG_INVALID');
        assert.equal(e.message, '/version: must be 1 (and 1 more config error(s))');
        assert.equal(e.context.file, 'c.json');
        assert.equal(e.context.configKey, '/version');
        return true;
      },
    );
  });

  it('reports JSON syntax errors in the config with position', () => {
    assert.throws(() => parseConfig('{"subjects": [],}', 'c.json'), { code: 'JSON_SYNTAX' });
  });
});

describe('subject naming', () => {
  it('follows the three Confluent strategies', () => {
    assert.equal(
      subjectName('TopicNameStrategy', 'adserver.clicks', 'com.acme.adserver.AdClick'),
      'adserver.clicks-value',
    );
    assert.equal(
      subjectName('RecordNameStrategy', 'adserver.clicks', 'com.acme.adserver.AdClick'),
      'com.acme.adserver.AdClick',
    );
    assert.equal(
      subjectName('TopicRecordNameStrategy', 'adserver.clicks', 'com.acme.adserver.AdClick'),
      'adserver.clicks-com.acme.adserver.AdClick',
    );
  });

  const config = parseConfig(
    JSON.stringify({
      subjects: [
        {
          schema: 'com.acme.adserver.AdClick',
          topic: 'adserver.clicks',
          strategy: 'RecordNameStrategy',
          compatibility: 'FULL_TRANSITIVE',
        },
        { files: 'com/acme/adserver/Ad*.avsc', topic: 'adserver.views', strategy: 'TopicRecordNameStrategy' },
        { files: 'com/acme/adserver/common/**', kind: 'type' },
      ],
    }),
  );

  it('maps documents by fullname first-match, then by glob', () => {
    assert.equal(subjectFor(doc('com/acme/adserver/AdClick.avsc'), config), 'com.acme.adserver.AdClick');
    assert.equal(topicFor(doc('com/acme/adserver/AdClick.avsc'), config), 'adserver.clicks');
    assert.equal(bindingFor(doc('com/acme/adserver/AdClick.avsc'), config).compatibility, 'FULL_TRANSITIVE');
    assert.equal(
      subjectFor(doc('com/acme/adserver/AdView.avsc'), config),
      'adserver.views-com.acme.adserver.AdView',
    );
    assert.equal(bindingFor(doc('com/acme/adserver/AdView.avsc'), config).compatibility, 'BACKWARD');
  });

  it('gives shared types no topic or subject', () => {
    const device = doc('com/acme/adserver/common/Device.avsc');
    assert.equal(subjectFor(device, config), undefined);
    assert.equal(topicFor(device, config), undefined);
    assert.equal(bindingFor(device, config).kind, 'type');
    assert.equal(bindingFor(device, defaultConfig()).kind, 'type', 'unmapped documents are shared types');
  });

  it('uses the default TopicNameStrategy', () => {
    const c = parseConfig(
      JSON.stringify({ subjects: [{ schema: 'com.acme.adserver.AdClick', topic: 'adserver.clicks' }] }),
    );
    assert.equal(subjectFor(doc('com/acme/adserver/AdClick.avsc'), c), 'adserver.clicks-value');
  });
});

describe('checkConfigAgainstWorkspace', () => {
  it('reports entries that match nothing and subjects shared by two schemas', () => {
    const config = parseConfig(
      JSON.stringify(
        {
          subjects: [
            { schema: 'com.acme.adserver.Gone', topic: 'a' },
            { files: 'com/acme/adserver/Ad*.avsc', topic: 'adserver.all' },
          ],
        },
        null,
        2,
      ),
      'schemas/avro-gov.json',
    );
    const errors = checkConfigAgainstWorkspace(config, workspace).map(
      (e) => `${e.context.file}:${e.context.line}:${e.context.column} ${e.message}`,
    );
    assert.deepEqual(errors, [
      'schemas/avro-gov.json:7:5 /subjects/1: schemas/com/acme/adserver/AdView.avsc and schemas/com/acme/adserver/AdClick.avsc both map to subject "adserver.all-value"',
      'schemas/avro-gov.json:4:17 /subjects/0/schema: schema "com.acme.adserver.Gone" matches no schema document in the workspace',
    ]);
  });
});

describe('loadConfig', () => {
  it('reads a file and reports a missing one', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'adlake-cfg-'));
    try {
      const file = path.join(dir, 'avro-gov.json');
      await writeFile(file, '{"subjects": [{"schema": "a.B", "topic": "t", "strategy": "Nope"}]}');
      await assert.rejects(loadConfig(file, { displayRoot: dir }), (e: unknown) => {
        const err = e as { code: string; context: { file: string; line: number; column: number } };
        assert.equal(err.code, 'CONFIG_INVALID');
        assert.deepEqual([err.context.file, err.context.line, err.context.column], ['avro-gov.json', 1, 59]);
        return true;
      });
      await assert.rejects(loadConfig(path.join(dir, 'missing.json')), { code: 'FILE_NOT_FOUND' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
