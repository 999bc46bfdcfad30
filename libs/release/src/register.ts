// Apply of the register plan: one more compatibility check against the registry, then registration in
// dependency order with schema references, per-subject levels, and the manifest. Safe to rerun: the plan
// is rebuilt from the registry each time, so whatever a failed run registered counts as unchanged.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { checkWorkspaceCompatibility } from '@adlake/governance';
import type { GovernanceConfig, SchemaWorkspace, WorkspaceCompatResult } from '@adlake/governance';
import { ReleaseError } from './errors.ts';
import { RegistryError } from '@adlake/registry';
import type { SchemaReference, SchemaRegistryClient } from '@adlake/registry';
import type { PlanEntry, RegisterPlan } from './plan.ts';
import type { RegistrationUnit } from './units.ts';

export const DEFAULT_MANIFEST = 'dist/schema-manifest.json';

export interface ManifestEntry {
  subject: string;
  kind: 'event' | 'type';
  fullname: string;
  file: string;
  version: number;
  id: number;
  /** Parsing Canonical Form fingerprints (referenced types as names) and the full-content hash. */
  fingerprint: { rabin: string; sha256: string; content: string };
  references: SchemaReference[];
  compatibility: string;
}

export interface SchemaManifest {
  /** The registry's address, never its credentials. */
  registryUrl: string;
  entries: ManifestEntry[];
}

export interface ApplyResult {
  manifest: SchemaManifest;
  registered: { subject: string; version: number; id: number }[];
  levelsSet: string[];
}

export interface ApplyOptions {
  cwd: string;
  /** Progress lines (stderr in the CLI). */
  log?: (line: string) => void;
}

/** Thrown by apply when the pre-registration check finds incompatibilities: nothing has been registered. */
export class RegisterBlockedError extends ReleaseError {
  readonly compat: WorkspaceCompatResult | undefined;
  readonly entries: PlanEntry[];
  constructor(message: string, entries: PlanEntry[], compat?: WorkspaceCompatResult) {
    super('REGISTRY_ERROR', message, {
      context: entries[0] === undefined ? {} : { subject: entries[0].subject },
    });
    this.name = 'RegisterBlockedError';
    this.entries = entries;
    this.compat = compat;
  }
}

