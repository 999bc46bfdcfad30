// Checks every schema of a workspace against its previous versions (git history, a directory snapshot or
// the registry) at its configured level, and turns the engine's pointers into file:line:col findings.
import { gitHistory, readFilesAt } from '../baseline/git.ts';
import type { GitReadCache } from '../baseline/git.ts';
import { checkCompatibility } from '../compat/check.ts';
import type { CompatFinding, CompatWarningFinding, PreviousVersion } from '../compat/check.ts';
import type { CompatibilityLevel } from '../compat/levels.ts';
import type { JsonPositions, LookupNamedType } from '@adlake/avro';
import { errorToFinding } from '../diagnostics/format.ts';
import type { Finding } from '../diagnostics/finding.ts';
import { GovernanceError, asGovernanceError } from '../errors.ts';
import { avroValidityFindings } from '../lint/lint.ts';
import { buildAvroTypes } from '../workspace/avro.ts';
import { joinPointer } from '@adlake/avro';
import { RegistryError, parseRegistered } from '@adlake/registry';
import type { SchemaRegistryClient } from '@adlake/registry';
import { bindingFor } from '../workspace/config.ts';
import { matchesPathSpec } from '../workspace/glob.ts';
import type { GovernanceConfig } from '../workspace/config.ts';
import { loadSchemaWorkspace } from '../workspace/load.ts';
import { standaloneSchema } from '../workspace/standalone.ts';
import { createSchemaWorkspace, namedTypeLookup } from '../workspace/workspace.ts';
import type { SchemaDoc, SchemaWorkspace } from '../workspace/workspace.ts';

export const BASELINES = ['git', 'dir', 'registry'] as const;
export type Baseline = (typeof BASELINES)[number];

export interface WorkspaceCompatOptions {
  /** Where previous versions come from; each is checked separately. */
  against: readonly Baseline[];
  /** A directory inside the git repository (for `git`); display paths are relative to it. */
  cwd: string;
  /** Newest commit counted as history; default: the merge base of HEAD with main. */
  base?: string;
  /** A snapshot of the schema tree (same relative paths), for `dir`. */
  baselineDir?: string;
  /** Built by the caller, for `registry`. */
  registry?: SchemaRegistryClient;
  /** Check every schema at this level instead of its configured one. */
  level?: CompatibilityLevel;
  /** Only schemas under these display paths (or globs); see `selectDocs`. */
  paths?: readonly string[];
  /** git answers shared by several checks in one process (the Nx batch executor's tasks). */
  gitCache?: GitReadCache;
}

export type SchemaStatus = 'new' | 'compatible' | 'incompatible';

export interface SchemaCompatReport {
  file: string;
  fullname: string;
  subject?: string;
  level: CompatibilityLevel;
  baseline: Baseline;
  status: SchemaStatus;
  /** Previous versions compared with. */
  versions: string[];
  /** What the registry itself said, for the registry baseline. */
  registry?: { level: CompatibilityLevel; compatible: boolean; messages: string[] };
}

export interface WorkspaceCompatResult {
  compatible: boolean;
  reports: SchemaCompatReport[];
  /** Incompatibilities and warnings, positioned in the files a developer edits. */
  findings: Finding[];
  /** Problems with the input itself (unparseable files, unknown names): the check could not be trusted. */
  inputErrors: Finding[];
}

export async function checkWorkspaceCompatibility(
  workspace: SchemaWorkspace,
  config: GovernanceConfig,
  options: WorkspaceCompatOptions,
): Promise<WorkspaceCompatResult> {
  const docs = selectDocs(workspace, config, options);
  // A schema Avro refuses to parse has no verdict: reported under lint's rule ids, as lint would. avsc builds
  // only the schemas checked here and what they use (a namespace's task need not build the whole tree).
  const inputErrors = avroValidityFindings(workspace, { avro: buildAvroTypes(workspace, { only: docs }) });
  const result: WorkspaceCompatResult = { compatible: true, reports: [], findings: [], inputErrors };
  if (inputErrors.length > 0) {
    result.compatible = false;
    return result;
  }
  const sources: Record<Baseline, () => Promise<Map<SchemaDoc, PreviousVersion[] | null>>> = {
    git: () => gitVersions(workspace, docs, options),
    dir: () => dirVersions(workspace, docs, options),
    registry: () => registryVersions(workspace, docs, config, options),
  };
  for (const baseline of options.against) {
    const previousByDoc = await sources[baseline]();
    for (const doc of docs) {
      const previous = previousByDoc.get(doc);
      if (previous === undefined) continue; // not applicable (a shared type has no subject in the registry)
      const report = await checkOne(workspace, config, doc, baseline, previous, options, result);
      result.reports.push(report);
      if (report.status === 'incompatible') result.compatible = false;
    }
  }
  if (result.findings.some((f) => f.severity === 'error')) result.compatible = false;
  return result;
}

