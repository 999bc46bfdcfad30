// Smoke: the secured registry (`registry-secure`) lets nobody in without a Keycloak identity, lets the read-only
// client read and not write, and the release client register; both over basic auth (client id and secret, as
// Confluent's serializers send them) and with a bearer token from Keycloak's client-credentials flow. The
// services are optional, so this file starts them and stops what it started.
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { down, endpoints, loadStackConfig, silentLogger, up } from '@adlake/stack';
import type { ServiceName } from '@adlake/stack';
import { RegistryError, SchemaRegistryClient } from '@adlake/registry';
import { uniqueName } from '../support/unique.ts';

const config = loadStackConfig();
const secure = endpoints(config).secureRegistry;
type Client = keyof typeof secure.clients;
const subject = uniqueName('adserver.smoke-secure-value');
const schema = JSON.stringify({
  type: 'record',
  name: 'SmokeSecure',
  namespace: 'com.acme.smoke',
  fields: [{ name: 'id', type: 'string' }],
});

let started: ServiceName[] = [];

before(async () => {
  started = (await up(config, { services: ['registry-secure'], log: silentLogger })).started;
});

after(async () => {
  if (started.length > 0) await down(config, { services: started, log: silentLogger });
});

function secret(client: Client): string {
  return readFileSync(secure.clients[client].secretFile, 'utf8').trim();
}

function basic(client: Client, password = secret(client)): string {
  return `Basic ${Buffer.from(`${secure.clients[client].clientId}:${password}`).toString('base64')}`;
}

async function call(
  method: 'GET' | 'POST',
  path: string,
  authorization: string | undefined,
): Promise<{ status: number; body: string }> {
  const response = await fetch(`${secure.url}${path}`, {
    method,
    headers: {
      'content-type': 'application/vnd.schemaregistry.v1+json',
      ...(authorization === undefined ? {} : { authorization }),
    },
    ...(method === 'POST' ? { body: JSON.stringify({ schema }) } : {}),
  });
  return { status: response.status, body: await response.text() };
}

test('each client secret file is readable by its owner only', () => {
  for (const client of Object.values(secure.clients)) {
    const mode = statSync(client.secretFile).mode & 0o777;
    assert.equal(mode & 0o077, 0, `${client.secretFile} is mode ${mode.toString(8)}`);
  }
});

test('without credentials, or with a wrong secret, the registry answers 401', async () => {
  assert.equal((await call('GET', '/subjects', undefined)).status, 401);
  assert.equal((await call('GET', '/subjects', basic('reader', 'not-the-secret'))).status, 401);
  assert.equal((await call('POST', `/subjects/${subject}/versions`, undefined)).status, 401);
});

test('the read-only client reads but may not register', async () => {
  assert.equal((await call('GET', '/subjects', basic('reader'))).status, 200);
  const refused = await call('POST', `/subjects/${subject}/versions`, basic('reader'));
  assert.equal(refused.status, 403, refused.body);
});

test('the release client registers, and the reader then sees the subject', async () => {
  const registered = await call('POST', `/subjects/${subject}/versions`, basic('release'));
  assert.equal(registered.status, 200, registered.body);
  const { id } = JSON.parse(registered.body) as { id: number };
  assert.ok(Number.isInteger(id));
  const listed = await call('GET', '/subjects', basic('reader'));
  assert.ok((JSON.parse(listed.body) as string[]).includes(subject));
});

test('a bearer token from Keycloak carries the same rights as the client', async () => {
  const response = await fetch(secure.tokenUrl, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: secure.clients.reader.clientId,
      client_secret: secret('reader'),
    }),
  });
  assert.equal(response.status, 200);
  const { access_token: token } = (await response.json()) as { access_token: string };
  assert.equal((await call('GET', '/subjects', `Bearer ${token}`)).status, 200);
  assert.equal((await call('POST', `/subjects/${subject}/versions`, `Bearer ${token}`)).status, 403);
  assert.equal((await call('GET', '/subjects', `Bearer ${token.slice(0, -4)}AAAA`)).status, 401);
});

function client(name: Client, clientSecret = secret(name)): SchemaRegistryClient {
  return new SchemaRegistryClient({
    url: secure.url,
    clientCredentials: { tokenUrl: secure.tokenUrl, clientId: secure.clients[name].clientId, clientSecret },
  });
}

test('the registry client with client credentials: release registers, reader looks up and is refused registering', async () => {
  const name = uniqueName('adserver.smoke-secure-client-value');
  const { id } = await client('release').register(name, schema);
  assert.equal((await client('reader').lookup(name, schema))?.id, id);
  await assert.rejects(client('reader').register(name, schema), (error: unknown) => {
    assert.ok(error instanceof RegistryError);
    assert.equal(error.code, 'REGISTRY_FORBIDDEN');
    assert.equal(error.retriable, false);
    assert.equal(error.context.principal, secure.clients.reader.clientId);
    return true;
  });
});

test('the registry client with a wrong secret: one clear, non-retriable error that never shows the secret', async () => {
  await assert.rejects(client('reader', 'wrong-secret-value').listSubjects(), (error: unknown) => {
    assert.ok(error instanceof RegistryError);
    assert.equal(error.code, 'REGISTRY_UNAUTHENTICATED');
    assert.equal(error.retriable, false);
    assert.match(error.message, new RegExp(`refused client "${secure.clients.reader.clientId}"`));
    assert.doesNotMatch(error.message, /wrong-secret-value/);
    return true;
  });
});