export async function applyRegisterPlan(
  workspace: SchemaWorkspace,
  config: GovernanceConfig,
  units: readonly RegistrationUnit[],
  plan: RegisterPlan,
  registry: SchemaRegistryClient,
  options: ApplyOptions,
): Promise<ApplyResult> {
  const log = options.log ?? (() => undefined);
  const incompatible = plan.entries.filter((e) => e.status === 'incompatible');
  if (incompatible.length > 0) {
    throw new RegisterBlockedError(
      `incompatible with the registry, nothing registered: ${incompatible.map((e) => `"${e.subject}" (${e.file})`).join(', ')}`,
      incompatible,
    );
  }
  if (plan.entries.some((e) => e.register)) {
    // The last word before writing: the same check `avro-gov compat --against registry` runs, with the
    // registry's own verdict compared to ours.
    const compat = await checkWorkspaceCompatibility(workspace, config, {
      against: ['registry'],
      cwd: options.cwd,
      registry,
    });
    const errors = [...compat.inputErrors, ...compat.findings.filter((f) => f.severity === 'error')];
    if (!compat.compatible || errors.length > 0) {
      const files = new Set(errors.map((f) => f.file));
      const blocked = plan.entries.filter((e) => files.has(e.file));
      throw new RegisterBlockedError(
        `the compatibility check against the registry failed, nothing registered: ${errors
          .map((f) => `${f.file}:${f.line}:${f.column} ${f.id} ${f.message}`)
          .join('; ')}`,
        blocked,
        compat,
      );
    }
  }

  const unitBySubject = new Map(units.map((u) => [u.subject, u]));
  const done = new Map<string, ManifestEntry>();
  const registered: ApplyResult['registered'] = [];
  const levelsSet: string[] = [];
  for (const entry of plan.entries) {
    const unit = unitBySubject.get(entry.subject);
    if (unit === undefined) continue;
    const references: SchemaReference[] = unit.references.map((ref) => {
      const dep = done.get(ref.subject);
      if (dep === undefined) {
        throw new ReleaseError(
          'REGISTRY_ERROR',
          `subject "${entry.subject}" references "${ref.subject}", which was not registered first`,
          {
            context: { subject: entry.subject },
          },
        );
      }
      return { name: ref.name, subject: ref.subject, version: dep.version };
    });
    const existed = entry.latest !== undefined;
    // An existing subject gets its configured level before the new version, so the registry judges the new
    // version at that level; a new subject can only get one once it exists.
    if (entry.setLevel && existed) {
      await step(entry, 'set the compatibility level of', () =>
        registry.setCompatibilityLevel(entry.subject, entry.configuredLevel),
      );
      levelsSet.push(entry.subject);
      log(`${entry.subject}: compatibility ${entry.registryLevel} -> ${entry.configuredLevel}`);
    }
    let version: number;
    let id: number;
    if (entry.register) {
      await step(entry, 'register', () => registry.register(entry.subject, unit.schema, references));
      const found = await step(entry, 'look up the registration of', () =>
        registry.lookup(entry.subject, unit.schema, references),
      );
      if (found === null) {
        throw new ReleaseError(
          'REGISTRY_ERROR',
          `subject "${entry.subject}": the registry accepted the schema but cannot find it; rerun`,
          {
            retriable: true,
            context: { subject: entry.subject },
          },
        );
      }
      version = found.version;
      id = found.id;
      registered.push({ subject: entry.subject, version, id });
      log(`${entry.subject}: registered version ${version} (id ${id})`);
    } else {
      if (entry.latest === undefined)
        throw new Error(`plan entry ${entry.subject} has no registered version`);
      version = entry.latest.version;
      id = entry.latest.id;
    }
    if (entry.setLevel && !existed) {
      await step(entry, 'set the compatibility level of', () =>
        registry.setCompatibilityLevel(entry.subject, entry.configuredLevel),
      );
      levelsSet.push(entry.subject);
      log(`${entry.subject}: compatibility ${entry.configuredLevel}`);
    }
    done.set(entry.subject, {
      subject: entry.subject,
      kind: entry.kind,
      fullname: entry.fullname,
      file: entry.file,
      version,
      id,
      fingerprint: { ...entry.fingerprint, content: entry.contentSha256 },
      references,
      compatibility: entry.configuredLevel,
    });
  }
  return { manifest: { registryUrl: plan.registryUrl, entries: [...done.values()] }, registered, levelsSet };
}

/** Runs one registry call; a failure names the subject and says that a rerun finishes the job. */
async function step<T>(entry: PlanEntry, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof RegistryError)) throw error;
    const status = error.context.httpStatus;
    const hint =
      status === 401 || status === 403
        ? 'the registry rejected the credentials, or they may not register; check AVRO_GOV_REGISTRY_AUTH / AVRO_GOV_REGISTRY_TOKEN / AVRO_GOV_REGISTRY_CLIENT_ID or --registry-config'
        : status === 409
          ? `the registry refuses it as incompatible at its level; fix ${entry.file} or its compatibility config`
          : 'subjects registered before it stay registered; rerun to finish the rest';
    throw new ReleaseError(
      error.code,
      `could not ${what} subject "${entry.subject}" (${entry.file}): ${error.message}. ${hint}`,
      {
        cause: error,
        retriable: error.retriable,
        context: { ...error.context, subject: entry.subject, file: entry.file },
      },
    );
  }
}

/** Writes the manifest atomically (temp file, then rename), creating its directory. */
export async function writeManifest(file: string, manifest: SchemaManifest): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(temp, file);
}
