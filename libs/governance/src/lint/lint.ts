// Runs the lint rules over a workspace and applies the config's use/except/ignore/ignore_only, returning
// findings sorted by file, line and column.

import { GovernanceError } from '../errors.ts';
import type { GovernanceErrorCode } from '../errors.ts';
import type { Finding } from '../diagnostics/finding.ts';
import type { AvroBuildResult } from '../workspace/avro.ts';
import { buildAvroTypes } from '../workspace/avro.ts';
import type { GovernanceConfig } from '../workspace/config.ts';
import { bindingFor, checkConfigAgainstWorkspace, defaultConfig } from '../workspace/config.ts';
import { matchesPathSpec } from '../workspace/glob.ts';
import type { SchemaDoc, SchemaWorkspace } from '../workspace/workspace.ts';
import { compareFindings } from '../diagnostics/sort.ts';
import type { LintRuleId } from './catalog.ts';
import { ruleInfo, selectRules } from './catalog.ts';
import { DOC_RULES, collectNodes } from './rules.ts';
import type { DocNodes } from './rules.ts';

export interface LintOptions {
  /** A build result to reuse; by default avsc types are built here to catch what only avsc rejects. */
  avro?: AvroBuildResult;
  /**
   * Only these files' findings are wanted: the per-file rules and avsc builds skip other documents (what they
   * depend on is still built). The findings of a selected file are those a whole-tree lint gives for it;
   * workspace-wide findings (problems while loading, the config's) are all returned, for the caller to filter.
   */
  select?: (file: string) => boolean;
}

/**
 * The rules whose findings mean "Avro itself refuses this schema" (Avro Java's parser, and so a registry, would
 * reject it): the MINIMAL rules about schema files, and the dedicated rules that report an avsc rejection more
 * precisely. `compat` refuses such schemas with these ids, so a schema is invalid under one name everywhere.
 */
const AVRO_VALIDITY_RULES: ReadonlySet<LintRuleId> = new Set<LintRuleId>([
  'FILE_PARSES_JSON',
  'FILE_PARSES_AVRO',
  'NAMED_TYPE_RESOLVES',
  'NAMED_TYPE_UNIQUE',
  'NO_REFERENCE_CYCLE',
  'FIELD_DEFAULT_MATCHES_TYPE',
  'ENUM_DEFAULT_VALID',
]);

/**
 * Only the findings that make a schema invalid Avro, whatever the workspace's lint config selects or ignores.
 * A rule that is stricter than Avro (ENUM_DEFAULT_VALID also wants a default where Avro accepts none) counts
 * only where avsc rejected the same value; everything avsc rejected is reported, under the dedicated rule or
 * as FILE_PARSES_AVRO.
 */
export function avroValidityFindings(workspace: SchemaWorkspace, options: LintOptions = {}): Finding[] {
  return lintWith(workspace, defaultConfig(), AVRO_VALIDITY_RULES, true, options);
}

/** A workspace with schemas Avro refuses; `findings` says which and where, as `lint` does. */
export class InvalidSchemaError extends GovernanceError {
  readonly findings: readonly Finding[];

  constructor(findings: readonly Finding[]) {
    const [first] = findings;
    const more = findings.length > 1 ? ` (and ${findings.length - 1} more)` : '';
    super('AVRO_INVALID', `${first?.id ?? ''} ${first?.message ?? ''}${more}`, {
      context: {
        ...(first === undefined
          ? {}
          : { file: first.file, line: first.line, column: first.column, path: first.path }),
      },
    });
    this.name = 'InvalidSchemaError';
    this.findings = findings;
  }
}

/** Throws InvalidSchemaError unless every schema is valid Avro: generation and release start from here. */
export function assertAvroValid(workspace: SchemaWorkspace, options: LintOptions = {}): void {
  const findings = avroValidityFindings(workspace, options);
  if (findings.length > 0) throw new InvalidSchemaError(findings);
}

const PROBLEM_RULES: Partial<Record<GovernanceErrorCode, LintRuleId>> = {
  JSON_SYNTAX: 'FILE_PARSES_JSON',
  AVRO_INVALID: 'FILE_PARSES_AVRO',
  UNKNOWN_NAMED_TYPE: 'NAMED_TYPE_RESOLVES',
  DUPLICATE_NAME: 'NAMED_TYPE_UNIQUE',
  REFERENCE_CYCLE: 'NO_REFERENCE_CYCLE',
  CONFIG_INVALID: 'CONFIG_MAPPING_RESOLVES',
};

interface RawFinding extends Finding {
  /** A more specific rule that, when it reports in the same file, makes this finding redundant. */
  supersededBy?: LintRuleId;
  /** Path relative to the schema root, for ignore matching (undefined: not subject to ignore). */
  relPath?: string;
}

/** Lints every schema in the workspace. Findings of rules not selected, or on ignored paths, are dropped. */
export function lintWorkspace(
  workspace: SchemaWorkspace,
  config: GovernanceConfig = defaultConfig(),
  options: LintOptions = {},
): Finding[] {
  return lintWith(workspace, config, selectRules(config.lint.use, config.lint.except), false, options);
}

