// The CI release step against the secured registry (`registry-secure`, tokens from `keycloak`): with the
// release client's credentials it registers; with the read-only client's it stops with one line that names
// the client and the refused request (exit 2, no stack trace), and no secret appears in anything it prints.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { SchemaRegistryClient } from '@adlake/registry';
import { down, endpoints, loadStackConfig, silentLogger, up } from '@adlake/stack';
import type { ServiceName } from '@adlake/stack';
import { uniqueName } from '../support/unique.ts';

const CLI = fileURLToPath(new URL('../../apps/avro-gov/src/main.ts', import.meta.url));
const config = loadStackConfig();
const { secureRegistry } = endpoints(config);
const id = uniqueName('sec').replace(/[^a-z0-9]/g, '');
const topic = `${id}.clicks`;
const secret = (client: keyof typeof secureRegistry.clients) =>
  readFileSync(secureRegistry.clients[client].secretFile, 'utf8').trim();
let dir = '';
let started: ServiceName[] = [];

function register(client: keyof typeof secureRegistry.clients, clientSecret = secret(client)) {
  const r = spawnSync(process.execPath, [CLI, 'register', '--format', 'json'], {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      AVRO_GOV_REGISTRY_URL: secureRegistry.url,
      AVRO_GOV_REGISTRY_TOKEN_URL: secureRegistry.tokenUrl,
      AVRO_GOV_REGISTRY_CLIENT_ID: secureRegistry.clients[client].clientId,
      AVRO_GOV_REGISTRY_CLIENT_SECRET: clientSecret,
    },
  });
  return { code: r.status, output: `${r.stdout}${r.stderr}`, stdout: r.stdout };
}

/** The first error's message of a `--format json` run. */
function errorMessage(stdout: string): string {
  return (JSON.parse(stdout) as { errors: { message: string }[] }).errors[0]?.message ?? '';
}

before(async () => {
  started = (await up(config, { services: ['registry-secure'], log: silentLogger })).started;
  dir = mkdtempSync(path.join(tmpdir(), 'adlake-secure-release-'));
  const schema = {
    type: 'record',
    name: 'AdClick',
    namespace: `com.${id}.ads`,
    doc: 'The AdClick event.',
    fields: [{ name: 'click_id', type: 'string', doc: 'The click_id.' }],
  };
  mkdirSync(path.join(dir, `schemas/com/${id}/ads`), { recursive: true });
  writeFileSync(path.join(dir, `schemas/com/${id}/ads/AdClick.avsc`), `${JSON.stringify(schema, null, 2)}\n`);
  writeFileSync(
    path.join(dir, 'schemas/avro-gov.json'),
    JSON.stringify({ version: 1, subjects: [{ schema: `com.${id}.ads.AdClick`, topic }] }),
  );
});

after(async () => {
  const admin = new SchemaRegistryClient({
    url: secureRegistry.url,
    clientCredentials: {
      tokenUrl: secureRegistry.tokenUrl,
      clientId: secureRegistry.clients.release.clientId,
      clientSecret: secret('release'),
    },
  });
  await admin.deleteSubject(`${topic}-value`).catch(() => undefined);
  if (started.length > 0) await down(config, { services: started, log: silentLogger });
});

test('the read-only client may not register: exit 2, one line naming the client and the request', () => {
  const run = register('reader');
  assert.equal(run.code, 2, run.output);
  assert.match(
    errorMessage(run.stdout),
    new RegExp(
      `does not allow "${secureRegistry.clients.reader.clientId}" to POST /subjects/${topic}-value/versions`,
    ),
  );
  assert.doesNotMatch(run.output, /\n\s+at [\w.<]+ \(/, 'no stack trace');
  assert.ok(!run.output.includes(secret('reader')), 'the secret is not printed');
});

test('a client secret the identity provider refuses: exit 2, naming the client, not the secret', () => {
  const run = register('release', 'not-the-secret-at-all');
  assert.equal(run.code, 2, run.output);
  assert.match(
    errorMessage(run.stdout),
    new RegExp(`refused client "${secureRegistry.clients.release.clientId}"`),
  );
  assert.ok(!run.output.includes('not-the-secret-at-all'));
});

test('the release client registers the schema', () => {
  const run = register('release');
  assert.equal(run.code, 0, run.output);
  const plan = JSON.parse(run.stdout) as { applied?: { registered: { subject: string }[] } };
  assert.deepEqual(
    plan.applied?.registered.map((r) => r.subject),
    [`${topic}-value`],
  );
  assert.ok(!run.output.includes(secret('release')), 'the secret is not printed');
});
