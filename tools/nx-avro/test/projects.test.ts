import { test } from 'node:test';
import assert from 'node:assert/strict';
import { namespaceProjects } from '../src/projects.ts';

const files = [
  'schemas/com/acme/ads/AdShown.avsc',
  'schemas/com/acme/ads/AdClicked.avsc',
  'schemas/com/acme/ads/common/Device.avsc',
  'libs/governance/test/fixtures/Other.avsc',
];

test('one project per namespace directory, outside schemas ignored, nested namespaces separate', () => {
  const projects = namespaceProjects(files, {});
  assert.deepEqual(
    projects.map((p) => [p.config.name, p.root, p.files]),
    [
      [
        'schemas-com.acme.ads',
        'schemas/com/acme/ads',
        ['schemas/com/acme/ads/AdClicked.avsc', 'schemas/com/acme/ads/AdShown.avsc'],
      ],
      [
        'schemas-com.acme.ads.common',
        'schemas/com/acme/ads/common',
        ['schemas/com/acme/ads/common/Device.avsc'],
      ],
    ],
  );
});

test('targets check the directory own files only, and cache what is safe to cache', () => {
  const [ads] = namespaceProjects(files, { schemasDir: 'schemas', generatedDir: 'out' });
  assert.ok(ads);
  const targets = ads.config.targets ?? {};
  for (const command of ['lint', 'compat']) {
    const target = targets[`avro-${command}`];
    assert.equal(target?.executor, '@adlake/nx-avro:check');
    assert.deepEqual(target?.options, {
      command,
      paths: ['schemas/com/acme/ads/*.avsc'],
      schemas: 'schemas',
    });
    assert.equal(target?.cache, true);
  }
  assert.equal(
    targets['avro-compat-registry']?.options.command,
    "avro-gov compat 'schemas/com/acme/ads/*.avsc' --against registry --schemas schemas",
  );
  assert.equal(targets['avro-compat']?.cache, true);
  assert.ok(
    targets['avro-compat']?.inputs?.some((i) => typeof i === 'object' && 'runtime' in i),
    'the git base must be a cache input of avro-compat',
  );
  assert.equal(targets['avro-compat-registry']?.cache, false);
  assert.deepEqual(targets['avro-generate']?.outputs, ['{workspaceRoot}/out/com.acme.ads']);
  assert.deepEqual(ads.config.tags, ['type:schemas', 'scope:governance']);
});

test('a custom schema root and prefix', () => {
  const projects = namespaceProjects(['avro/x/A.avsc', 'schemas/y/B.avsc'], {
    schemasDir: 'avro/',
    projectPrefix: 'avro-',
  });
  assert.deepEqual(
    projects.map((p) => p.config.name),
    ['avro-x'],
  );
});

test('outside this monorepo the plugin names no core project and no lockfile package unless told to', () => {
  const [ads] = namespaceProjects(files, {});
  assert.deepEqual(ads?.config.implicitDependencies, []);
  assert.ok(
    !ads?.config.targets?.['avro-lint']?.inputs?.some(
      (i) => typeof i === 'object' && 'externalDependencies' in i,
    ),
  );
  const [configured] = namespaceProjects(files, { coreProjects: ['core'], externalDependencies: ['avsc'] });
  assert.deepEqual(configured?.config.implicitDependencies, ['core']);
  assert.ok(
    configured?.config.targets?.['avro-lint']?.inputs?.some(
      (i) => typeof i === 'object' && 'externalDependencies' in i,
    ),
  );
});
