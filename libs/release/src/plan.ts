// The register plan: for every subject, what the registry has, what the workspace wants, and what apply will
// do. Classification is pure (`classifySubject`); `buildRegisterPlan` gathers the facts from the registry.
import { checkCompatibility } from '@adlake/governance';
import type { CompatibilityLevel, PreviousVersion, SchemaWorkspace } from '@adlake/governance';
import { parseRegistered } from '@adlake/registry';
import type { SchemaReference, SchemaRegistryClient } from '@adlake/registry';
import { definedNamedTypes } from '@adlake/avro';
import type { JsonValue } from '@adlake/avro';
import { contentSha256 } from './stable-json.ts';
import type { RegistrationUnit } from './units.ts';

export const PLAN_STATUSES = [
  'unchanged',
  'level-drift',
  'new-subject',
  'new-version',
  'incompatible',
] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

/** The facts `classifySubject` decides from. */
export interface SubjectFacts {
  /** False when the registry has no such subject. */
  exists: boolean;
  /** The latest registered version has the same content (docs and defaults included) as the workspace. */
  sameContent: boolean;
  /** The references apply would send differ from the latest version's (a referenced type changed). */
  referencesChanged: boolean;
  /** Our engine's verdict against the registered versions at the configured level; undefined if not run. */
  compatible: boolean | undefined;
  configuredLevel: CompatibilityLevel;
  /** The level the registry applies to the subject (its own, else the global one). */
  registryLevel: CompatibilityLevel;
}

export interface Classification {
  status: PlanStatus;
  /** Apply sets the subject's level (PUT /config/{subject}) to the configured one. */
  setLevel: boolean;
  /** Apply registers a new version (or the first one). */
  register: boolean;
}

export function classifySubject(facts: SubjectFacts): Classification {
  const drift = facts.configuredLevel !== facts.registryLevel;
  if (!facts.exists) return { status: 'new-subject', setLevel: drift, register: true };
  if (facts.sameContent && !facts.referencesChanged) {
    return { status: drift ? 'level-drift' : 'unchanged', setLevel: drift, register: false };
  }
  if (facts.compatible === false) return { status: 'incompatible', setLevel: false, register: false };
  return { status: 'new-version', setLevel: drift, register: true };
}

export interface PlanEntry {
  subject: string;
  kind: 'event' | 'type';
  fullname: string;
  file: string;
  status: PlanStatus;
  register: boolean;
  setLevel: boolean;
  configuredLevel: CompatibilityLevel;
  registryLevel: CompatibilityLevel;
  /** The latest registered version, if any. */
  latest?: { version: number; id: number };
  /** Why it is not unchanged: what differs, or the incompatibilities found. */
  reasons: string[];
  fingerprint: { rabin: string; sha256: string };
  contentSha256: string;
  references: { name: string; subject: string }[];
}

export interface RegisterPlan {
  registryUrl: string;
  globalLevel: CompatibilityLevel;
  entries: PlanEntry[];
}

export function planSummary(plan: RegisterPlan): Record<PlanStatus, number> {
  const counts = Object.fromEntries(PLAN_STATUSES.map((s) => [s, 0])) as Record<PlanStatus, number>;
  for (const e of plan.entries) counts[e.status]++;
  return counts;
}

/**
 * Reads what the registry has for every unit and classifies it. Units come in dependency order, so a
 * referenced subject is classified before the subjects that reference it.
 */
