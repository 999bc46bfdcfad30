// A registered version is read with the named types its references define, nested ones included, by the
// library's own list of what a schema defines (@adlake/avro definedNamedTypes), not the workspace's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSchemaWorkspace, parseConfig } from '@adlake/governance';
import type { RegisteredSchema, SchemaRegistryClient } from '@adlake/registry';
import { buildRegisterPlan } from '../src/plan.ts';
import { registrationUnits } from '../src/units.ts';

const device = (symbols: string[]) => ({
  type: 'record',
  name: 'Device',
  namespace: 'com.acme.common',
  fields: [{ name: 'os', type: { type: 'enum', name: 'Os', symbols } }],
});
const view = (extra: unknown[]) => ({
  type: 'record',
  name: 'View',
  namespace: 'com.acme.ads',
  fields: [{ name: 'os', type: 'com.acme.common.Os' }, ...extra],
});

test('the nested type of a referenced subject is the registered one, not the workspace one', async () => {
  const workspace = createSchemaWorkspace([
    {
      file: 'schemas/com/acme/ads/View.avsc',
      text: JSON.stringify(view([{ name: 'n', type: ['null', 'int'], default: null }])),
    },
    { file: 'schemas/com/acme/common/Device.avsc', text: JSON.stringify(device(['IOS', 'ANDROID'])) },
  ]);
  const config = parseConfig(
    JSON.stringify({ version: 1, subjects: [{ schema: 'com.acme.ads.View', topic: 'ads.views' }] }),
  );
  const registered: Record<string, RegisteredSchema> = {
    'ads.views-value': {
      subject: 'ads.views-value',
      version: 1,
      id: 2,
      schema: JSON.stringify(view([])),
      references: [{ name: 'com.acme.common.Device', subject: 'com.acme.common.Device', version: 1 }],
    },
    'com.acme.common.Device': {
      subject: 'com.acme.common.Device',
      version: 1,
      id: 1,
      schema: JSON.stringify(device(['IOS', 'ANDROID', 'WEB'])),
      references: [],
    },
  };
  const registry = {
    url: 'http://registry.invalid',
    getCompatibilityLevel: async () => 'BACKWARD',
    listVersions: async (subject: string) => (registered[subject] === undefined ? null : [1]),
    getVersion: async (subject: string) => registered[subject],
  } as unknown as SchemaRegistryClient;
  const units = registrationUnits(workspace, config).filter((u) => u.kind === 'event');
  assert.deepEqual(
    units.map((u) => u.subject),
    ['ads.views-value'],
  );
  const plan = await buildRegisterPlan(workspace, units, registry);
  const [entry] = plan.entries;
  // Version 1 may write WEB, which the workspace's Os no longer has.
  assert.equal(entry?.status, 'incompatible', entry?.reasons.join('\n'));
  assert.match(entry?.reasons.join('\n') ?? '', /WEB/);
});
