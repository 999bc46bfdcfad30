// The name table of @adlake/avro run through the workspace (what lint, compat, register and publish load):
// the same full names, the same refusals with the same codes and messages.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NAME_CASES } from '@adlake/avro/name-cases';
import { buildAvroTypes } from '../../src/workspace/avro.ts';
import { standaloneSchema } from '../../src/workspace/standalone.ts';
import { createSchemaWorkspace } from '../../src/workspace/workspace.ts';

describe('docs/names.md, one table: the schema workspace', () => {
  for (const c of NAME_CASES) {
    it(`rule ${c.rule}: ${c.title}`, () => {
      const w = createSchemaWorkspace([{ file: 'case.avsc', text: JSON.stringify(c.schema) }]);
      const [problem] = w.problems;
      if (c.error !== undefined) {
        assert.ok(problem, `expected ${c.error.code}`);
        assert.equal(problem.code, c.error.code, problem.message);
        assert.ok(problem.message.includes(c.error.message), problem.message);
        return;
      }
      assert.equal(problem, undefined, problem?.message);
      const doc = w.docs[0];
      assert.ok(doc);
      assert.deepEqual([...doc.definedNames.keys()], c.defines);
      assert.deepEqual([...doc.references.keys()], [], 'every reference resolves inside the document');
      // What we accept, avsc accepts too, and the standalone form means the same.
      assert.deepEqual(buildAvroTypes(w).problems, []);
      const alone = createSchemaWorkspace([
        { file: 'alone.avsc', text: JSON.stringify(standaloneSchema(w, doc)) },
      ]);
      assert.deepEqual([...(alone.docs[0]?.definedNames.keys() ?? [])], c.defines);
    });
  }
});
