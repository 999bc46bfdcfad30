// The name table (name-cases.ts) run through the walk and the typed model: both read every name the same way.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AvroError } from '../src/errors.ts';
import type { JsonValue } from '../src/json/types.ts';
import { deref, parseSchema, type NamedNode, type SchemaNode } from '../src/model.ts';
import {
  definitionName,
  definitionSpelling,
  duplicateNameMessage,
  referenceName,
  referenceTo,
  unknownNameMessage,
} from '../src/names.ts';
import { definedNamedTypes, walkSchema } from '../src/walk.ts';
import { NAME_CASES, type NameCase } from './name-cases.ts';

/** What a reader made of a case: the names it defines and resolves to, or the error it gave. */
interface Outcome {
  defines?: string[];
  references?: string[];
  aliases?: Record<string, string[]>;
  fieldAliases?: Record<string, string[]>;
  error?: { code: string; message: string };
}

function assertOutcome(c: NameCase, got: Outcome): void {
  if (c.error !== undefined) {
    assert.ok(got.error, `expected ${c.error.code}, got ${JSON.stringify(got)}`);
    assert.equal(got.error.code, c.error.code, got.error.message);
    assert.ok(
      got.error.message.includes(c.error.message),
      `${JSON.stringify(got.error.message)} should include ${JSON.stringify(c.error.message)}`,
    );
    return;
  }
  assert.equal(got.error, undefined, got.error?.message);
  assert.deepEqual(got.defines, c.defines);
  if (c.references !== undefined && got.references !== undefined)
    assert.deepEqual(got.references, c.references);
  for (const [fullname, aliases] of Object.entries(c.aliases ?? {}))
    assert.deepEqual(got.aliases?.[fullname], aliases, fullname);
  for (const [key, aliases] of Object.entries(c.fieldAliases ?? {}))
    assert.deepEqual(got.fieldAliases?.[key], aliases, key);
}

/** parseSchema: the graph's named types, and its references in document order. */
function byModel(schema: unknown): Outcome {
  let parsed;
  try {
    parsed = parseSchema(schema);
  } catch (error) {
    if (error instanceof AvroError) return { error: { code: error.code, message: error.message } };
    throw error;
  }
  const references: string[] = [];
  const aliases: Record<string, string[]> = {};
  const fieldAliases: Record<string, string[]> = {};
  const seen = new Set<NamedNode>();
  const visit = (node: SchemaNode): void => {
    switch (node.kind) {
      case 'ref':
        references.push(node.fullname);
        assert.equal((deref(node) as NamedNode).fullname, node.fullname);
        return;
      case 'array':
        return visit(node.items);
      case 'map':
        return visit(node.values);
      case 'union':
        return node.branches.forEach(visit);
      case 'primitive':
        return;
      default:
        if (seen.has(node)) return;
        seen.add(node);
        aliases[node.fullname] = node.aliases;
        if (node.kind === 'record') {
          for (const f of node.fields) {
            fieldAliases[`${node.fullname}/${f.name}`] = f.aliases;
            visit(f.type);
          }
        }
    }
  };
  visit(parsed.root);
  return { defines: [...parsed.named.keys()], references, aliases, fieldAliases };
}

/** walkSchema: what it reports; duplicates and unknown names decided with the library's messages. */
function byWalk(schema: unknown): Outcome {
  const defines: string[] = [];
  const references: string[] = [];
  const aliases: Record<string, string[]> = {};
  const fieldAliases: Record<string, string[]> = {};
  const problems: { code: string; message: string }[] = [];
  walkSchema(schema as JsonValue, {
    namedType: (node) => {
      if (defines.includes(node.fullname))
        problems.push({ code: 'DUPLICATE_NAME', message: duplicateNameMessage(node.fullname) });
      defines.push(node.fullname);
      aliases[node.fullname] = node.aliases;
    },
    field: (node) => {
      fieldAliases[`${node.record.fullname}/${node.name}`] = node.aliases;
    },
    reference: (node) => references.push(node.fullname),
    problem: (message, _pointer, code) => problems.push({ code, message }),
  });
  for (const fullname of references) {
    if (!defines.includes(fullname))
      problems.push({
        code: 'UNKNOWN_NAMED_TYPE',
        message: unknownNameMessage(fullname, (n) => defines.includes(n)),
      });
  }
  const [error] = problems;
  return error === undefined ? { defines, references, aliases, fieldAliases } : { error };
}

describe('docs/names.md, one table: parseSchema', () => {
  for (const c of NAME_CASES) test(`rule ${c.rule}: ${c.title}`, () => assertOutcome(c, byModel(c.schema)));
});

describe('docs/names.md, one table: walkSchema', () => {
  for (const c of NAME_CASES) test(`rule ${c.rule}: ${c.title}`, () => assertOutcome(c, byWalk(c.schema)));
});

describe('docs/names.md, one table: definedNamedTypes (what release collects from registry versions)', () => {
  for (const c of NAME_CASES.filter((c) => c.defines !== undefined)) {
    test(`rule ${c.rule}: ${c.title}`, () =>
      assert.deepEqual([...definedNamedTypes(c.schema as JsonValue).keys()], c.defines));
  }
});

