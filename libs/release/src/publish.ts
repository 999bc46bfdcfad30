// `publish` end to end, shared by the CLI and the Nx executor. First the runtime the event packages depend on
// (@adlake/event-runtime at the workspace's version): published when the registry lacks that version, skipped
// when it has it with the same sources, an error when it has it with others. Then per namespace: build the
// package, find what the last published version contains (its `adlake` metadata in the registry, and its
// schemas from its tarball when a schema changed), derive the version, pack, and publish unless a dry run.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { checkCompatibility, loadSchemaWorkspace, namedTypeLookup } from '@adlake/governance';
import { ReleaseError } from './errors.ts';
import type { SchemaWorkspace } from '@adlake/governance';
import { npmFailure, npmPack, npmView, runNpm, npmErrorCode } from './npm.ts';
import type { NpmTarget } from './npm.ts';
import { buildEventPackage, eventNamespaces, writePackageJson } from './package-build.ts';
import type { BuiltPackage, PackageMeta } from './package-build.ts';
import { buildRuntimePackage } from './runtime-build.ts';
import type { BuiltRuntime } from './runtime-build.ts';
import { bumpFor, classifySchemaChange, isSemver, nextVersion } from './version.ts';
import type { Bump, SchemaChange } from './version.ts';
import { loadReleaseWorkspace } from './workspace.ts';
import type { ReleaseWorkspaceOptions } from './workspace.ts';

const exec = promisify(execFile);

export const DEFAULT_PACKAGES_DIR = 'dist/packages';

export interface PublishOptions extends ReleaseWorkspaceOptions {
  npm: NpmTarget;
  /** Build output, relative to cwd (default dist/packages): <outDir>/<namespace>/package and the tarball. */
  outDir?: string | undefined;
  packageNamePattern?: string | undefined;
  /** Only these namespaces (default: every namespace with events). */
  namespaces?: readonly string[] | undefined;
  longs?: 'number' | 'bigint';
  /** Pack, do not publish. */
  dryRun?: boolean;
  /** Publish the event packages at exactly this version instead of the derived one (not the runtime). */
  version?: string | undefined;
  /** The @adlake/event-runtime package folder to build and publish (default: the installed one). */
  runtimeSource?: string | undefined;
  /** The first version of a package never published (default 1.0.0). */
  initialVersion?: string | undefined;
  log?: (line: string) => void;
}

export interface PublishOutcome {
  name: string;
  /** `runtime`: @adlake/event-runtime, handled before the event packages. */
  kind: 'runtime' | 'events';
  /** The namespace of an event package. */
  namespace?: string;
  action: 'published' | 'packed' | 'skipped';
  version?: string;
  previous?: string;
  bump: Bump;
  changes: { fullname: string; change: SchemaChange }[];
  reason: string;
  tarball?: string;
}

export async function publishRelease(options: PublishOptions): Promise<PublishOutcome[]> {
  if (options.version !== undefined && !isSemver(options.version)) {
    throw new ReleaseError('USAGE', `--version: "${options.version}" is not a semantic version`, {
      context: { configKey: '--version' },
    });
  }
  const { workspace, config } = await loadReleaseWorkspace(options);
  const all = eventNamespaces(workspace, config);
  const selected =
    options.namespaces === undefined || options.namespaces.length === 0 ? all : [...options.namespaces];
  for (const ns of selected) {
    if (!all.includes(ns))
      throw new ReleaseError(
        'USAGE',
        `namespace "${ns}" has no event schemas (namespaces: ${all.join(', ')})`,
      );
  }
  const outDir = path.resolve(options.cwd, options.outDir ?? DEFAULT_PACKAGES_DIR);
  const log = (outcome: PublishOutcome): void =>
    options.log?.(
      `${outcome.name}: ${outcome.action}${outcome.version === undefined ? '' : ` ${outcome.version}`} (${outcome.reason})`,
    );
  // The event packages depend on exactly this runtime: it is in the registry before any of them is.
  const runtime = await buildRuntimePackage({
    outDir,
    ...(options.runtimeSource === undefined ? {} : { sourceDir: options.runtimeSource }),
  });
  const runtimeOutcome = await publishRuntime(runtime, options);
  log(runtimeOutcome);
  const outcomes: PublishOutcome[] = [runtimeOutcome];
  for (const namespace of selected) {
    const built = await buildEventPackage(workspace, config, namespace, {
      outDir,
      runtime,
      ...(options.packageNamePattern === undefined ? {} : { packageNamePattern: options.packageNamePattern }),
      ...(options.longs === undefined ? {} : { longs: options.longs }),
    });
    const outcome = await publishOne(workspace, built, options);
    log(outcome);
    outcomes.push(outcome);
  }
  return outcomes;
}

