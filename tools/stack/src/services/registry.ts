// Apicurio Registry 3.3 serving the Confluent-compatible API (/apis/ccompat/v7), global compatibility BACKWARD.
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SETTINGS } from '../config.ts';
import { StackError } from '../errors.ts';
import { spawnDaemon } from '../proc.ts';
import { javaBinary, requireJava, resolveMaven, run } from '../tools.ts';
import type { ServiceContext, ServiceDef } from './service.ts';
import {
  checkDataStamp,
  describeError,
  httpFetch,
  jvmFlags,
  logFile,
  MAVEN_DIR,
  nonEmptyDir,
  pidFile,
} from './service.ts';

/** 3.1.x (Java 17) is not on Maven Central; 3.3.x is and needs Java 21+. See docs/decisions/0002. */
export const APICURIO_VERSION = '3.3.3';
export const APICURIO_MIN_JAVA = 21;

function paths(ctx: ServiceContext) {
  return {
    dist: join(ctx.cacheDir, 'dist'),
    app: join(ctx.cacheDir, `app-${APICURIO_VERSION}`),
    data: join(ctx.dir, 'data'),
  };
}

export const registry: ServiceDef = {
  name: 'registry',
  version: APICURIO_VERSION,
  roles: ['registry'],

  async prepare(ctx) {
    const p = paths(ctx);
    await requireJava(
      'registry',
      ctx.config.registryJavaHome,
      SETTINGS.registryJavaHome.env,
      APICURIO_MIN_JAVA,
    );
    await resolveMaven({
      service: 'registry',
      mvn: ctx.config.mvn,
      pom: join(MAVEN_DIR, 'registry/pom.xml'),
      outDir: p.dist,
      log: (m) => ctx.log('download', m),
    });
    const stamp = join(p.app, '.complete');
    if (!existsSync(stamp)) {
      const archive = readdirSync(p.dist).find((f) => f.endsWith('-all.tar.gz'));
      if (archive === undefined) {
        throw new StackError(
          'DOWNLOAD_FAILED',
          `registry: no *-all.tar.gz in ${p.dist}; delete that folder and retry.`,
          {
            service: 'registry',
          },
        );
      }
      ctx.log('unpack', `extracting ${archive}`);
      rmSync(p.app, { recursive: true, force: true });
      mkdirSync(p.app, { recursive: true });
      const result = await run('tar', ['-xzf', join(p.dist, archive), '-C', p.app], { timeoutMs: 300_000 });
      if (result === undefined || result.code !== 0) {
        throw new StackError(
          'DOWNLOAD_FAILED',
          `registry: extracting ${archive} failed: ${result?.output ?? 'tar not found'}`,
          {
            service: 'registry',
          },
        );
      }
      writeFileSync(stamp, `${APICURIO_VERSION}\n`);
    }
    checkDataStamp(ctx, 'registry', APICURIO_VERSION, nonEmptyDir(p.data));
    mkdirSync(p.data, { recursive: true });
  },

  async start(ctx) {
    const p = paths(ctx);
    const c = ctx.config;
    return [
      spawnDaemon({
        service: 'registry',
        command: javaBinary(c.registryJavaHome),
        args: [
          ...jvmFlags(c, c.registryHeap, 'registry'),
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
        ],
        cwd: p.data,
        logFile: logFile(c, 'registry', 'registry'),
        pidFile: pidFile(c, 'registry', 'registry'),
        markers: [`-Dadlake.stack=${c.stackDir}#registry`, 'quarkus-run.jar'],
      }),
    ];
  },

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
};
