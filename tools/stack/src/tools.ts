// External tools the stack needs (java, mvn, tar): finding them, running them, and resolving Maven downloads.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StackError } from './errors.ts';

export interface RunResult {
  readonly code: number | null;
  readonly output: string;
}

/** Runs a command to completion, collecting stdout+stderr; ENOENT becomes `undefined`. */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<RunResult | undefined> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 600_000,
      killSignal: 'SIGKILL',
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') resolve(undefined);
      else reject(error);
    });
    child.on('close', (code) => resolve({ code, output }));
  });
}

export function javaBinary(javaHome: string): string {
  return javaHome === '' ? 'java' : join(javaHome, 'bin', 'java');
}

/** Parses the feature version out of `java -version` output (17 from "17.0.15", 8 from "1.8.0"). */
export function parseJavaMajor(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (match === null) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] !== undefined ? Number(match[2]) : first;
}

const javaChecks = new Map<string, Promise<number>>();

/** Checks that a JDK exists and is at least `minMajor`; throws TOOL_MISSING naming the env var otherwise. */
export function requireJava(
  service: string,
  javaHome: string,
  envVar: string,
  minMajor: number,
): Promise<number> {
  const binary = javaBinary(javaHome);
  let check = javaChecks.get(binary);
  if (check === undefined) {
    check = run(binary, ['-version'], { timeoutMs: 30_000 }).then((result) => {
      const major = result === undefined ? undefined : parseJavaMajor(result.output);
      if (result === undefined || result.code !== 0 || major === undefined) {
        throw new StackError(
          'TOOL_MISSING',
          `${service}: java not found at ${binary}. Install a JDK (apt-get install openjdk-17-jdk-headless) ` +
            `or point ${envVar} at one.`,
          { service, context: { configKey: envVar } },
        );
      }
      return major;
    });
    javaChecks.set(binary, check);
  }
  return check.then((major) => {
    if (major < minMajor) {
      throw new StackError(
        'TOOL_MISSING',
        `${service}: needs Java ${minMajor} or newer but ${binary} is Java ${major}. Point ${envVar} at a newer JDK.`,
        { service, context: { configKey: envVar } },
      );
    }
    return major;
  });
}

const DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1';

/** Maven's local repository is not safe for concurrent writers: downloads run one at a time. */
let mavenQueue: Promise<unknown> = Promise.resolve();

/** Looks at Maven's output to tell "no network / not on Central" from other failures. */
export function describeMavenFailure(output: string): { offline: boolean; summary: string } {
  const offline =
    /Could not transfer|UnknownHost|Connection refused|Connect to .* failed|Network is unreachable|name resolution|timed out|offline mode/i.test(
      output,
    );
  const errorLine =
    output
      .split('\n')
      .map((l) => l.replace(/\x1b\[[0-9;]*m/g, '').trim())
      .find((l) => l.startsWith('[ERROR]')) ?? output.trim().split('\n').slice(-1)[0];
  return { offline, summary: errorLine ?? '' };
}

/**
 * Copies a pom's dependencies into outDir with `mvn -B -q ... copy-dependencies`, unless outDir already
 * holds a complete copy for the same pom (a stamp with the pom's hash): a warm cache needs no network and no mvn.
 */
export async function resolveMaven(options: {
  service: string;
  mvn: string;
  pom: string;
  outDir: string;
  includeScope?: string;
  log: (message: string) => void;
}): Promise<'cached' | 'downloaded'> {
  const pomHash = createHash('sha256').update(readFileSync(options.pom)).digest('hex');
  const stamp = join(options.outDir, '.complete');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === pomHash) return 'cached';
  const task = mavenQueue.then(async () => {
    // Two services sharing one cache folder (kafka, kafka-dr) both queue on a cold cache: the second finds
    // the first one's download done, and must not delete jars a running JVM is loading.
    if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === pomHash) return 'cached' as const;
    rmSync(options.outDir, { recursive: true, force: true });
    mkdirSync(options.outDir, { recursive: true });
    options.log(`resolving ${options.pom} with Maven (first run downloads from Maven Central)`);
    const args = [
      '-B',
      '-q',
      '-f',
      options.pom,
      `${DEPENDENCY_PLUGIN}:copy-dependencies`,
      `-DoutputDirectory=${options.outDir}`,
    ];
    if (options.includeScope !== undefined) args.push(`-DincludeScope=${options.includeScope}`);
    const result = await run(options.mvn, args, { timeoutMs: 900_000 });
    if (result === undefined) {
      throw new StackError(
        'TOOL_MISSING',
        `${options.service}: Maven (\`${options.mvn}\`) not found; it is needed once to download the jars. ` +
          'Install it (apt-get install maven) or set ADLAKE_MVN.',
        { service: options.service, context: { configKey: 'ADLAKE_MVN' } },
      );
    }
    if (result.code !== 0) {
      rmSync(options.outDir, { recursive: true, force: true });
      const { offline, summary } = describeMavenFailure(result.output);
      throw new StackError(
        'DOWNLOAD_FAILED',
        offline
          ? `${options.service}: the download cache is cold and Maven Central cannot be reached (${summary}). ` +
              'Connect to the network once and rerun `npm run stack -- up`; later runs need no network.'
          : `${options.service}: Maven failed to resolve ${options.pom}: ${summary}`,
        { service: options.service, retriable: offline, context: { file: options.pom } },
      );
    }
    writeFileSync(stamp, `${pomHash}\n`);
    return 'downloaded' as const;
  });
  mavenQueue = task.catch(() => undefined);
  return task;
}
