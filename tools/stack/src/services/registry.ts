// Apicurio Registry 3.3 serving the Confluent-compatible API (/apis/ccompat/v7), global compatibility BACKWARD.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { StackError } from '../errors.ts';
import { jvmService } from './jvm.ts';
import type { ServiceContext, ServiceDef } from './service.ts';
import { describeError, httpFetch, nonEmptyDir } from './service.ts';

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

export const registry: ServiceDef = jvmService({
  name: 'registry',
  version: APICURIO_VERSION,
  java: { home: 'registryJavaHome', minMajor: APICURIO_MIN_JAVA },
  heap: 'registryHeap',
  download: { into: DIST_DIR, unpack: { suffix: '-all.tar.gz', into: APP_DIR } },
  hasData: (ctx) => nonEmptyDir(paths(ctx).data),

  async configure(ctx) {
    mkdirSync(paths(ctx).data, { recursive: true });
  },

  daemons: [
    {
      role: 'registry',
      main: 'quarkus-run.jar',
      cwd: (ctx) => paths(ctx).data,
      args: (ctx) => {
        const p = paths(ctx);
        const c = ctx.config;
        return [
          '-Dquarkus.http.host=127.0.0.1',
          `-Dquarkus.http.port=${c.registryPort}`,
          // The management interface (health) defaults to 0.0.0.0:9000.
          '-Dquarkus.management.host=127.0.0.1',
          `-Dquarkus.management.port=${c.registryManagementPort}`,
          // @kafkajs/confluent-schema-registry compares GET /config/{subject} with BACKWARD: see docs/local-stack.md.
          '-Dapicurio.rules.global.compatibility=BACKWARD',
          // A file-backed H2 keeps schemas (and so schema ids) across restarts, like Kafka and HDFS data.
          `-Dapicurio.datasource.url=jdbc:h2:file:${join(p.data, 'registry')}`,
          '-Dapicurio.datasource.jdbc.initial-size=2',
          '-Dapicurio.datasource.jdbc.min-size=2',
          '-Dapicurio.datasource.jdbc.max-size=20',
          '-jar',
          join(p.app, 'quarkus-run.jar'),
        ];
      },
    },
  ],

  async probe(ctx) {
    const c = ctx.config;
    try {
      const health = await httpFetch(`http://127.0.0.1:${c.registryManagementPort}/health/ready`);
      await health.body?.cancel();
      if (!health.ok) return `GET /health/ready: HTTP ${health.status}`;
      const base = `http://127.0.0.1:${c.registryPort}/apis/ccompat/v7`;
      const subjects = await httpFetch(`${base}/subjects`);
      if (!subjects.ok) return `GET ccompat /subjects: HTTP ${subjects.status}`;
      await subjects.body?.cancel();
      const config = await httpFetch(`${base}/config`);
      const body = (await config.json()) as { compatibilityLevel?: string };
      if (body.compatibilityLevel !== 'BACKWARD') {
        throw new StackError(
          'START_FAILED',
          `registry: global compatibility is ${String(body.compatibilityLevel)}, expected BACKWARD`,
          { service: 'registry' },
        );
      }
      return true;
    } catch (error) {
      if (error instanceof StackError) throw error;
      return `registry: ${describeError(error)}`;
    }
  },
});
