import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import avro from 'avsc';
import { buildAvroType, buildAvroTypes } from '../../src/workspace/avro.ts';
import { createSchemaWorkspace } from '../../src/workspace/workspace.ts';
import type { SchemaWorkspace } from '../../src/workspace/workspace.ts';

function ws(files: Record<string, unknown>): SchemaWorkspace {
  return createSchemaWorkspace(
    Object.entries(files).map(([file, json]) => ({
      file,
      text: typeof json === 'string' ? json : JSON.stringify(json, null, 2),
    })),
  );
}

const geo = { type: 'record', name: 'Geo', namespace: 'c', fields: [{ name: 'country', type: 'string' }] };
const event = {
  type: 'record',
  name: 'Ev',
  namespace: 'e',
  fields: [
    { name: 'geo', type: ['null', 'c.Geo'], default: null },
    { name: 'home', type: 'c.Geo' },
  ],
};

describe('buildAvroTypes', () => {
  it('builds every document over a shared registry, dependencies first', () => {
    const w = ws({ 'a/Ev.avsc': event, 'z/Geo.avsc': geo });
    const result = buildAvroTypes(w);
    assert.deepEqual(result.problems, []);
    assert.deepEqual([...result.types.keys()], ['z/Geo.avsc', 'a/Ev.avsc']);
    const ev = result.types.get('a/Ev.avsc');
    assert.ok(ev);
    const value = { geo: null, home: { country: 'US' } };
    assert.deepEqual(JSON.parse(JSON.stringify(ev.fromBuffer(ev.toBuffer(value)))), value);
    assert.ok(result.registry['c.Geo']);
    assert.equal(result.registry['c.Geo'], result.types.get('z/Geo.avsc'));
  });

  it('reports avsc rejections as AVRO_INVALID near the cause and skips dependents', () => {
    const badGeo = { ...geo, fields: [{ name: 'country', type: 'string', order: 'sideways' }] };
    const w = ws({ 'a/Ev.avsc': event, 'z/Geo.avsc': badGeo });
    const result = buildAvroTypes(w);
    assert.equal(result.problems.length, 1);
    assert.equal(result.problems[0]?.code, 'AVRO_INVALID');
    assert.equal(result.problems[0]?.context.file, 'z/Geo.avsc');
    assert.match(result.problems[0]?.message ?? '', /invalid order/);
    assert.deepEqual(result.skipped, ['a/Ev.avsc']);
    assert.equal(result.registry['c.Geo'], undefined, 'a failed build leaves nothing half-registered');
  });

  it('positions an incompatible default at the default value', () => {
    const w = ws({
      'r.avsc':
        '{\n "type": "record", "name": "R",\n "fields": [\n  {"name": "a", "type": "int", "default": "x"}\n ]\n}',
    });
    const [problem] = buildAvroTypes(w).problems;
    assert.equal(problem?.context.path, '/fields/0/default');
    assert.deepEqual([problem?.context.line, problem?.context.column], [4, 43]);
  });

  it('positions an invalid enum default at the enum default', () => {
    const w = ws({ 'r.avsc': { type: 'enum', name: 'E', symbols: ['A'], default: 'B' } });
    const [problem] = buildAvroTypes(w).problems;
    assert.equal(problem?.context.path, '/default');
  });

  it('skips documents that already have workspace problems', () => {
    const w = ws({ 'r.avsc': { type: 'record', name: 'R', fields: [{ name: 'x', type: 'Missing' }] } });
    const result = buildAvroTypes(w);
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.skipped, ['r.avsc']);
  });

  it('passes logical types through to avsc', () => {
    class Upper extends avro.types.LogicalType {
      override _fromValue(v: string): string {
        return v.toUpperCase();
      }
      override _toValue(v: string): string {
        return v;
      }
    }
    const w = ws({
      's.avsc': {
        type: 'record',
        name: 'S',
        fields: [{ name: 'v', type: { type: 'string', logicalType: 'upper' } }],
      },
    });
    const type = buildAvroType(w, w.docs[0] as never, { logicalTypes: { upper: Upper as never } });
    assert.deepEqual({ ...type.fromBuffer(type.toBuffer({ v: 'ab' })) }, { v: 'AB' });
  });
});

describe('buildAvroType', () => {
  it('builds one document with its dependencies', () => {
    const w = ws({ 'a/Ev.avsc': event, 'z/Geo.avsc': geo });
    const doc = w.getDoc('a/Ev.avsc');
    assert.ok(doc);
    assert.equal(buildAvroType(w, doc).name, 'e.Ev');
  });

  it('throws the workspace problem of a dependency', () => {
    const w = ws({ 'a/Ev.avsc': event });
    const doc = w.getDoc('a/Ev.avsc');
    assert.ok(doc);
    assert.throws(() => buildAvroType(w, doc), { code: 'UNKNOWN_NAMED_TYPE' });
  });
});
