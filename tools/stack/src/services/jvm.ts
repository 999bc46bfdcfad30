// What every JVM service of the stack does the same way: check the JDK, fetch (and unpack) its Maven
// downloads, guard the data folder with the version stamp, and launch its daemons with the common JVM flags
// and the markers `down` recognises them by. A service file describes only what is its own.
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceName } from '../config.ts';
import { SETTINGS } from '../config.ts';
import { StackError } from '../errors.ts';
import { spawnDaemon } from '../proc.ts';
import { javaBinary, requireJava, resolveMaven, run } from '../tools.ts';
import type { ServiceContext, ServiceDef } from './service.ts';
import { checkDataStamp, jvmFlags, logFile, markerArg, MAVEN_DIR, pidFile } from './service.ts';

/** Where a service's Maven dependencies land under its cache folder unless its spec says otherwise. */
export const JARS_DIR = 'libs';

export interface JvmDaemonSpec {
  /** Process role: names its pid file, log and marker. */
  readonly role: string;
  /** A command-line word besides the stack marker that identifies the process (its main class or jar). */
  readonly main: string;
  /** What follows the common JVM flags: system properties, classpath, main class and its arguments. */
  args(ctx: ServiceContext): string[];
  /** Working directory; default the service folder. */
  cwd?(ctx: ServiceContext): string;
}

export interface JvmServiceSpec {
  readonly name: ServiceName;
  /** Software version, stamped into the data folder. */
  readonly version: string;
  /** The JDK: which setting holds its home, and the oldest feature version the service runs on. */
  readonly java: { readonly home: 'javaHome' | 'registryJavaHome'; readonly minMajor: number };
  /** The setting holding the daemons' -Xmx. */
  readonly heap:
    | 'kafkaHeap'
    | 'kafkaDrHeap'
    | 'kafkaSecureHeap'
    | 'hdfsHeap'
    | 'registryHeap'
    | 'mirrormakerHeap'
    | 'keycloakHeap';
  /** Services that must be up (and are started by `up`) before this one starts. */
  readonly dependsOn?: readonly ServiceName[];
  /**
   * tools/stack/maven/<name>/pom.xml resolved into <cache>/<into> (default `libs`), with Maven's
   * `includeScope` when set; `unpack` then extracts the one archive ending in `suffix` into <cache>/<into>.
   * `sharedWith` names another service whose pom and cache folder this one uses (same software, one copy).
   */
  readonly download: {
    readonly sharedWith?: ServiceName;
    readonly into?: string;
    readonly includeScope?: string;
    readonly unpack?: { readonly suffix: string; readonly into: string };
  };
  /** Whether the data folder already holds service data: then it must carry this version's stamp. */
  hasData(ctx: ServiceContext): boolean;
  /** What the service prepares after the common steps: config files, formatting. Starts nothing. */
  configure?(ctx: ServiceContext): Promise<void>;
  /** One JVM per role, started in this order (and stopped in the reverse one). */
  readonly daemons: readonly JvmDaemonSpec[];
  probe(ctx: ServiceContext): Promise<true | string>;
}

/** Extracts the archive once; a stamp file says the extraction completed, so a torn one is redone. */
async function unpack(
  ctx: ServiceContext,
  service: ServiceName,
  version: string,
  from: string,
  spec: { suffix: string; into: string },
): Promise<void> {
  const into = join(ctx.cacheDir, spec.into);
  const stamp = join(into, '.complete');
  if (existsSync(stamp)) return;
  const archive = readdirSync(from).find((f) => f.endsWith(spec.suffix));
  if (archive === undefined) {
    throw new StackError(
      'DOWNLOAD_FAILED',
      `${service}: no *${spec.suffix} in ${from}; delete that folder and retry.`,
      {
        service,
      },
    );
  }
  ctx.log('unpack', `extracting ${archive}`);
  rmSync(into, { recursive: true, force: true });
  mkdirSync(into, { recursive: true });
  const result = await run('tar', ['-xzf', join(from, archive), '-C', into], { timeoutMs: 300_000 });
  if (result === undefined || result.code !== 0) {
    throw new StackError(
      'DOWNLOAD_FAILED',
      `${service}: extracting ${archive} failed: ${result?.output ?? 'tar not found'}`,
      { service },
    );
  }
  writeFileSync(stamp, `${version}\n`);
}

export function jvmService(spec: JvmServiceSpec): ServiceDef {
  const { name, version } = spec;
  return {
    name,
    version,
    roles: spec.daemons.map((d) => d.role),
    cache: spec.download.sharedWith ?? name,
    dependsOn: spec.dependsOn ?? [],

    async prepare(ctx) {
      const { home, minMajor } = spec.java;
      await requireJava(name, ctx.config[home], SETTINGS[home].env, minMajor);
      const outDir = join(ctx.cacheDir, spec.download.into ?? JARS_DIR);
      const fetched = await resolveMaven({
        service: name,
        mvn: ctx.config.mvn,
        pom: join(MAVEN_DIR, spec.download.sharedWith ?? name, 'pom.xml'),
        outDir,
        ...(spec.download.includeScope === undefined ? {} : { includeScope: spec.download.includeScope }),
        log: (m) => ctx.log('download', m),
      });
      if (spec.download.unpack !== undefined) {
        await unpack(ctx, name, version, outDir, spec.download.unpack);
      } else if (fetched === 'downloaded') {
        ctx.log('download', `jars ready in ${outDir}`);
      }
      checkDataStamp(ctx, name, version, spec.hasData(ctx));
      await spec.configure?.(ctx);
    },

    async start(ctx) {
      const c = ctx.config;
      return spec.daemons.map((daemon) =>
        spawnDaemon({
          service: name,
          command: javaBinary(c[spec.java.home]),
          args: [...jvmFlags(c, c[spec.heap], daemon.role), ...daemon.args(ctx)],
          cwd: daemon.cwd?.(ctx) ?? ctx.dir,
          logFile: logFile(c, name, daemon.role),
          pidFile: pidFile(c, name, daemon.role),
          markers: [markerArg(c, daemon.role), daemon.main],
        }),
      );
    },

    probe: (ctx) => spec.probe(ctx),
  };
}