/**
 * Events, plus shared types no event uses. With paths: the events under them, and each shared type under
 * them checked against its own history. Events elsewhere that use such a type are not checked again here:
 * their own namespaces depend on this one, so `nx affected` runs them too.
 */
function selectDocs(
  workspace: SchemaWorkspace,
  config: GovernanceConfig,
  options: WorkspaceCompatOptions,
): SchemaDoc[] {
  const used = usedTypes(workspace);
  const isRoot = (doc: SchemaDoc): boolean => bindingFor(doc, config).kind === 'event' || !used.has(doc);
  const specs = options.paths ?? [];
  if (specs.length === 0) return workspace.docs.filter(isRoot);
  // The paths first: matching a document against the config costs more, and a task selects few documents.
  const under = workspace.docs.filter((doc) => specs.some((spec) => matchesPathSpec(doc.file, spec)));
  return [...under.filter(isRoot), ...under.filter((doc) => !isRoot(doc))];
}

const usedTypesOf = new WeakMap<SchemaWorkspace, ReadonlySet<SchemaDoc>>();

/** Documents some other document uses; a workspace never changes, so each is computed once. */
function usedTypes(workspace: SchemaWorkspace): ReadonlySet<SchemaDoc> {
  let used = usedTypesOf.get(workspace);
  if (used === undefined) {
    const set = new Set<SchemaDoc>();
    for (const doc of workspace.docs) for (const dep of workspace.dependenciesOf(doc)) set.add(dep);
    used = set;
    usedTypesOf.set(workspace, used);
  }
  return used;
}

async function checkOne(
  workspace: SchemaWorkspace,
  config: GovernanceConfig,
  doc: SchemaDoc,
  baseline: Baseline,
  previous: PreviousVersion[] | null,
  options: WorkspaceCompatOptions,
  result: WorkspaceCompatResult,
): Promise<SchemaCompatReport> {
  const binding = bindingFor(doc, config);
  const level = options.level ?? binding.compatibility;
  const report: SchemaCompatReport = {
    file: doc.file,
    fullname: doc.fullname ?? doc.file,
    ...(binding.subject === undefined ? {} : { subject: binding.subject }),
    level,
    baseline,
    status: 'new',
    versions: (previous ?? []).map((p) => p.version),
  };
  if (previous === null || previous.length === 0) return report;

  const lookup = namedTypeLookup(workspace);
  let local;
  try {
    local = checkCompatibility({ schema: doc.json, previous, level, lookupNamedType: lookup });
  } catch (caught) {
    const error = asGovernanceError(caught);
    if (error === undefined) throw caught;
    // A previous version the engine cannot read (malformed in history, say): say which, do not guess.
    result.findings.push({
      ...errorToFinding(error, doc.file),
      id: 'BASELINE_UNREADABLE',
      line: 1,
      column: 1,
    });
    report.status = 'incompatible';
    return report;
  }
  report.status = local.compatible ? 'compatible' : 'incompatible';
  for (const f of [...local.findings, ...local.warnings]) result.findings.push(toFinding(workspace, doc, f));

  if (baseline === 'registry' && options.registry !== undefined && binding.subject !== undefined) {
    await compareWithRegistry(
      workspace,
      doc,
      binding.subject,
      level,
      previous,
      local.compatible,
      options.registry,
      report,
      result,
    );
  }
  return report;
}

