// What every service module provides to the orchestrator, and helpers they share (paths, JVM flags, HTTP).
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceName, StackConfig } from '../config.ts';
import { StackError } from '../errors.ts';
import type { StepLog } from '../log.ts';
import type { Daemon } from '../proc.ts';

export interface ServiceContext {
  readonly config: StackConfig;
  /** <stack dir>/<service>: config, data, logs and pid files; removed by `down --wipe`. */
  readonly dir: string;
  /** <stack dir>/cache/<service>: downloads; kept by `down --wipe`. */
  readonly cacheDir: string;
  readonly log: StepLog;
}

export interface ServiceDef {
  readonly name: ServiceName;
  /** Software version, stamped into the data folder to detect data from an incompatible run. */
  readonly version: string;
  /** Process roles, one pid file and log each (hdfs: namenode + datanode). */
  readonly roles: readonly string[];
  /** Whose <stack dir>/cache/<service> folder holds the downloads (kafka-dr uses kafka's). */
  readonly cache: ServiceName;
  /** Services `up` starts (or finds ready) before this one; `down` stops this one before them. */
  readonly dependsOn: readonly ServiceName[];
  /** Downloads, tool and data checks, config files. Starts nothing. */
  prepare(ctx: ServiceContext): Promise<void>;
  /** Spawns the processes (pid files written) without waiting for readiness. */
  start(ctx: ServiceContext): Promise<Daemon[]>;
  /** One readiness attempt: true when really usable, else why not yet. */
  probe(ctx: ServiceContext): Promise<true | string>;
}

export function serviceDir(config: StackConfig, service: ServiceName): string {
  return join(config.stackDir, service);
}

export function cacheDir(config: StackConfig, service: ServiceName): string {
  return join(config.stackDir, 'cache', service);
}

export function pidFile(config: StackConfig, service: ServiceName, role: string): string {
  return join(serviceDir(config, service), `${role}.pid`);
}

export function logFile(config: StackConfig, service: ServiceName, role: string): string {
  return join(serviceDir(config, service), `${role}.log`);
}

/** Folder holding the tools/stack/maven/<service>/pom.xml files. */
export const MAVEN_DIR = new URL('../../maven/', import.meta.url).pathname;

/** A marker put on every JVM command line so that `down` can tell our processes from others. */
export function markerArg(config: StackConfig, role: string): string {
  return `-Dadlake.stack=${config.stackDir}#${role}`;
}

export function jvmFlags(config: StackConfig, heap: string, role: string): string[] {
  return [
    `-Xmx${heap}`,
    ...(config.jvmFastStart ? ['-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1'] : []),
    '-XX:-UsePerfData',
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
    '-Djava.net.preferIPv4Stack=true',
    markerArg(config, role),
  ];
}

interface StackMeta {
  readonly service: string;
  readonly version: string;
}

/**
 * Refuses data left by a run of another software version (or a stack layout we do not know), and stamps
 * a fresh data folder. `hasData` says whether the folder already holds service data.
 */
export function checkDataStamp(
  ctx: ServiceContext,
  service: ServiceName,
  version: string,
  hasData: boolean,
): void {
  const stampPath = join(ctx.dir, 'stack-meta.json');
  if (existsSync(stampPath)) {
    let meta: Partial<StackMeta> = {};
    try {
      meta = JSON.parse(readFileSync(stampPath, 'utf8')) as Partial<StackMeta>;
    } catch {
      // an unreadable stamp is as good as a foreign one
    }
    if (meta.version !== version) {
      throw incompatible(
        service,
        ctx.dir,
        `it was made by ${service} ${meta.version ?? '(unknown)'}, this stack runs ${version}`,
      );
    }
    return;
  }
  if (hasData) throw incompatible(service, ctx.dir, 'it was not created by this version of the stack');
  mkdirSync(ctx.dir, { recursive: true });
  writeFileSync(stampPath, `${JSON.stringify({ service, version } satisfies StackMeta)}\n`);
}

export function incompatible(service: ServiceName, dir: string, why: string): StackError {
  return new StackError(
    'DATA_INCOMPATIBLE',
    `${service}: the data folder ${dir} cannot be used: ${why}. ` +
      `Run \`npm run stack -- down --wipe ${service}\` to delete it (downloads are kept), then \`up\` again.`,
    { service, context: { file: dir } },
  );
}

export function nonEmptyDir(path: string): boolean {
  try {
    return readdirSync(path).length > 0;
  } catch {
    return false;
  }
}

/** fetch with a deadline; never hangs a readiness loop. */
export async function httpFetch(url: string, init: RequestInit = {}, timeoutMs = 5_000): Promise<Response> {
  return fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}
