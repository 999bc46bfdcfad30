// Who may do what on the secured schema registry (`registry-secure`), and where the OIDC clients' secrets
// live. Keycloak (`keycloak`) issues the tokens; Apicurio checks them and maps the realm roles below onto its
// read-only / developer / admin rights. Plain data, so that endpoints() can point clients at the files.
import { join } from 'node:path';

export const REGISTRY_REALM = 'adlake';

/** Apicurio's default role names (apicurio.auth.roles.*), carried as realm roles in the access token. */
export const REGISTRY_ROLES = {
  readonly: 'sr-readonly',
  developer: 'sr-developer',
  admin: 'sr-admin',
} as const;

/**
 * OIDC clients with a service account (client-credentials flow). `api` is the registry's own client id
 * (quarkus.oidc.client-id): it has no service account and no right of its own.
 */
export const REGISTRY_CLIENTS = {
  /** The CI release step: registers schemas. */
  release: { clientId: 'adlake-release', role: REGISTRY_ROLES.developer },
  /** Producers, the sink and the PR check: look schemas up, never change them. */
  reader: { clientId: 'adlake-reader', role: REGISTRY_ROLES.readonly },
  api: { clientId: 'registry-api', role: undefined },
} as const;
export type RegistryClient = keyof typeof REGISTRY_CLIENTS;

export interface RegistrySecretPaths {
  readonly dir: string;
  secretFile(client: RegistryClient): string;
}

export function registrySecretPathsIn(dir: string): RegistrySecretPaths {
  return { dir, secretFile: (client) => join(dir, `${REGISTRY_CLIENTS[client].clientId}.secret`) };
}

/** Keycloak's service folder holds the secrets: its realm is made from them. */
export function registrySecretPaths(keycloakDir: string): RegistrySecretPaths {
  return registrySecretPathsIn(join(keycloakDir, 'secrets'));
}

/** The realm Keycloak imports at its first start: roles, the clients with their secrets, service accounts. */
export function renderRealm(secrets: Readonly<Record<RegistryClient, string>>): string {
  const clients = (Object.keys(REGISTRY_CLIENTS) as RegistryClient[]).map((client) => ({
    clientId: REGISTRY_CLIENTS[client].clientId,
    enabled: true,
    publicClient: false,
    secret: secrets[client],
    standardFlowEnabled: false,
    implicitFlowEnabled: false,
    directAccessGrantsEnabled: false,
    serviceAccountsEnabled: REGISTRY_CLIENTS[client].role !== undefined,
  }));
  const users = (Object.keys(REGISTRY_CLIENTS) as RegistryClient[]).flatMap((client) => {
    const { clientId, role } = REGISTRY_CLIENTS[client];
    return role === undefined
      ? []
      : [
          {
            username: `service-account-${clientId}`,
            enabled: true,
            serviceAccountClientId: clientId,
            realmRoles: [role],
          },
        ];
  });
  return `${JSON.stringify(
    {
      realm: REGISTRY_REALM,
      enabled: true,
      accessTokenLifespan: 300,
      roles: { realm: Object.values(REGISTRY_ROLES).map((name) => ({ name })) },
      clients,
      users,
    },
    null,
    2,
  )}\n`;
}