function lintWith(
  workspace: SchemaWorkspace,
  config: GovernanceConfig,
  selected: ReadonlySet<string>,
  validityOnly: boolean,
  options: LintOptions,
): Finding[] {
  const raw: RawFinding[] = [];
  const relPaths = new Map<string, string>();
  for (const doc of workspace.docs) relPaths.set(doc.file, doc.relPath);
  for (const u of workspace.unparsed) relPaths.set(u.file, u.relPath);

  const fromProblem = (problem: GovernanceError, supersededBy?: LintRuleId): void => {
    const id = PROBLEM_RULES[problem.code] ?? 'FILE_PARSES_AVRO';
    const file = problem.context.file ?? '';
    raw.push({
      ...finding(
        id,
        file,
        problem.context.line ?? 1,
        problem.context.column ?? 1,
        problem.context.path ?? '',
        problem.message,
      ),
      relPath: relPaths.get(file),
      ...(supersededBy ? { supersededBy } : {}),
    });
  };

  for (const problem of workspace.problems) fromProblem(problem);

  /** Where avsc rejected a value that a dedicated rule reports: file, rule and pointer. */
  const avscRejections = new Set<string>();
  const only =
    options.select === undefined ? undefined : workspace.docs.filter((d) => options.select?.(d.file));
  if (selected.has('FILE_PARSES_AVRO')) {
    const avro = options.avro ?? buildAvroTypes(workspace, only === undefined ? {} : { only });
    for (const problem of avro.problems) {
      const rule = supersedingRule(problem.message);
      fromProblem(problem, rule);
      if (rule !== undefined) {
        avscRejections.add(`${problem.context.file ?? ''}\u0000${rule}\u0000${problem.context.path ?? ''}`);
      }
    }
  }

  if (!validityOnly && selected.has('CONFIG_MAPPING_RESOLVES')) {
    for (const problem of checkConfigAgainstWorkspace(config, workspace)) fromProblem(problem);
  }

  if (validityOnly) {
    // The same for every check of one workspace (its config is the default one); the Nx batch runs many.
    let byRules = validityRuleFindings.get(workspace);
    if (byRules === undefined) {
      byRules = docRuleFindings(workspace, config, selected);
      validityRuleFindings.set(workspace, byRules);
    }
    raw.push(...byRules);
  } else {
    raw.push(...docRuleFindings(workspace, config, selected, only));
  }

  const kept = raw.filter((f) => {
    if (!selected.has(f.id)) return false;
    if (!validityOnly) return !isIgnored(f, config);
    const stricterThanAvro = f.id === 'ENUM_DEFAULT_VALID';
    return !stricterThanAvro || avscRejections.has(`${f.file}\u0000${f.id}\u0000${f.path}`);
  });
  const reportedIds = new Set(kept.map((f) => `${f.file}\u0000${f.id}`));
  const out: Finding[] = [];
  for (const f of kept) {
    if (f.supersededBy && reportedIds.has(`${f.file}\u0000${f.supersededBy}`)) continue;
    const { supersededBy: _s, relPath: _r, ...plain } = f;
    out.push(plain);
  }
  return out.sort(compareFindings);
}

const validityRuleFindings = new WeakMap<SchemaWorkspace, readonly RawFinding[]>();
const nodesOf = new WeakMap<SchemaDoc, DocNodes>();

/** What the selected per-document rules report. A workspace and its documents never change after loading. */
function docRuleFindings(
  workspace: SchemaWorkspace,
  config: GovernanceConfig,
  selected: ReadonlySet<string>,
  docs: readonly SchemaDoc[] = workspace.docs,
): RawFinding[] {
  const raw: RawFinding[] = [];
  for (const doc of docs) {
    let nodes = nodesOf.get(doc);
    if (nodes === undefined) {
      nodes = collectNodes(doc);
      nodesOf.set(doc, nodes);
    }
    const binding = bindingFor(doc, config);
    for (const [id, check] of Object.entries(DOC_RULES)) {
      if (!selected.has(id) || !check) continue;
      check({
        doc,
        workspace,
        binding,
        nodes,
        report: (pointer, message) => {
          const at = doc.positions.positionOf(pointer);
          raw.push({ ...finding(id, doc.file, at.line, at.column, pointer, message), relPath: doc.relPath });
        },
      });
    }
  }
  return raw;
}

function finding(
  id: string,
  file: string,
  line: number,
  column: number,
  path: string,
  message: string,
): Finding {
  return {
    file,
    line,
    column,
    id,
    message,
    path,
    severity: 'error',
    category: ruleInfo(id)?.category ?? 'MINIMAL',
  };
}

/** avsc rejects some schemas for reasons a dedicated rule reports more precisely. */
function supersedingRule(message: string): LintRuleId | undefined {
  if (message.includes('incompatible field default')) return 'FIELD_DEFAULT_MATCHES_TYPE';
  if (/invalid .* default/.test(message)) return 'ENUM_DEFAULT_VALID';
  return undefined;
}

function isIgnored(f: RawFinding, config: GovernanceConfig): boolean {
  const path = f.relPath;
  if (path === undefined) return false;
  if (config.lint.ignore.some((spec) => matchesPathSpec(path, spec))) return true;
  const byId = config.lint.ignoreOnly[f.id] ?? [];
  const byCategory = f.category ? (config.lint.ignoreOnly[f.category] ?? []) : [];
  return [...byId, ...byCategory].some((spec) => matchesPathSpec(path, spec));
}
