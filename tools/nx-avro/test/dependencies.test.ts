import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CreateDependenciesContext } from '@nx/devkit';
import { schemaDependencies } from '../src/dependencies.ts';

test('a schema using a type of another namespace makes its project depend on that one, once', (t) => {
  const root = mkdtempSync(path.join(tmpdir(), 'nx-avro-deps-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const files: Record<string, object> = {
    'schemas/com/acme/common/Device.avsc': {
      type: 'record',
      name: 'Device',
      namespace: 'com.acme.common',
      fields: [],
    },
    'schemas/com/acme/ads/Shown.avsc': {
      type: 'record',
      name: 'Shown',
      namespace: 'com.acme.ads',
      fields: [
        { name: 'a', type: 'com.acme.common.Device' },
        { name: 'b', type: ['null', 'com.acme.common.Device'] },
      ],
    },
    'schemas/com/acme/ads/Clicked.avsc': {
      type: 'record',
      name: 'Clicked',
      namespace: 'com.acme.ads',
      fields: [{ name: 'shown', type: 'com.acme.ads.Shown' }],
    },
  };
  for (const [file, json] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), JSON.stringify(json));
  }
  const context = {
    workspaceRoot: root,
    fileMap: {
      projectFileMap: { any: Object.keys(files).map((file) => ({ file, hash: '' })) },
      nonProjectFiles: [],
    },
  } as unknown as Pick<CreateDependenciesContext, 'fileMap' | 'workspaceRoot'>;
  assert.deepEqual(schemaDependencies({}, context), [
    {
      source: 'schemas-com.acme.ads',
      target: 'schemas-com.acme.common',
      sourceFile: 'schemas/com/acme/ads/Shown.avsc',
      type: 'static',
    },
  ]);
});
