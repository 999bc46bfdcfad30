// Apicurio Registry 3.3 serving the Confluent-compatible API (/apis/ccompat/v7), global compatibility BACKWARD:
// the open `registry`, and `registry-secure`, the same server requiring a Keycloak token (or a client id and
// secret over basic auth, which it exchanges for one) and granting rights by the token's roles.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StackConfig } from '../config.ts';
import { StackError } from '../errors.ts';
import { REGISTRY_CLIENTS, REGISTRY_REALM, registrySecretPaths } from '../secure-registry.ts';
import { jvmService } from './jvm.ts';
import type { ServiceContext, ServiceDef } from './service.ts';
import { describeError, httpFetch, nonEmptyDir, serviceDir } from './service.ts';

/** 3.1.x (Java 17) is not on Maven Central; 3.3.x is and needs Java 21+. See docs/decisions/0002. */
export const APICURIO_VERSION = '3.3.3';
export const APICURIO_MIN_JAVA = 21;

/** Under the cache folder, so `down --wipe` keeps them: the downloaded archive, and its extraction per version. */
const DIST_DIR = 'dist';
const APP_DIR = `app-${APICURIO_VERSION}`;

function paths(ctx: ServiceContext) {
  return {
    app: join(ctx.cacheDir, APP_DIR),
    data: join(ctx.dir, 'data'),
  };
}

const VARIANTS = {
  registry: { port: 'registryPort', managementPort: 'registryManagementPort', secure: false },
  'registry-secure': {
    port: 'registrySecurePort',
    managementPort: 'registrySecureManagementPort',
    secure: true,
  },
} as const;
type RegistryName = keyof typeof VARIANTS;

/** What the secured registry's own probe sends: the read-only client, over basic auth. */
function readerAuthorization(config: StackConfig): string {
  const secret = readFileSync(
    registrySecretPaths(serviceDir(config, 'keycloak')).secretFile('reader'),
    'utf8',
  ).trim();
  return `Basic ${Buffer.from(`${REGISTRY_CLIENTS.reader.clientId}:${secret}`).toString('base64')}`;
}

function registryService(name: RegistryName): ServiceDef {
  const variant = VARIANTS[name];
  return jvmService({
    name,
    version: APICURIO_VERSION,
    java: { home: 'registryJavaHome', minMajor: APICURIO_MIN_JAVA },
    heap: 'registryHeap',
    ...(variant.secure ? { dependsOn: ['keycloak'] as const } : {}),
    download: {
      ...(variant.secure ? { sharedWith: 'registry' as const } : {}),
      into: DIST_DIR,
      unpack: { suffix: '-all.tar.gz', into: APP_DIR },
    },
    hasData: (ctx) => nonEmptyDir(paths(ctx).data),

    async configure(ctx) {
      mkdirSync(paths(ctx).data, { recursive: true });
    },

    daemons: [
      {
        role: name,
        main: 'quarkus-run.jar',
        cwd: (ctx) => paths(ctx).data,
        args: (ctx) => {
          const p = paths(ctx);
          const c = ctx.config;
          return [
            '-Dquarkus.http.host=127.0.0.1',
            `-Dquarkus.http.port=${c[variant.port]}`,
            // The management interface (health) defaults to 0.0.0.0:9000.
            '-Dquarkus.management.host=127.0.0.1',
            `-Dquarkus.management.port=${c[variant.managementPort]}`,
            // @kafkajs/confluent-schema-registry compares GET /config/{subject} with BACKWARD: see docs/local-stack.md.
            '-Dapicurio.rules.global.compatibility=BACKWARD',
            // A file-backed H2 keeps schemas (and so schema ids) across restarts, like Kafka and HDFS data.
            `-Dapicurio.datasource.url=jdbc:h2:file:${join(p.data, 'registry')}`,
            '-Dapicurio.datasource.jdbc.initial-size=2',
            '-Dapicurio.datasource.jdbc.min-size=2',
            '-Dapicurio.datasource.jdbc.max-size=20',
            ...(variant.secure
              ? [
                  '-Dquarkus.oidc.tenant-enabled=true',
                  `-Dquarkus.oidc.auth-server-url=http://127.0.0.1:${c.keycloakPort}/realms/${REGISTRY_REALM}`,
                  `-Dquarkus.oidc.client-id=${REGISTRY_CLIENTS.api.clientId}`,
                  '-Dapicurio.auth.role-based-authorization=true',
                  '-Dapicurio.auth.role-source=token',
                  // Confluent-style clients send a client id and secret as basic auth; the registry trades
                  // them for a token at Keycloak, so they get exactly the roles of that client.
                  '-Dapicurio.authn.basic-client-credentials.enabled=true',
                ]
              : []),
            '-jar',
            join(p.app, 'quarkus-run.jar'),
          ];
        },
      },
    ],

    async probe(ctx) {
      const c = ctx.config;
      try {
        const health = await httpFetch(`http://127.0.0.1:${c[variant.managementPort]}/health/ready`);
        await health.body?.cancel();
        if (!health.ok) return `GET /health/ready: HTTP ${health.status}`;
        const base = `http://127.0.0.1:${c[variant.port]}/apis/ccompat/v7`;
        const headers: Record<string, string> = variant.secure
          ? { authorization: readerAuthorization(c) }
          : {};
        if (variant.secure) {
          // A secured registry that lets anyone in is not ready: it is misconfigured.
          const anonymous = await httpFetch(`${base}/subjects`);
          await anonymous.body?.cancel();
          if (anonymous.status !== 401) {
            throw new StackError(
              'START_FAILED',
              `${name}: an anonymous GET /subjects got HTTP ${anonymous.status}, expected 401`,
              { service: name },
            );
          }
        }
        const subjects = await httpFetch(`${base}/subjects`, { headers });
        if (!subjects.ok) return `GET ccompat /subjects: HTTP ${subjects.status}`;
        await subjects.body?.cancel();
        const config = await httpFetch(`${base}/config`, { headers });
        const body = (await config.json()) as { compatibilityLevel?: string };
        if (body.compatibilityLevel !== 'BACKWARD') {
          throw new StackError(
            'START_FAILED',
            `${name}: global compatibility is ${String(body.compatibilityLevel)}, expected BACKWARD`,
            { service: name },
          );
        }
        return true;
      } catch (error) {
        if (error instanceof StackError) throw error;
        return `${name}: ${describeError(error)}`;
      }
    },
  });
}

export const registry: ServiceDef = registryService('registry');
export const registrySecure: ServiceDef = registryService('registry-secure');
