// The npm registry through the system npm CLI: always with an explicit --registry and a userconfig of our
// own (never the user's ~/.npmrc), and with inherited npm_config_* variables removed.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ReleaseError } from './errors.ts';

export const NPM_ENV = {
  registry: 'AVRO_GOV_NPM_REGISTRY',
  token: 'AVRO_GOV_NPM_TOKEN',
  userconfig: 'AVRO_GOV_NPM_USERCONFIG',
} as const;

export interface NpmTarget {
  registry: string;
  /** The npmrc every npm call uses. */
  userconfig: string;
  /** Removes a userconfig we wrote. */
  dispose(): void;
}

/**
 * The npm registry to publish to. `userconfig` (an npmrc holding the token) wins over `token`; without
 * either, npm runs with an empty userconfig (reads work, publishing fails with the registry's 401).
 */
export function resolveNpmTarget(options: {
  registry?: string | undefined;
  token?: string | undefined;
  userconfig?: string | undefined;
  env?: NodeJS.ProcessEnv;
}): NpmTarget {
  const env = options.env ?? process.env;
  const userconfig = options.userconfig ?? nonEmpty(env[NPM_ENV.userconfig]);
  let registry = options.registry ?? nonEmpty(env[NPM_ENV.registry]);
  if (registry === undefined && userconfig !== undefined) registry = registryIn(userconfig);
  if (registry === undefined) {
    throw new ReleaseError('USAGE', `no npm registry: pass --registry or set ${NPM_ENV.registry}`, {
      context: { configKey: NPM_ENV.registry },
    });
  }
  const url = registry.endsWith('/') ? registry : `${registry}/`;
  if (userconfig !== undefined) return { registry: url, userconfig, dispose: () => undefined };
  const dir = mkdtempSync(path.join(tmpdir(), 'avro-gov-npmrc-'));
  const file = path.join(dir, 'npmrc');
  const token = options.token ?? nonEmpty(env[NPM_ENV.token]);
  const lines = [`registry=${url}`];
  if (token !== undefined) lines.push(`${url.replace(/^https?:/, '')}:_authToken=${token}`);
  writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o600 });
  return { registry: url, userconfig: file, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function registryIn(npmrc: string): string | undefined {
  try {
    const line = readFileSync(npmrc, 'utf8')
      .split(/\r?\n/)
      .find((l) => /^\s*registry\s*=/.test(l));
    return line?.slice(line.indexOf('=') + 1).trim();
  } catch {
    return undefined;
  }
}

export interface NpmResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runNpm(target: NpmTarget, args: readonly string[], cwd: string): Promise<NpmResult> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_config_/i.test(k)) env[k] = v;
  env['npm_config_update_notifier'] = 'false';
  return new Promise((resolve) => {
    execFile(
      'npm',
      [
        ...args,
        '--registry',
        target.registry,
        '--userconfig',
        target.userconfig,
        '--no-audit',
        '--no-fund',
        // One quick retry: a CI step should fail in seconds, not minutes, when the registry is down.
        '--fetch-retries=1',
        '--fetch-retry-mintimeout=1000',
        '--fetch-retry-maxtimeout=5000',
      ],
      { cwd, env, timeout: 120_000, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr: error !== null && stderr === '' ? error.message : stderr });
      },
    );
  });
}

/** The npm error code (E404, E401, EPUBLISHCONFLICT, ...) in npm's output, if any. */
export function npmErrorCode(result: NpmResult): string | undefined {
  return (
    /npm (?:error|ERR!) code (E[A-Z0-9]+)/.exec(result.stderr)?.[1] ??
    /"code":\s*"(E[A-Z0-9]+)"/.exec(result.stdout)?.[1]
  );
}

/** npm's own error lines, for messages. */
export function npmErrorText(result: NpmResult): string {
  const lines = result.stderr
    .split(/\r?\n/)
    .filter(
      (l) =>
        /npm (error|ERR!)/.test(l) &&
        !/A complete log of this run|npm (error|ERR!) code |npm error\s*$/.test(l),
    )
    .map((l) => l.replace(/^npm (error|ERR!)\s*/, ''));
  return (
    (lines.length > 0 ? lines.slice(0, 6).join('; ') : result.stderr.trim().slice(0, 400)) ||
    `exit code ${result.code}`
  );
}

/** A failed npm call as a ReleaseError naming the package and what to do. */
export function npmFailure(
  packageName: string,
  what: string,
  target: NpmTarget,
  result: NpmResult,
): ReleaseError {
  const code = npmErrorCode(result);
  const hint =
    code === 'E401' || code === 'ENEEDAUTH'
      ? `; the npm registry wants credentials: set ${NPM_ENV.token} or pass --userconfig with a token`
      : code === 'E403'
        ? '; the npm registry refused it (no publish rights for this name, or the version exists)'
        : code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT'
          ? '; is the npm registry up?'
          : '';
  const unreachable =
    code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT' || code === 'ECONNRESET';
  return new ReleaseError(
    unreachable ? 'REGISTRY_UNREACHABLE' : 'REGISTRY_ERROR',
    `npm ${what} ${packageName} at ${target.registry} failed${code === undefined ? '' : ` (${code})`}: ${npmErrorText(result)}${hint}`,
    { retriable: unreachable },
  );
}

/** `npm view <spec> --json`: the manifest (for a bare name: the latest version's, plus `versions`), or null. */
export async function npmView(
  target: NpmTarget,
  spec: string,
  cwd: string,
): Promise<Record<string, unknown> | null> {
  const result = await runNpm(target, ['view', spec, '--json'], cwd);
  if (result.code !== 0) {
    if (npmErrorCode(result) === 'E404') return null;
    throw npmFailure(spec, 'view', target, result);
  }
  if (result.stdout.trim() === '') return null; // a version that does not exist
  const parsed = JSON.parse(result.stdout) as unknown;
  // A range matching several versions gives an array; we only ask for exact specs.
  const value = Array.isArray(parsed) ? parsed.at(-1) : parsed;
  return (value ?? null) as Record<string, unknown> | null;
}

/** `npm pack` of a directory or a published spec into `destination`; returns the tarball's path. */
export async function npmPack(
  target: NpmTarget,
  what: string,
  destination: string,
  cwd: string,
  options: { dryRun?: boolean } = {},
): Promise<{ tarball: string; files: string[] }> {
  const args = [
    'pack',
    what,
    '--json',
    '--pack-destination',
    destination,
    ...(options.dryRun === true ? ['--dry-run'] : []),
  ];
  const result = await runNpm(target, args, cwd);
  if (result.code !== 0) throw npmFailure(what, 'pack', target, result);
  const info = (JSON.parse(result.stdout) as { filename: string; files?: { path: string }[] }[])[0];
  if (info === undefined) throw npmFailure(what, 'pack', target, result);
  return { tarball: path.join(destination, info.filename), files: (info.files ?? []).map((f) => f.path) };
}