export async function buildRegisterPlan(
  workspace: SchemaWorkspace,
  units: readonly RegistrationUnit[],
  registry: SchemaRegistryClient,
): Promise<RegisterPlan> {
  const globalLevel = (await registry.getCompatibilityLevel()) ?? 'BACKWARD';
  const entries: PlanEntry[] = [];
  const bySubject = new Map<string, PlanEntry>();
  for (const unit of units) {
    const versions = (await registry.listVersions(unit.subject)) ?? [];
    const registered = [];
    for (const v of versions) registered.push(await registry.getVersion(unit.subject, v));
    const latest = registered.at(-1);
    const registryLevel = (await registry.getCompatibilityLevel(unit.subject)) ?? globalLevel;
    const reasons: string[] = [];
    const sameContent =
      latest !== undefined &&
      contentSha256(parseRegistered(latest.schema, unit.subject, latest.version)) === unit.contentSha256;
    if (latest !== undefined && !sameContent) {
      reasons.push(`schema differs from version ${latest.version}`);
    }
    const referencesChanged =
      latest !== undefined && referencesDiffer(unit, latest.references, bySubject, reasons);
    let compatible: boolean | undefined;
    if (latest !== undefined && (!sameContent || referencesChanged)) {
      const previous = await previousVersions(workspace, unit.subject, registered, registry);
      const result = checkCompatibility({
        schema: unit.json,
        previous,
        level: unit.level,
        lookupNamedType: (n) => workspace.lookupNamedType(n)?.json,
      });
      compatible = result.compatible;
      for (const f of result.findings)
        reasons.push(`${f.id} ${f.message} (${f.direction}, against ${f.against.source})`);
    }
    const c = classifySubject({
      exists: latest !== undefined,
      sameContent,
      referencesChanged,
      compatible,
      configuredLevel: unit.level,
      registryLevel,
    });
    if (c.setLevel) reasons.push(`level ${registryLevel} in the registry, ${unit.level} configured`);
    const entry: PlanEntry = {
      subject: unit.subject,
      kind: unit.kind,
      fullname: unit.fullname,
      file: unit.file,
      status: c.status,
      register: c.register,
      setLevel: c.setLevel,
      configuredLevel: unit.level,
      registryLevel,
      ...(latest === undefined ? {} : { latest: { version: latest.version, id: latest.id } }),
      reasons,
      fingerprint: { rabin: unit.fingerprint.rabin, sha256: unit.fingerprint.sha256 },
      contentSha256: unit.contentSha256,
      references: unit.references,
    };
    entries.push(entry);
    bySubject.set(unit.subject, entry);
  }
  return { registryUrl: registry.url, globalLevel, entries };
}

/** The references apply would send, versus the latest version's: same names, subjects and versions? */
function referencesDiffer(
  unit: RegistrationUnit,
  registered: readonly SchemaReference[],
  planned: ReadonlyMap<string, PlanEntry>,
  reasons: string[],
): boolean {
  const before = new Map(registered.map((r) => [r.name, r]));
  let differs = registered.length !== unit.references.length;
  for (const ref of unit.references) {
    const dep = planned.get(ref.subject);
    const old = before.get(ref.name);
    if (old === undefined || old.subject !== ref.subject) {
      differs = true;
      continue;
    }
    if (dep === undefined || dep.register || dep.latest?.version !== old.version) {
      reasons.push(`references ${ref.name} (${ref.subject}), which changes`);
      differs = true;
    }
  }
  if (differs && !reasons.some((r) => r.startsWith('references')))
    reasons.push('its schema references change');
  return differs;
}

/** Registered versions as the engine wants them, each read with the referenced types it was registered with. */
async function previousVersions(
  workspace: SchemaWorkspace,
  subject: string,
  registered: readonly { version: number; schema: string; references: SchemaReference[] }[],
  registry: SchemaRegistryClient,
): Promise<PreviousVersion[]> {
  const out: PreviousVersion[] = [];
  for (const r of registered) {
    const types = new Map<string, unknown>();
    await collectReferences(r.references, registry, types, new Set());
    out.push({
      version: String(r.version),
      source: `registry:${subject}/versions/${r.version}`,
      schema: parseRegistered(r.schema, subject, r.version),
      lookupNamedType: (fullname) => types.get(fullname) ?? workspace.lookupNamedType(fullname)?.json,
    });
  }
  return out;
}

/** Every named type the references define, transitively, by fullname (nested named types included). */
async function collectReferences(
  references: readonly SchemaReference[],
  registry: SchemaRegistryClient,
  types: Map<string, unknown>,
  seen: Set<string>,
): Promise<void> {
  for (const ref of references) {
    const key = `${ref.subject}/${ref.version}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const referenced = await registry.getVersion(ref.subject, ref.version);
    const json = parseRegistered(referenced.schema, ref.subject, ref.version);
    for (const [fullname, node] of definedNamedTypes(json as JsonValue)) {
      if (!types.has(fullname)) types.set(fullname, node.json);
    }
    types.set(ref.name, types.get(ref.name) ?? json);
    await collectReferences(referenced.references, registry, types, seen);
  }
}
