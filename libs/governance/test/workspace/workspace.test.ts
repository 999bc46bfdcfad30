import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSchemaWorkspace } from '../../src/workspace/workspace.ts';
import type { SchemaWorkspace } from '../../src/workspace/workspace.ts';

function ws(files: Record<string, unknown>, root = 'schemas'): SchemaWorkspace {
  return createSchemaWorkspace(
    Object.entries(files).map(([file, json]) => ({
      file,
      text: typeof json === 'string' ? json : JSON.stringify(json, null, 2),
    })),
    { root },
  );
}

function problems(w: SchemaWorkspace): string[] {
  return w.problems.map(
    (p) => `${p.code} ${p.context.file}:${p.context.line}:${p.context.column} ${p.context.path}`,
  );
}

const device = {
  type: 'record',
  name: 'Device',
  namespace: 'com.acme.adserver.common',
  fields: [
    { name: 'os', type: 'string' },
    { name: 'kind', type: { type: 'enum', name: 'DeviceType', symbols: ['A'] } },
  ],
};
const impression = {
  type: 'record',
  name: 'AdImpression',
  namespace: 'com.acme.adserver',
  fields: [
    { name: 'device', type: 'com.acme.adserver.common.Device' },
    { name: 'kind', type: 'com.acme.adserver.common.DeviceType' },
    { name: 'maybe', type: ['null', { type: 'com.acme.adserver.common.Device' }] },
  ],
};

