import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import avro from 'avsc';
import type { Schema } from 'avsc';
import { buildAvroTypes } from '../../src/workspace/avro.ts';
import { standaloneSchema } from '../../src/workspace/standalone.ts';
import { createSchemaWorkspace } from '../../src/workspace/workspace.ts';

describe('standaloneSchema', () => {
  const device = {
    type: 'record',
    name: 'Device',
    namespace: 'com.acme.common',
    doc: 'A device.',
    fields: [
      { name: 'kind', type: { type: 'enum', name: 'Kind', symbols: ['A', 'B'], default: 'A' } },
      { name: 'again', type: ['null', 'Kind'], default: null },
    ],
  };
  const event = {
    type: 'record',
    name: 'Ev',
    namespace: 'com.acme',
    'x-owner': 'ads',
    fields: [
      { name: 'd1', type: 'com.acme.common.Device', doc: 'first' },
      { name: 'd2', type: ['null', 'com.acme.common.Device'], default: null },
      { name: 'k', type: 'com.acme.common.Kind' },
      { name: 'local', type: { type: 'fixed', name: 'Hash', size: 2 } },
      { name: 'local2', type: 'Hash' },
    ],
  };
  const w = createSchemaWorkspace([
    { file: 'Ev.avsc', text: JSON.stringify(event) },
    { file: 'Device.avsc', text: JSON.stringify(device) },
  ]);
  const doc = w.getDoc('Ev.avsc');
  assert.ok(doc);

  it('inlines external types at first use and qualifies every name', () => {
    const out = standaloneSchema(w, doc) as {
      fields: { type: unknown }[];
      'x-owner': string;
      namespace: string;
    };
    assert.equal(out['x-owner'], 'ads');
    assert.equal(out.namespace, 'com.acme');
    assert.deepEqual(out.fields[0]?.type, {
      type: 'record',
      name: 'Device',
      namespace: 'com.acme.common',
      doc: 'A device.',
      fields: [
        {
          name: 'kind',
          type: {
            type: 'enum',
            name: 'Kind',
            namespace: 'com.acme.common',
            symbols: ['A', 'B'],
            default: 'A',
          },
        },
        { name: 'again', type: ['null', 'com.acme.common.Kind'], default: null },
      ],
    });
    assert.deepEqual(out.fields[1]?.type, ['null', 'com.acme.common.Device']);
    assert.equal(out.fields[2]?.type, 'com.acme.common.Kind');
    assert.equal(out.fields[4]?.type, 'com.acme.Hash');
  });

  it('parses without a registry into the same type the registry build produces', () => {
    const alone = avro.Type.forSchema(standaloneSchema(w, doc) as Schema);
    const built = buildAvroTypes(w).types.get('Ev.avsc');
    assert.ok(built);
    assert.equal(alone.fingerprint().toString('hex'), built.fingerprint().toString('hex'));
  });

  it('throws UNKNOWN_NAMED_TYPE for an unresolvable reference', () => {
    const broken = createSchemaWorkspace([
      { file: 'x.avsc', text: '{"type":"record","name":"X","fields":[{"name":"a","type":"Nope"}]}' },
    ]);
    assert.throws(() => standaloneSchema(broken, broken.docs[0] as never), { code: 'UNKNOWN_NAMED_TYPE' });
  });

  it('refuses, rather than writes a wrong schema, when a null-namespace type would be named from a namespace', () => {
    // R (null namespace) uses Foo, then a.X, whose file defines Foo inline with "namespace": "". Inlined, Foo is
    // written at R's first use, so inside a.X only a reference is left, and none names Foo from namespace a
    // (docs/names.md): this used to write "Foo" there, which avsc reads as a.Foo.
    const files = createSchemaWorkspace([
      {
        file: 'R.avsc',
        text: JSON.stringify({
          type: 'record',
          name: 'R',
          fields: [
            { name: 'f1', type: 'Foo' },
            { name: 'f2', type: 'a.X' },
          ],
        }),
      },
      {
        file: 'a/X.avsc',
        text: JSON.stringify({
          type: 'record',
          name: 'X',
          namespace: 'a',
          fields: [
            {
              name: 'g',
              type: { type: 'record', name: 'Foo', namespace: '', fields: [{ name: 'n', type: 'int' }] },
            },
          ],
        }),
      },
    ]);
    assert.deepEqual(files.problems, []);
    assert.throws(() => standaloneSchema(files, files.getDoc('R.avsc') as never), {
      code: 'AVRO_INVALID',
      message:
        'The standalone schema of R.avsc cannot be written: Named type "Foo" is in the null namespace and cannot be referred to from inside namespace "a"; give it a namespace',
    });
    // a/X.avsc alone is fine: Foo is defined where it is used.
    const x = standaloneSchema(files, files.getDoc('a/X.avsc') as never);
    assert.ok(avro.Type.forSchema(x as Schema));
  });
});
