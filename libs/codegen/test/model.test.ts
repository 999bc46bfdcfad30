import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import avro from 'avsc';
import { CodegenError } from '../src/errors.ts';
import { buildModel, standaloneSchema } from '../src/model.ts';
import type { SchemaDocument } from '../src/model.ts';
import { createType } from '@adlake/event-runtime';
import { DEVICE, fixture, fixtureSchemas } from './support.ts';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    return error instanceof CodegenError ? error.code : 'not a CodegenError';
  }
  return undefined;
};

describe('buildModel', () => {
  it('resolves a cross-file reference through lookupNamedType, once for every document', () => {
    const looked: string[] = [];
    const { schemas, lookupNamedType } = fixtureSchemas();
    const model = buildModel(schemas, (name) => {
      looked.push(name);
      return lookupNamedType(name);
    });
    assert.deepEqual(looked, [DEVICE]);
    assert.equal(model.named.get(DEVICE)?.file, `<lookup ${DEVICE}>`);
    assert.equal(model.named.get('com.acme.adserver.common.Os')?.kind, 'enum');
  });

  it('reads a type nested in another file in its own namespace when it is looked up by full name', () => {
    // The workspace's lookup returns a nested definition's own JSON, without the namespace it inherits.
    const device = {
      type: 'record',
      name: 'Device',
      namespace: 'c',
      fields: [{ name: 'os', type: { type: 'enum', name: 'Os', symbols: ['A'] } }],
    };
    const files: Record<string, unknown> = { 'c.Device': device, 'c.Os': device.fields[0]?.type };
    const json = {
      type: 'record',
      name: 'a.E',
      fields: [
        { name: 'o', type: 'c.Os' },
        { name: 'd', type: 'c.Device' },
      ],
    };
    const model = buildModel([{ file: 'E.avsc', subject: 'e', json }], (n) => files[n]);
    assert.deepEqual([...model.named.keys()], ['a.E', 'c.Os', 'c.Device']);
  });

  it('qualifies short names with the enclosing namespace', () => {
    const model = buildModel(fixtureSchemas().schemas, fixtureSchemas().lookupNamedType);
    const category = model.named.get('com.acme.adserver.taxonomy.Category');
    assert.ok(category?.kind === 'record');
    assert.deepEqual(category.fields[1]?.type, {
      kind: 'union',
      branches: [
        { kind: 'primitive', name: 'null', logical: undefined },
        { kind: 'named', fullname: 'com.acme.adserver.taxonomy.Category' },
      ],
    });
  });

  const invalid: [string, SchemaDocument[], string][] = [
    [
      'an unknown reference',
      [
        {
          file: 'a',
          subject: 'a',
          json: { type: 'record', name: 'A', fields: [{ name: 'x', type: 'Nope' }] },
        },
      ],
      'UNKNOWN_NAMED_TYPE',
    ],
    [
      'a name defined twice in one file',
      [
        {
          file: 'a',
          subject: 'a',
          json: [
            'null',
            { type: 'enum', name: 'E', symbols: ['A'] },
            { type: 'enum', name: 'E', symbols: ['B'] },
          ],
        },
      ],
      'DUPLICATE_NAME',
    ],
    [
      'a name defined differently in two files',
      [
        { file: 'a', subject: 'a', json: { type: 'enum', name: 'E', symbols: ['A'] } },
        { file: 'b', subject: 'b', json: { type: 'enum', name: 'E', symbols: ['B'] } },
      ],
      'DUPLICATE_NAME',
    ],
    ['a nested union', [{ file: 'a', subject: 'a', json: ['null', ['int']] }], 'AVRO_INVALID'],
    [
      'a record without fields',
      [{ file: 'a', subject: 'a', json: { type: 'record', name: 'A' } }],
      'AVRO_INVALID',
    ],
  ];
  for (const [name, docs, code] of invalid) {
    it(`rejects ${name} with ${code}`, () =>
      assert.equal(
        codeOf(() => buildModel(docs)),
        code,
      ));
  }

  it('accepts the same definition in two files', () => {
    const enumJson = { type: 'enum', name: 'E', symbols: ['A'] };
    const model = buildModel([
      { file: 'a', subject: 'a', json: enumJson },
      { file: 'b', subject: 'b', json: structuredClone(enumJson) },
    ]);
    assert.equal(model.named.size, 1);
  });
});

