import assert from 'node:assert/strict';
import { test } from 'node:test';
import { REGISTRY_CLIENTS, renderRealm } from '../src/secure-registry.ts';

const realm = JSON.parse(
  renderRealm({ release: 'release-secret', reader: 'reader-secret', api: 'api-secret' }),
) as {
  realm: string;
  clients: { clientId: string; secret: string; serviceAccountsEnabled: boolean; publicClient: boolean }[];
  users: { serviceAccountClientId: string; realmRoles: string[] }[];
};

test('the realm: each client confidential with its own secret, no browser or password flow', () => {
  assert.equal(realm.realm, 'adlake');
  assert.deepEqual(
    realm.clients.map((c) => [c.clientId, c.secret, c.publicClient]),
    [
      ['adlake-release', 'release-secret', false],
      ['adlake-reader', 'reader-secret', false],
      ['registry-api', 'api-secret', false],
    ],
  );
});

test('the release client may register (sr-developer), the reader only read (sr-readonly), the API client nothing', () => {
  const roles = Object.fromEntries(realm.users.map((u) => [u.serviceAccountClientId, u.realmRoles]));
  assert.deepEqual(roles, {
    [REGISTRY_CLIENTS.release.clientId]: ['sr-developer'],
    [REGISTRY_CLIENTS.reader.clientId]: ['sr-readonly'],
  });
  assert.equal(realm.clients.find((c) => c.clientId === 'registry-api')?.serviceAccountsEnabled, false);
});