/** Asks the registry for its own verdict; a disagreement with ours fails the check, since one of us is wrong. */
async function compareWithRegistry(
  workspace: SchemaWorkspace,
  doc: SchemaDoc,
  subject: string,
  level: CompatibilityLevel,
  previous: PreviousVersion[],
  localCompatible: boolean,
  registry: SchemaRegistryClient,
  report: SchemaCompatReport,
  result: WorkspaceCompatResult,
): Promise<void> {
  const registryLevel =
    (await registry.getCompatibilityLevel(subject)) ?? (await registry.getCompatibilityLevel()) ?? 'BACKWARD';
  const answer = await registryVerdict(registry, subject, JSON.stringify(standaloneSchema(workspace, doc)));
  if (answer === null) return;
  report.registry = { level: registryLevel, compatible: answer.compatible, messages: answer.messages };
  const root = doc.positions.positionOf('');
  if (registryLevel !== level) {
    result.findings.push({
      file: doc.file,
      line: root.line,
      column: root.column,
      id: 'COMPATIBILITY_LEVEL_DRIFT',
      severity: 'warning',
      path: '',
      message: `subject "${subject}" is checked at ${level} here but the registry enforces ${registryLevel}; align the config or the registry`,
    });
  }
  // Compare like with like: our verdict at the level the registry applies.
  const ours =
    registryLevel === level
      ? localCompatible
      : checkCompatibility({
          schema: doc.json,
          previous,
          level: registryLevel,
          lookupNamedType: namedTypeLookup(workspace),
        }).compatible;
  if (ours !== answer.compatible) {
    const said = answer.messages.length > 0 ? `: ${answer.messages.join('; ')}` : '';
    result.findings.push({
      file: doc.file,
      line: root.line,
      column: root.column,
      id: 'REGISTRY_VERDICT_MISMATCH',
      severity: 'error',
      path: '',
      message: `at ${registryLevel}, the local check says ${ours ? 'compatible' : 'incompatible'} but the registry says ${answer.compatible ? 'compatible' : 'incompatible'} for subject "${subject}"${said}`,
    });
    report.status = 'incompatible';
  }
}

/**
 * The registry's verdict. A 422 is a verdict too: the registry will not take the schema (Apicurio answers so
 * when Avro Java throws while resolving, e.g. for an ambiguous field match), so it is reported as
 * "incompatible" with the registry's words, and our own findings still say why.
 */
async function registryVerdict(
  registry: SchemaRegistryClient,
  subject: string,
  schema: string,
): Promise<{ compatible: boolean; messages: string[] } | null> {
  try {
    return await registry.testCompatibility(subject, schema);
  } catch (error) {
    if (
      error instanceof RegistryError &&
      error.code === 'REGISTRY_ERROR' &&
      error.context.httpStatus === 422
    ) {
      return { compatible: false, messages: [error.message] };
    }
    throw error;
  }
}

/** Engine findings point into a document or into a named type from another file; map either to its file. */
function toFinding(
  workspace: SchemaWorkspace,
  doc: SchemaDoc,
  f: CompatFinding | CompatWarningFinding,
): Finding {
  if (f.namedType !== undefined) {
    const def = workspace.lookupNamedType(f.namedType);
    if (def !== undefined) {
      return positionedFinding(
        def.doc.file,
        def.doc.positions,
        f,
        joinPointer(def.pointer, ...splitPointer(f.path)),
      );
    }
  }
  return positionedFinding(doc.file, doc.positions, f);
}

/** A compatibility finding at its line and column in `file`, with the version it was found against. */
export function positionedFinding(
  file: string,
  positions: JsonPositions,
  f: CompatFinding | CompatWarningFinding,
  pointer: string = f.path,
): Finding {
  const position = positions.positionOf(pointer);
  return {
    file,
    line: position.line,
    column: position.column,
    id: f.id,
    severity: f.severity,
    path: f.path,
    message: `${f.message} (${f.direction}, against ${f.against.source})`,
    against: f.against,
  };
}

