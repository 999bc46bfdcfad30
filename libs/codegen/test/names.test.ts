// The name table of @adlake/avro run through codegen's resolver: the same full names and the same refusals.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NAME_CASES } from '@adlake/avro/name-cases';
import { CodegenError } from '../src/errors.ts';
import { buildModel, standaloneSchema } from '../src/model.ts';
import { createType } from '@adlake/event-runtime';

describe('docs/names.md, one table: codegen', () => {
  for (const c of NAME_CASES) {
    it(`rule ${c.rule}: ${c.title}`, () => {
      const build = () => buildModel([{ file: 'case.avsc', subject: 'case', json: c.schema }]);
      if (c.error !== undefined) {
        const expected = c.error;
        assert.throws(build, (error: unknown) => {
          assert.ok(error instanceof CodegenError, String(error));
          assert.equal(error.code, expected.code, error.message);
          assert.ok(error.message.includes(expected.message), error.message);
          return true;
        });
        return;
      }
      const model = build();
      assert.deepEqual([...model.named.keys()], c.defines);
      // The schema codegen writes into the generated class reads back to the same names, in avsc too.
      const root = model.documents[0]?.root;
      assert.ok(root);
      const standalone = standaloneSchema(model, root);
      assert.deepEqual(
        [...buildModel([{ file: 'alone.avsc', subject: 'alone', json: standalone }]).named.keys()],
        c.defines,
      );
      assert.ok(createType(standalone));
    });
  }
});
