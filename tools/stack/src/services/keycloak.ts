// Keycloak 26 (the Quarkus distribution from Maven Central) as the OIDC provider of the secured registry: one
// realm with Apicurio's roles and a client-credentials client per identity (see secure-registry.ts). The
// distribution is "built" once per download (Keycloak's own re-augmentation step, about a minute), and each
// stack runs it with a home of its own (data, the realm to import), so that downloads stay shared.
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { StackError } from '../errors.ts';
import type { RegistryClient } from '../secure-registry.ts';
import {
  REGISTRY_CLIENTS,
  REGISTRY_REALM,
  registrySecretPaths,
  registrySecretPathsIn,
  renderRealm,
} from '../secure-registry.ts';
import { javaBinary, run } from '../tools.ts';
import { jvmService } from './jvm.ts';
import type { ServiceContext, ServiceDef } from './service.ts';
import { describeError, httpFetch, incompatible, nonEmptyDir } from './service.ts';

export const KEYCLOAK_VERSION = '26.7.3';
const DIST_DIR = 'dist';
const APP_DIR = `app-${KEYCLOAK_VERSION}`;
/** Written after `build` succeeded for this download, so an interrupted build is redone. */
const BUILT_STAMP = '.adlake-built';

function paths(ctx: ServiceContext) {
  const dist = join(ctx.cacheDir, APP_DIR, `keycloak-${KEYCLOAK_VERSION}`);
  const home = join(ctx.dir, 'home');
  return {
    dist,
    home,
    data: join(home, 'data'),
    realmFile: join(home, 'data', 'import', `${REGISTRY_REALM}-realm.json`),
    runJar: join(home, 'lib', 'quarkus-run.jar'),
  };
}

/** What kc.sh adds to every Keycloak JVM (module opens for JBoss threads, the log manager, picocli). */
function keycloakJvmArgs(home: string): string[] {
  return [
    '-XX:MaxMetaspaceSize=256m',
    '--add-opens=java.base/java.util=ALL-UNNAMED',
    '--add-opens=java.base/java.util.concurrent=ALL-UNNAMED',
    '--add-opens=java.base/java.security=ALL-UNNAMED',
    '--add-opens=java.base/java.lang=ALL-UNNAMED',
    '--enable-native-access=ALL-UNNAMED',
    '-Djava.util.concurrent.ForkJoinPool.common.threadFactory=io.quarkus.bootstrap.forkjoin.QuarkusForkJoinWorkerThreadFactory',
    `-Dkc.home.dir=${home}`,
    `-Djboss.server.config.dir=${join(home, 'conf')}`,
    '-Djava.util.logging.manager=org.jboss.logmanager.LogManager',
    '-Dpicocli.disable.closures=true',
    '-cp',
    join(home, 'lib', 'quarkus-run.jar'),
    'io.quarkus.bootstrap.runner.QuarkusEntryPoint',
  ];
}

async function buildOnce(ctx: ServiceContext, dist: string): Promise<void> {
  const stamp = join(dist, 'lib', 'quarkus', BUILT_STAMP);
  if (existsSync(stamp)) return;
  ctx.log('build', 'building the Keycloak server (once per download, about a minute)');
  const result = await run(
    javaBinary(ctx.config.registryJavaHome),
    [
      '-Xmx512m',
      ...keycloakJvmArgs(dist),
      // Build-time options: a file database in the home's data folder, health endpoints on.
      'build',
      '--db=dev-file',
      '--health-enabled=true',
    ],
    { timeoutMs: 600_000 },
  );
  if (result === undefined || result.code !== 0) {
    throw new StackError(
      'START_FAILED',
      `keycloak: building the server failed:\n${result?.output.slice(-2000) ?? 'java not found'}`,
      { service: 'keycloak' },
    );
  }
  writeFileSync(stamp, `${KEYCLOAK_VERSION}\n`);
}