function splitPointer(pointer: string): string[] {
  return pointer === ''
    ? []
    : pointer
        .slice(1)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The JSON of named types defined in other files, as the engine's lookup wants it. */
async function gitVersions(
  workspace: SchemaWorkspace,
  docs: readonly SchemaDoc[],
  options: WorkspaceCompatOptions,
): Promise<Map<SchemaDoc, PreviousVersion[]>> {
  const history = await gitHistory({
    cwd: options.cwd,
    files: docs.map((d) => d.file),
    ...(options.base === undefined ? {} : { base: options.base }),
    ...(options.gitCache === undefined ? {} : { cache: options.gitCache }),
  });
  // Named types of an old version are read as they were at that version's commit: each shared file once
  // per commit (one git call for all), parsed once per commit, whatever number of events use it.
  const depFiles = new Map<string, SchemaDoc>();
  for (const doc of docs)
    for (const dep of workspace.closureOf(doc)) if (dep !== doc) depFiles.set(dep.file, dep);
  const commits = new Set<string>();
  for (const versions of history.values()) for (const v of versions) commits.add(v.commit ?? 'HEAD');
  const pairs = [...commits].flatMap((commit) => [...depFiles.values()].map((dep) => ({ commit, dep })));
  const texts = await readFilesAt(
    options.cwd,
    pairs.map((p) => ({ commit: p.commit, file: p.dep.file })),
    options.gitCache,
  );
  const lookupAt = new Map<string, LookupNamedType>();
  for (const commit of commits) {
    // A type file that did not exist yet at that commit: fall back to today's definition.
    const sources = pairs.flatMap((p, i) =>
      p.commit === commit ? [{ file: p.dep.file, text: texts[i] ?? p.dep.text }] : [],
    );
    lookupAt.set(commit, layered(createSchemaWorkspace(sources), workspace));
  }
  const out = new Map<SchemaDoc, PreviousVersion[]>();
  for (const doc of docs) {
    const versions = history.get(doc.file) ?? [];
    out.set(
      doc,
      versions.map((v) => ({
        version: v.version,
        source: v.source,
        schema: safeParse(v.text),
        lookupNamedType: lookupAt.get(v.commit ?? 'HEAD') ?? namedTypeLookup(workspace),
      })),
    );
  }
  return out;
}

async function dirVersions(
  workspace: SchemaWorkspace,
  docs: readonly SchemaDoc[],
  options: WorkspaceCompatOptions,
): Promise<Map<SchemaDoc, PreviousVersion[]>> {
  if (options.baselineDir === undefined) {
    throw new GovernanceError('USAGE', 'the dir baseline needs --baseline-dir <directory>', {
      context: { configKey: '--baseline-dir' },
    });
  }
  const old = await loadSchemaWorkspace({ dir: options.baselineDir, displayRoot: options.cwd });
  const byRelPath = new Map(old.docs.map((d) => [d.relPath, d]));
  const out = new Map<SchemaDoc, PreviousVersion[]>();
  for (const doc of docs) {
    const before = byRelPath.get(doc.relPath);
    out.set(
      doc,
      before === undefined
        ? []
        : [
            {
              version: 'baseline',
              source: before.file,
              schema: before.json,
              lookupNamedType: layered(old, workspace),
            },
          ],
    );
  }
  return out;
}

async function registryVersions(
  workspace: SchemaWorkspace,
  docs: readonly SchemaDoc[],
  config: GovernanceConfig,
  options: WorkspaceCompatOptions,
): Promise<Map<SchemaDoc, PreviousVersion[] | null>> {
  const registry = options.registry;
  if (registry === undefined) {
    throw new GovernanceError(
      'USAGE',
      'the registry baseline needs --registry-url or AVRO_GOV_REGISTRY_URL',
      {
        context: { configKey: '--registry-url' },
      },
    );
  }
  const out = new Map<SchemaDoc, PreviousVersion[] | null>();
  for (const doc of docs) {
    const subject = bindingFor(doc, config).subject;
    if (subject === undefined) continue;
    const registered = await registry.getAllVersions(subject);
    const previous: PreviousVersion[] = [];
    for (const r of registered) {
      const references = new Map<string, unknown>();
      for (const ref of r.references) {
        const referenced = await registry.getVersion(ref.subject, ref.version);
        references.set(ref.name, parseRegistered(referenced.schema, subject, referenced.version));
      }
      previous.push({
        version: String(r.version),
        source: `registry:${subject}/versions/${r.version}`,
        schema: parseRegistered(r.schema, subject, r.version),
        lookupNamedType: (fullname) => references.get(fullname) ?? workspace.lookupNamedType(fullname)?.json,
      });
    }
    out.set(doc, previous);
  }
  return out;
}

/** Named types as they were, falling back to today's for a type that did not exist then. */
function layered(old: SchemaWorkspace, current: SchemaWorkspace): LookupNamedType {
  return (fullname) => old.lookupNamedType(fullname)?.json ?? current.lookupNamedType(fullname)?.json;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
