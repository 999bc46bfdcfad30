// The name table of @adlake/avro run through the sink's schema reader. The sink used to read names its own way:
// ".Foo" as Foo in the null namespace, "Foo" inside namespace a as the null-namespace Foo when there was no a.Foo,
// and "namespace": null as the enclosing namespace. avsc, which decodes the records, reads none of these the
// same way as Avro Java, so each is now refused with the rule and the schema named, like everywhere else.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NAME_CASES } from '@adlake/avro/name-cases';
import { SinkError } from '../../src/errors.ts';
import { resolveAvroSchema } from '../../src/format/avro.ts';
import type { AvroNode } from '../../src/format/avro.ts';

/** The full names of the named types in the resolved tree, in document order. */
function namesOf(root: AvroNode): string[] {
  const out: string[] = [];
  const visit = (node: AvroNode): void => {
    switch (node.kind) {
      case 'array':
        return visit(node.items);
      case 'map':
        return visit(node.values);
      case 'union':
        return node.branches.forEach(visit);
      case 'primitive':
        return;
      default:
        if (out.includes(node.fullname)) return;
        out.push(node.fullname);
        if (node.kind === 'record') node.fields.forEach((f) => visit(f.type));
    }
  };
  visit(root);
  return out;
}

describe('docs/names.md, one table: the sink reads names as everyone else does', () => {
  for (const c of NAME_CASES) {
    it(`rule ${c.rule}: ${c.title}`, () => {
      if (c.error !== undefined) {
        const expected = c.error;
        assert.throws(
          () => resolveAvroSchema(c.schema),
          (error: unknown) => {
            assert.ok(error instanceof SinkError, String(error));
            assert.equal(error.code, 'SCHEMA_UNSUPPORTED');
            assert.ok(error.message.includes(expected.message), error.message);
            assert.match(error.message, /docs\/names\.md\)$/);
            return true;
          },
        );
        return;
      }
      assert.deepEqual(namesOf(resolveAvroSchema(c.schema)), c.defines);
    });
  }

  it('names the schema in the refusal', () => {
    const schema = {
      type: 'record',
      name: 'Order',
      namespace: 'n',
      fields: [
        { name: 'm', type: { type: 'fixed', name: 'Money', namespace: '', size: 8 } },
        { name: 'p', type: '.Money' },
      ],
    };
    assert.throws(() => resolveAvroSchema(schema), {
      code: 'SCHEMA_UNSUPPORTED',
      message:
        'p: Unknown type ".Money": not a primitive, complex or valid named type (schema n.Order, docs/names.md)',
    });
  });
});