/** Client secrets: made once, with the realm that holds them, and kept with its data. */
function ensureClientSecrets(ctx: ServiceContext): Record<RegistryClient, string> {
  const final = registrySecretPaths(ctx.dir);
  const clients = Object.keys(REGISTRY_CLIENTS) as RegistryClient[];
  if (!existsSync(final.dir)) {
    const scratch = registrySecretPathsIn(`${final.dir}.partial`);
    rmSync(scratch.dir, { recursive: true, force: true });
    mkdirSync(scratch.dir, { recursive: true, mode: 0o700 });
    for (const client of clients) {
      writeFileSync(scratch.secretFile(client), `${randomBytes(24).toString('base64url')}\n`, {
        mode: 0o600,
      });
      chmodSync(scratch.secretFile(client), 0o600);
    }
    renameSync(scratch.dir, final.dir);
  }
  return Object.fromEntries(
    clients.map((client) => [client, readFileSync(final.secretFile(client), 'utf8').trim()]),
  ) as Record<RegistryClient, string>;
}

function linkInto(home: string, dist: string, name: string): void {
  const link = join(home, name);
  rmSync(link, { recursive: true, force: true });
  symlinkSync(join(dist, name), link);
}

export const keycloak: ServiceDef = jvmService({
  name: 'keycloak',
  version: KEYCLOAK_VERSION,
  java: { home: 'registryJavaHome', minMajor: 21 },
  heap: 'keycloakHeap',
  download: { into: DIST_DIR, unpack: { suffix: '.tar.gz', into: APP_DIR } },
  hasData: (ctx) => nonEmptyDir(join(paths(ctx).data, 'h2')),

  async configure(ctx) {
    const p = paths(ctx);
    await buildOnce(ctx, p.dist);
    if (nonEmptyDir(join(p.data, 'h2')) && !existsSync(registrySecretPaths(ctx.dir).dir)) {
      throw incompatible(
        'keycloak',
        p.data,
        'its realm holds client secrets that are gone (secrets/ is missing)',
      );
    }
    const secrets = ensureClientSecrets(ctx);
    mkdirSync(join(p.data, 'import'), { recursive: true });
    mkdirSync(join(p.home, 'conf'), { recursive: true });
    mkdirSync(join(p.home, 'providers'), { recursive: true });
    // The built server (lib) and the themes are the download's; data, config and providers are this stack's.
    linkInto(p.home, p.dist, 'lib');
    linkInto(p.home, p.dist, 'themes');
    // Imported at the first start only (IGNORE_EXISTING), so the realm keeps any change made through Keycloak.
    writeFileSync(p.realmFile, renderRealm(secrets), { mode: 0o600 });
  },

  daemons: [
    {
      role: 'keycloak',
      main: 'io.quarkus.bootstrap.runner.QuarkusEntryPoint',
      cwd: (ctx) => paths(ctx).home,
      args: (ctx) => {
        const c = ctx.config;
        return [
          ...keycloakJvmArgs(paths(ctx).home),
          'start',
          '--optimized',
          // Infinispan's default is a JGroups cluster listening on every interface: one local node instead.
          '--cache=local',
          '--http-enabled=true',
          '--http-host=127.0.0.1',
          `--http-port=${c.keycloakPort}`,
          `--http-management-port=${c.keycloakManagementPort}`,
          '--hostname-strict=false',
          '--import-realm',
        ];
      },
    },
  ],

  async probe(ctx) {
    const c = ctx.config;
    try {
      const health = await httpFetch(`http://127.0.0.1:${c.keycloakManagementPort}/health/ready`);
      await health.body?.cancel();
      if (!health.ok) return `GET /health/ready: HTTP ${health.status}`;
      // Ready means the realm is there and issues tokens, not only that the server answers.
      const secret = readFileSync(registrySecretPaths(ctx.dir).secretFile('reader'), 'utf8').trim();
      const token = await httpFetch(keycloakTokenUrl(c.keycloakPort), {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: REGISTRY_CLIENTS.reader.clientId,
          client_secret: secret,
        }),
      });
      await token.body?.cancel();
      return token.ok ? true : `token for ${REGISTRY_CLIENTS.reader.clientId}: HTTP ${token.status}`;
    } catch (error) {
      return `keycloak: ${describeError(error)}`;
    }
  },
});

export function keycloakTokenUrl(port: number): string {
  return `http://127.0.0.1:${port}/realms/${REGISTRY_REALM}/protocol/openid-connect/token`;
}
