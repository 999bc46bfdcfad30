import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rewriteDeclarationImports } from '../src/compile.ts';

test('declaration imports of .ts files point at the emitted .js files; packages are left alone', () => {
  const input = [
    "import type * as T from './types.ts';",
    'export { Click } from "./Click.ts";',
    "export type X = import('../types.mts').X;",
    "import type { EventCodec } from '@adlake/event-runtime';",
    "import { y } from './not-ts.json';",
  ].join('\n');
  assert.equal(
    rewriteDeclarationImports(input),
    [
      "import type * as T from './types.js';",
      'export { Click } from "./Click.js";',
      "export type X = import('../types.mjs').X;",
      "import type { EventCodec } from '@adlake/event-runtime';",
      "import { y } from './not-ts.json';",
    ].join('\n'),
  );
});