async function publishOne(
  workspace: SchemaWorkspace,
  built: BuiltPackage,
  options: PublishOptions,
): Promise<PublishOutcome> {
  const { npm } = options;
  const root = path.dirname(built.dir);
  const latest = await npmView(npm, built.name, root);
  const previousVersion = typeof latest?.['version'] === 'string' ? latest['version'] : undefined;
  const previousMeta = latest === null ? undefined : metaOf(built.name, previousVersion ?? '?', latest);
  const base = {
    name: built.name,
    kind: 'events' as const,
    namespace: built.namespace,
    ...(previousVersion === undefined ? {} : { previous: previousVersion }),
  };

  if (
    previousMeta !== undefined &&
    previousMeta.contentHash === built.meta.contentHash &&
    options.version === undefined
  ) {
    return {
      ...base,
      action: 'skipped',
      version: previousVersion,
      bump: 'none',
      changes: [],
      reason: `nothing changed since ${previousVersion}`,
    };
  }
  const changes = await schemaChanges(workspace, built, previousMeta, previousVersion, npm);
  const contentChanged = previousMeta?.contentHash !== built.meta.contentHash;
  const bump =
    previousMeta === undefined
      ? 'minor'
      : bumpFor(
          changes.map((c) => c.change),
          contentChanged,
        );
  const version =
    options.version ??
    nextVersion(previousVersion, bump, options.initialVersion ?? '1.0.0') ??
    previousVersion ??
    '1.0.0';
  const summary = describeChanges(changes, previousVersion, bump);

  // The version may exist already: the same content is done, different content is a conflict.
  const existing = await npmView(npm, `${built.name}@${version}`, root);
  if (existing !== null) {
    const meta = metaOf(built.name, version, existing);
    if (meta.contentHash === built.meta.contentHash) {
      return {
        ...base,
        action: 'skipped',
        version,
        bump,
        changes,
        reason: `${version} is already published with this content`,
      };
    }
    throw conflict(built.name, version, npm.registry);
  }

  writePackageJson(built.dir, { ...built.packageJson, version });
  const shipped = await packAndPublish(npm, built.dir, root, `${built.name}@${version}`, options.dryRun, {
    // Someone published this version meanwhile: fine if it is ours.
    sameContent: async () => {
      const now = await npmView(npm, `${built.name}@${version}`, root);
      return now !== null && metaOf(built.name, version, now).contentHash === built.meta.contentHash;
    },
    conflict: () => conflict(built.name, version, npm.registry),
  });
  const after = { ...base, version, bump, changes, tarball: shipped.tarball };
  switch (shipped.action) {
    case 'packed':
      return { ...after, action: 'packed', reason: `dry run, ${summary}` };
    case 'concurrent':
      return {
        ...after,
        action: 'skipped',
        reason: `${version} was published concurrently with this content`,
      };
    default:
      return { ...after, action: 'published', reason: summary };
  }
}

/**
 * @adlake/event-runtime at the workspace's version: published when the registry lacks it, skipped when it holds
 * the same sources. The same version with other sources means the runtime changed without a new version.
 */
async function publishRuntime(runtime: BuiltRuntime, options: PublishOptions): Promise<PublishOutcome> {
  const { npm } = options;
  const root = path.dirname(runtime.dir);
  const spec = `${runtime.name}@${runtime.version}`;
  const base = {
    name: runtime.name,
    kind: 'runtime' as const,
    version: runtime.version,
    bump: 'none' as const,
    changes: [],
  };
  const same = (manifest: Record<string, unknown> | null): boolean => {
    const meta = manifest?.['adlake'] as { sourceHash?: unknown } | undefined;
    return meta?.sourceHash === runtime.meta.sourceHash;
  };
  const existing = await npmView(npm, spec, root);
  if (existing !== null) {
    if (same(existing)) {
      return {
        ...base,
        action: 'skipped',
        reason: `${runtime.version} is already published with these sources`,
      };
    }
    throw runtimeChanged(spec, npm.registry);
  }
  const shipped = await packAndPublish(npm, runtime.dir, root, spec, options.dryRun, {
    sameContent: async () => same(await npmView(npm, spec, root)),
    conflict: () => runtimeChanged(spec, npm.registry),
  });
  switch (shipped.action) {
    case 'packed':
      return {
        ...base,
        action: 'packed',
        tarball: shipped.tarball,
        reason: `dry run, ${runtime.version} is not in the registry yet`,
      };
    case 'concurrent':
      return {
        ...base,
        action: 'skipped',
        tarball: shipped.tarball,
        reason: `${runtime.version} was published concurrently with these sources`,
      };
    default:
      return {
        ...base,
        action: 'published',
        tarball: shipped.tarball,
        reason: `${runtime.version} was not in the registry`,
      };
  }
}

function runtimeChanged(spec: string, registry: string): ReleaseError {
  return new ReleaseError(
    'REGISTRY_ERROR',
    `${spec} is already published at ${registry} with other sources: the runtime changed without a new version. Bump "version" in libs/event-runtime/package.json (and the workspace packages that depend on it), then publish again`,
  );
}

/**
 * Packs `dir` into `<root>/tarball` and publishes the tarball unless a dry run. When npm says the version
 * exists (another job got there first), `sameContent` decides: `concurrent` if it is ours, else `conflict()`.
 */