describe('writing names back: referenceTo and definitionSpelling read back by the rule', () => {
  const namespaces = ['', 'a', 'a.b', 'c'];
  const fullnames = ['F', 'a.F', 'a.b.F', 'c.F'];
  for (const enclosing of namespaces) {
    for (const fullname of fullnames) {
      test(`${fullname} inside "${enclosing}"`, () => {
        const spelled = definitionSpelling(fullname, enclosing);
        const defined = definitionName('fixed', spelled, enclosing);
        assert.ok(defined.ok);
        assert.equal(defined.fullname, fullname);
        for (const style of ['short', 'full'] as const) {
          const written = referenceTo(fullname, enclosing, style);
          if (fullname === 'F' && enclosing !== '') {
            assert.equal(written, undefined, 'a null-namespace type cannot be named from a namespace');
            continue;
          }
          assert.ok(written !== undefined);
          const read = referenceName(written, enclosing);
          assert.ok(read.ok);
          assert.equal(read.fullname, fullname);
        }
      });
    }
  }
  test('short is the simple name in the same namespace, full the full name', () => {
    assert.equal(referenceTo('a.F', 'a'), 'F');
    assert.equal(referenceTo('a.F', 'a', 'full'), 'a.F');
    assert.equal(referenceTo('a.F', 'b'), 'a.F');
    assert.deepEqual(definitionSpelling('a.F', 'a'), { name: 'F' });
    assert.deepEqual(definitionSpelling('F', 'a'), { name: 'F', namespace: '' });
  });
});

describe('parseSchema reads a document in order but looks other files up', () => {
  test('a type from another file may be used before a type this file defines', () => {
    const parsed = parseSchema(
      { type: 'record', name: 'a.R', fields: [{ name: 'm', type: 'Money' }] },
      { lookupNamedType: (n) => (n === 'a.Money' ? { type: 'fixed', name: 'Money', size: 8 } : undefined) },
    );
    assert.deepEqual([...parsed.named.keys()], ['a.R', 'a.Money']);
  });
  test('a type nested in another file is found after that file was loaded for an earlier reference', () => {
    const outer = {
      type: 'record',
      name: 'Outer',
      namespace: 'x',
      fields: [{ name: 'i', type: { type: 'fixed', name: 'Inner', size: 2 } }],
    };
    const parsed = parseSchema(
      {
        type: 'record',
        name: 'a.R',
        fields: [
          { name: 'o', type: 'x.Outer' },
          { name: 'i', type: 'x.Inner' },
        ],
      },
      { lookupNamedType: (n) => (n === 'x.Outer' ? outer : undefined) },
    );
    assert.deepEqual([...parsed.named.keys()], ['a.R', 'x.Outer', 'x.Inner']);
  });
  test('a type nested in another file, looked up before that file, is the same type when the file is read', () => {
    // What the workspace's lookup returns: the nested definition's own JSON, inside its file's JSON.
    const device = {
      type: 'record',
      name: 'Device',
      namespace: 'c',
      fields: [{ name: 'os', type: { type: 'enum', name: 'Os', symbols: ['A'] } }],
    };
    const files: Record<string, unknown> = { 'c.Device': device, 'c.Os': device.fields[0]?.type };
    const parsed = parseSchema(
      {
        type: 'record',
        name: 'a.E',
        fields: [
          { name: 'o', type: 'c.Os' },
          { name: 'd', type: 'c.Device' },
        ],
      },
      { lookupNamedType: (n) => files[n] },
    );
    assert.deepEqual([...parsed.named.keys()], ['a.E', 'c.Os', 'c.Device']);
    // A second definition that is only equal, not the same, is still a duplicate.
    const copy = { 'c.Device': device, 'c.Os': structuredClone(device.fields[0]?.type) };
    assert.throws(
      () =>
        parseSchema(
          {
            type: 'record',
            name: 'a.E',
            fields: [
              { name: 'o', type: 'c.Os' },
              { name: 'd', type: 'c.Device' },
            ],
          },
          { lookupNamedType: (n) => copy[n as keyof typeof copy] },
        ),
      { code: 'DUPLICATE_NAME' },
    );
  });
  test('a file loaded through the lookup is read in order too', () => {
    const money = {
      type: 'record',
      name: 'Money',
      fields: [
        { name: 'c', type: 'Cur' },
        { name: 'd', type: { type: 'enum', name: 'Cur', symbols: ['EUR'] } },
      ],
    };
    assert.throws(
      () =>
        parseSchema(
          { type: 'record', name: 'm.Order', fields: [{ name: 'p', type: 'Money' }] },
          { lookupNamedType: (n) => (n === 'm.Money' ? money : undefined) },
        ),
      {
        code: 'UNKNOWN_NAMED_TYPE',
        message:
          'Named type "m.Cur" is used before its definition; a schema is read in order, so define it at its first use (in named type m.Money)',
      },
    );
  });
});