describe('standaloneSchema', () => {
  it('is the same Avro type as the original with the referenced file registered', () => {
    const { schemas, lookupNamedType } = fixtureSchemas();
    const model = buildModel(schemas, lookupNamedType);
    for (const doc of model.documents) {
      const standalone = createType(standaloneSchema(model, doc.root));
      const registry = {};
      avro.Type.forSchema(fixture('common/Device.avsc') as never, { registry });
      const original = avro.Type.forSchema(doc.document.json as never, { registry });
      assert.equal(
        standalone.fingerprint().toString('hex'),
        original.fingerprint().toString('hex'),
        doc.document.file,
      );
    }
  });

  it('defines each named type once and references it by name afterwards', () => {
    const json = {
      type: 'record',
      name: 'a.R',
      fields: [
        { name: 'x', type: { type: 'fixed', name: 'F', size: 2 } },
        { name: 'y', type: 'F' },
        { name: 'z', type: { type: 'record', name: 'b.S', fields: [{ name: 'f', type: 'a.F' }] } },
      ],
    };
    const model = buildModel([{ file: 'r', subject: 'r', json }]);
    const root = model.documents[0]?.root;
    assert.ok(root);
    assert.deepEqual(standaloneSchema(model, root), {
      type: 'record',
      name: 'R',
      namespace: 'a',
      fields: [
        { name: 'x', type: { type: 'fixed', name: 'F', size: 2 } },
        { name: 'y', type: 'F' },
        {
          name: 'z',
          type: { type: 'record', name: 'S', namespace: 'b', fields: [{ name: 'f', type: 'a.F' }] },
        },
      ],
    });
  });

  it('refuses a reference from inside a namespace to a null-namespace type, in any spelling (docs/names.md)', () => {
    const documents = (type: string): Parameters<typeof buildModel>[0] => [
      { file: 'g', subject: 'g', json: { type: 'enum', name: 'Global', symbols: ['A'] } },
      { file: 'r', subject: 'r', json: { type: 'record', name: 'a.R', fields: [{ name: 'g', type }] } },
    ];
    assert.throws(
      () => buildModel(documents('Global')),
      /Unknown named type "a\.Global"; "Global" is in the null namespace/,
    );
    assert.throws(
      () => buildModel(documents('.Global')),
      /Unknown type "\.Global": not a primitive, complex or valid named type/,
    );
  });

  it('refuses to write a reference that no spelling can make, where it used to write avsc\'s ".Foo"', () => {
    // R (null namespace) uses Foo, then a.X, which defines Foo with "namespace": "". Foo is written at R's first
    // use; inside a.X only a reference is left, and docs/names.md has none for a null-namespace type there.
    const model = buildModel([
      {
        file: 'a/X.avsc',
        subject: 'x',
        json: {
          type: 'record',
          name: 'X',
          namespace: 'a',
          fields: [
            {
              name: 'g',
              type: { type: 'record', name: 'Foo', namespace: '', fields: [{ name: 'n', type: 'int' }] },
            },
          ],
        },
      },
      {
        file: 'R.avsc',
        subject: 'r',
        json: {
          type: 'record',
          name: 'R',
          fields: [
            { name: 'f1', type: 'Foo' },
            { name: 'f2', type: 'a.X' },
          ],
        },
      },
    ]);
    const [x, r] = model.documents;
    assert.ok(x && r);
    assert.ok(createType(standaloneSchema(model, x.root)));
    assert.throws(() => standaloneSchema(model, r.root), {
      code: 'AVRO_INVALID',
      message:
        'the standalone schema cannot be written: Named type "Foo" is in the null namespace and cannot be referred to from inside namespace "a"; give it a namespace',
    });
  });
});