describe('createSchemaWorkspace', () => {
  it('resolves named types across files and orders dependencies first', () => {
    const w = ws({
      'schemas/com/acme/adserver/AdImpression.avsc': impression,
      'schemas/com/acme/adserver/common/Device.avsc': device,
    });
    assert.deepEqual(problems(w), []);
    const imp = w.getDoc('schemas/com/acme/adserver/AdImpression.avsc');
    assert.ok(imp);
    assert.equal(imp.relPath, 'com/acme/adserver/AdImpression.avsc');
    assert.equal(imp.fullname, 'com.acme.adserver.AdImpression');
    assert.equal(imp.namespace, 'com.acme.adserver');
    assert.deepEqual(
      [...imp.references],
      [
        ['com.acme.adserver.common.Device', ['/fields/0/type', '/fields/2/type/1/type']],
        ['com.acme.adserver.common.DeviceType', ['/fields/1/type']],
      ],
    );
    assert.deepEqual(
      w.order.map((d) => d.relPath),
      ['com/acme/adserver/common/Device.avsc', 'com/acme/adserver/AdImpression.avsc'],
    );
    assert.deepEqual(
      w.dependenciesOf(imp).map((d) => d.relPath),
      ['com/acme/adserver/common/Device.avsc'],
    );
    const def = w.lookupNamedType('com.acme.adserver.common.DeviceType');
    assert.equal(def?.pointer, '/fields/1/type');
    assert.equal(def?.kind, 'enum');
    assert.equal(def?.namespace, 'com.acme.adserver.common');
    assert.deepEqual(def?.json, device.fields[1]?.type);
    assert.equal(
      w.docForFullname('com.acme.adserver.common.Device')?.relPath,
      'com/acme/adserver/common/Device.avsc',
    );
    assert.equal(w.docForFullname('com.acme.adserver.common.DeviceType'), undefined);
  });

  it('applies Avro namespace rules: inheritance, dotted names, explicit empty namespace', () => {
    const w = ws({
      'schemas/a.avsc': {
        type: 'record',
        name: 'Outer',
        namespace: 'ns.one',
        fields: [
          { name: 'a', type: { type: 'fixed', name: 'Inherited', size: 2 } },
          {
            name: 'b',
            type: {
              type: 'record',
              name: 'other.Dotted',
              fields: [{ name: 'x', type: { type: 'enum', name: 'InDotted', symbols: ['X'] } }],
            },
          },
          { name: 'c', type: { type: 'enum', name: 'Bare', namespace: '', symbols: ['Y'] } },
          { name: 'd', type: 'Inherited' },
          { name: 'e', type: 'other.InDotted' },
          { name: 'f', type: 'Bare' },
        ],
      },
    });
    const doc = w.docs[0];
    assert.ok(doc);
    assert.deepEqual(
      [...doc.definedNames.keys()],
      ['ns.one.Outer', 'ns.one.Inherited', 'other.Dotted', 'other.InDotted', 'Bare'],
    );
    // `Bare` resolves in the enclosing namespace to ns.one.Bare, which does not exist (Avro has no fallback).
    assert.deepEqual([...doc.references.keys()], ['ns.one.Bare']);
    assert.deepEqual(
      problems(w).map((p) => p.split(' ')[0]),
      ['UNKNOWN_NAMED_TYPE'],
    );
  });

  it('reports an unknown named type at the reference, with a suggestion', () => {
    const w = ws({
      'schemas/com/acme/adserver/common/Device.avsc': device,
      'schemas/com/acme/adserver/AdClick.avsc':
        '{\n  "type": "record", "name": "AdClick", "namespace": "com.acme.adserver",\n  "fields": [\n    {"name": "device", "type": "Device"}\n  ]\n}',
    });
    assert.equal(w.problems.length, 1);
    const p = w.problems[0];
    assert.equal(p?.code, 'UNKNOWN_NAMED_TYPE');
    assert.deepEqual(p?.context, {
      file: 'schemas/com/acme/adserver/AdClick.avsc',
      line: 4,
      column: 32,
      path: '/fields/0/type',
    });
    assert.equal(
      p?.message,
      'Unknown named type "com.acme.adserver.Device" (did you mean "com.acme.adserver.common.Device"?)',
    );
  });

  it('reports a name defined in two files at both places', () => {
    const w = ws({ 'schemas/a.avsc': device, 'schemas/b.avsc': { ...device, doc: 'copy' } });
    assert.deepEqual(problems(w), [
      'DUPLICATE_NAME schemas/a.avsc:3:11 /name',
      'DUPLICATE_NAME schemas/a.avsc:14:17 /fields/1/type/name',
      'DUPLICATE_NAME schemas/b.avsc:3:11 /name',
      'DUPLICATE_NAME schemas/b.avsc:14:17 /fields/1/type/name',
    ]);
    assert.match(
      w.problems[0]?.message ?? '',
      /^Named type "com.acme.adserver.common.Device" is also defined in schemas\/b\.avsc:3:11$/,
    );
    assert.match(w.problems[2]?.message ?? '', /already defined in schemas\/a\.avsc:3:11/);
    assert.equal(w.lookupNamedType('com.acme.adserver.common.Device')?.doc.file, 'schemas/a.avsc');
  });

  it('reports a nested name defined twice in one file', () => {
    const w = ws({
      'schemas/a.avsc': {
        type: 'record',
        name: 'R',
        fields: [
          { name: 'a', type: { type: 'enum', name: 'E', symbols: ['A'] } },
          { name: 'b', type: { type: 'enum', name: 'E', symbols: ['B'] } },
        ],
      },
    });
    assert.deepEqual(problems(w), ['DUPLICATE_NAME schemas/a.avsc:19:17 /fields/1/type/name']);
  });

  it('reports reference cycles between files and still orders every file', () => {
    const a = {
      type: 'record',
      name: 'A',
      namespace: 'x',
      fields: [{ name: 'b', type: ['null', 'x.B'], default: null }],
    };
    const b = {
      type: 'record',
      name: 'B',
      namespace: 'x',
      fields: [{ name: 'a', type: ['null', 'x.A'], default: null }],
    };
    const c = { type: 'record', name: 'C', namespace: 'x', fields: [{ name: 'a', type: 'x.A' }] };
    const w = ws({ 'schemas/x/A.avsc': a, 'schemas/x/B.avsc': b, 'schemas/x/C.avsc': c });
    assert.deepEqual(problems(w), [
      'REFERENCE_CYCLE schemas/x/A.avsc:10:9 /fields/0/type/1',
      'REFERENCE_CYCLE schemas/x/B.avsc:10:9 /fields/0/type/1',
    ]);
    assert.match(
      w.problems[0]?.message ?? '',
      /schemas\/x\/A\.avsc → schemas\/x\/B\.avsc → schemas\/x\/A\.avsc/,
    );
    assert.equal(w.order.length, 3);
    assert.equal(w.order.at(-1)?.relPath, 'x/C.avsc');
  });

  it('allows a record to refer to itself (recursion within one file)', () => {
    const w = ws({
      'schemas/n.avsc': {
        type: 'record',
        name: 'Node',
        namespace: 'x',
        fields: [{ name: 'next', type: ['null', 'Node'], default: null }],
      },
    });
    assert.deepEqual(problems(w), []);
    assert.equal(w.docs[0]?.references.size, 0);
  });

  it('orders a dependency chain topologically regardless of file names', () => {
    const w = ws({
      'schemas/a.avsc': { type: 'record', name: 'A', fields: [{ name: 'b', type: 'B' }] },
      'schemas/b.avsc': { type: 'record', name: 'B', fields: [{ name: 'c', type: 'C' }] },
      'schemas/c.avsc': { type: 'record', name: 'C', fields: [] },
      'schemas/d.avsc': {
        type: 'record',
        name: 'D',
        fields: [
          { name: 'a', type: 'A' },
          { name: 'c', type: 'C' },
        ],
      },
    });
    assert.deepEqual(problems(w), []);
    assert.deepEqual(
      w.order.map((d) => d.relPath),
      ['c.avsc', 'b.avsc', 'a.avsc', 'd.avsc'],
    );
    const d = w.getDoc('schemas/d.avsc');
    assert.ok(d);
    assert.deepEqual(
      w.closureOf(d).map((x) => x.relPath),
      ['c.avsc', 'b.avsc', 'a.avsc', 'd.avsc'],
    );
  });

  it('keeps files that are not JSON out of the workspace but reports them', () => {
    const w = ws({
      'schemas/bad.avsc': '{"type": "record",}',
      'schemas/good.avsc': { type: 'record', name: 'G', fields: [] },
    });
    assert.deepEqual(
      w.unparsed.map((u) => [u.relPath, u.error.code]),
      [['bad.avsc', 'JSON_SYNTAX']],
    );
    assert.deepEqual(problems(w), ['JSON_SYNTAX schemas/bad.avsc:1:18 ']);
    assert.equal(w.docs.length, 1);
  });

  const structural: { name: string; schema: unknown; path: string; message: RegExp }[] = [
    {
      name: 'record without name',
      schema: { type: 'record', fields: [] },
      path: '',
      message: /must have a string "name"/,
    },
    {
      name: 'invalid name',
      schema: { type: 'record', name: 'Ad-Click', fields: [] },
      path: '/name',
      message: /Invalid record name/,
    },
    {
      name: 'primitive redefined',
      schema: {
        type: 'record',
        name: 'R',
        fields: [{ name: 'a', type: { type: 'fixed', name: 'int', size: 1 } }],
      },
      path: '/fields/0/type/name',
      message: /Primitive type name "int" cannot be redefined/,
    },
    {
      name: 'primitive redefined in a namespace',
      schema: { type: 'enum', name: 'string', namespace: 'x', symbols: [] },
      path: '/name',
      message: /cannot be redefined/,
    },
    {
      name: 'invalid namespace',
      schema: { type: 'record', name: 'R', namespace: 'a..b', fields: [] },
      path: '/namespace',
      message: /Invalid namespace/,
    },
    {
      name: 'fields not an array',
      schema: { type: 'record', name: 'R', fields: {} },
      path: '/fields',
      message: /"fields" array/,
    },
    {
      name: 'field without type',
      schema: { type: 'record', name: 'R', fields: [{ name: 'a' }] },
      path: '/fields/0',
      message: /missing "type"/,
    },
    {
      name: 'invalid field name',
      schema: { type: 'record', name: 'R', fields: [{ name: 'a-b', type: 'int' }] },
      path: '/fields/0/name',
      message: /Invalid field name/,
    },
    {
      name: 'invalid enum symbol',
      schema: { type: 'enum', name: 'E', symbols: ['OK', '1BAD'] },
      path: '/symbols/1',
      message: /Invalid enum symbol/,
    },
    { name: 'fixed without size', schema: { type: 'fixed', name: 'F' }, path: '', message: /"size"/ },
    {
      name: 'array without items',
      schema: { type: 'record', name: 'R', fields: [{ name: 'a', type: { type: 'array' } }] },
      path: '/fields/0/type',
      message: /"items"/,
    },
    { name: 'map without values', schema: { type: 'map' }, path: '', message: /"values"/ },
    {
      name: 'nested union',
      schema: ['null', ['int']],
      path: '/1',
      message: /may not directly contain another union/,
    },
    { name: 'number as schema', schema: 3, path: '', message: /Invalid schema 3/ },
    { name: 'object without type', schema: { name: 'x' }, path: '', message: /missing "type"/ },
  ];
  for (const c of structural) {
    it(`reports AVRO_INVALID for ${c.name}`, () => {
      const w = ws({ 'schemas/s.avsc': c.schema });
      assert.equal(w.problems.length, 1, problems(w).join('\n'));
      assert.equal(w.problems[0]?.code, 'AVRO_INVALID');
      assert.equal(w.problems[0]?.context.path, c.path);
      assert.match(w.problems[0]?.message ?? '', c.message);
    });
  }

  it('handles a top-level union and primitive documents', () => {
    const w = ws({ 'schemas/u.avsc': ['null', 'string'], 'schemas/p.avsc': '"long"' });
    assert.deepEqual(problems(w), []);
    assert.equal(w.getDoc('schemas/u.avsc')?.fullname, undefined);
  });

  it('uses the file as relPath when no root is given', () => {
    const w = createSchemaWorkspace([{ file: 'x/Y.avsc', text: '{"type":"enum","name":"Y","symbols":[]}' }]);
    assert.equal(w.docs[0]?.relPath, 'x/Y.avsc');
  });
});