async function packAndPublish(
  npm: NpmTarget,
  dir: string,
  root: string,
  spec: string,
  dryRun: boolean | undefined,
  exists: { sameContent: () => Promise<boolean>; conflict: () => ReleaseError },
): Promise<{ action: 'published' | 'packed' | 'concurrent'; tarball: string }> {
  const tarballs = path.join(root, 'tarball');
  rmSync(tarballs, { recursive: true, force: true });
  mkdirSync(tarballs, { recursive: true });
  const packed = await npmPack(npm, dir, tarballs, root);
  if (dryRun === true) return { action: 'packed', tarball: packed.tarball };
  const result = await runNpm(
    npm,
    ['publish', packed.tarball, '--access', 'public', '--tag', 'latest'],
    root,
  );
  if (result.code === 0) return { action: 'published', tarball: packed.tarball };
  const code = npmErrorCode(result);
  if (
    code === 'EPUBLISHCONFLICT' ||
    (code === 'E403' &&
      /previously published|cannot publish over|already (present|exists)/i.test(result.stderr))
  ) {
    if (await exists.sameContent()) return { action: 'concurrent', tarball: packed.tarball };
    throw exists.conflict();
  }
  throw npmFailure(spec, 'publish', npm, result);
}

function conflict(name: string, version: string, registry: string): ReleaseError {
  return new ReleaseError(
    'REGISTRY_ERROR',
    `package ${name}@${version} is already published at ${registry} with different content; a published version never changes: publish a new version (drop --version, or pass a higher one)`,
  );
}

function metaOf(name: string, version: string, manifest: Record<string, unknown>): PackageMeta {
  const meta = manifest['adlake'] as Partial<PackageMeta> | undefined;
  if (meta === undefined || typeof meta.contentHash !== 'string' || !Array.isArray(meta.events)) {
    throw new ReleaseError(
      'REGISTRY_ERROR',
      `package ${name}@${version} was not published by avro-gov publish (no "adlake" metadata), so what changed since cannot be told; publish a new major with --version`,
    );
  }
  return meta as PackageMeta;
}

/** Each event's change since the previous package; schemas are read from its tarball only when needed. */
async function schemaChanges(
  workspace: SchemaWorkspace,
  built: BuiltPackage,
  previous: PackageMeta | undefined,
  previousVersion: string | undefined,
  npm: NpmTarget,
): Promise<{ fullname: string; change: SchemaChange }[]> {
  const before = new Map((previous?.events ?? []).map((e) => [e.fullname, e]));
  const after = new Map(built.meta.events.map((e) => [e.fullname, e]));
  const names = [...new Set([...before.keys(), ...after.keys()])].sort();
  const needsOld = names.some((n) => {
    const b = before.get(n);
    const a = after.get(n);
    return b !== undefined && a !== undefined && b.canonical !== a.canonical;
  });
  let old: SchemaWorkspace | undefined;
  if (needsOld && previousVersion !== undefined)
    old = await publishedSchemas(npm, built.name, previousVersion);
  return names.map((fullname) => {
    const b = before.get(fullname);
    const a = after.get(fullname);
    let compatibleSomewhere: boolean | undefined;
    if (b !== undefined && a !== undefined && b.canonical !== a.canonical && old !== undefined) {
      compatibleSomewhere = compatibleAtSomeLevel(workspace, old, fullname);
    }
    return { fullname, change: classifySchemaChange(b, a, compatibleSomewhere) };
  });
}

/** A change allowed at BACKWARD or at FORWARD is compatible; one neither allows needs NONE. */
function compatibleAtSomeLevel(current: SchemaWorkspace, old: SchemaWorkspace, fullname: string): boolean {
  const now = current.docForFullname(fullname);
  const then = old.docForFullname(fullname);
  if (now === undefined || then === undefined) return false;
  const previous = [
    { version: 'published', source: 'npm', schema: then.json, lookupNamedType: namedTypeLookup(old) },
  ];
  return (['BACKWARD', 'FORWARD'] as const).some(
    (level) =>
      checkCompatibility({ schema: now.json, previous, level, lookupNamedType: namedTypeLookup(current) })
        .compatible,
  );
}

/** The schemas of a published version, from its tarball. */
async function publishedSchemas(npm: NpmTarget, name: string, version: string): Promise<SchemaWorkspace> {
  const dir = mkdtempSync(path.join(tmpdir(), 'avro-gov-published-'));
  try {
    const { tarball } = await npmPack(npm, `${name}@${version}`, dir, dir);
    await exec('tar', ['-xzf', tarball, '-C', dir]);
    return await loadSchemaWorkspace({ dir: path.join(dir, 'package', 'schemas'), displayRoot: dir });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function describeChanges(
  changes: readonly { fullname: string; change: SchemaChange }[],
  previous: string | undefined,
  bump: Bump,
): string {
  const changed = changes.filter((c) => c.change !== 'unchanged');
  const what =
    changed.length === 0
      ? 'package content changed'
      : changed.map((c) => `${c.fullname} ${c.change}`).join(', ');
  return previous === undefined ? `first release: ${what}` : `${bump} since ${previous}: ${what}`;
}
