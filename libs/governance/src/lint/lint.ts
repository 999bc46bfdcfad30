// Runs the lint rules over a workspace and applies the config's use/except/ignore/ignore_only, returning
// findings sorted by file, line and column.

import type { GovernanceError, GovernanceErrorCode } from '../errors.ts';
import type { Finding } from '../diagnostics/finding.ts';
import type { AvroBuildResult } from '../workspace/avro.ts';
import { buildAvroTypes } from '../workspace/avro.ts';
import type { GovernanceConfig } from '../workspace/config.ts';
import { bindingFor, checkConfigAgainstWorkspace, defaultConfig } from '../workspace/config.ts';
import { matchesPathSpec } from '../workspace/glob.ts';
import type { SchemaWorkspace } from '../workspace/workspace.ts';
import { compareFindings } from '../diagnostics/sort.ts';
import type { LintRuleId } from './catalog.ts';
import { ruleInfo, selectRules } from './catalog.ts';
import { DOC_RULES, collectNodes } from './rules.ts';

export interface LintOptions {
  /** A build result to reuse; by default avsc types are built here to catch what only avsc rejects. */
  avro?: AvroBuildResult;
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
  const selected = selectRules(config.lint.use, config.lint.except);
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

  if (selected.has('FILE_PARSES_AVRO')) {
    const avro = options.avro ?? buildAvroTypes(workspace);
    for (const problem of avro.problems) fromProblem(problem, supersedingRule(problem.message));
  }

  if (selected.has('CONFIG_MAPPING_RESOLVES')) {
    for (const problem of checkConfigAgainstWorkspace(config, workspace)) fromProblem(problem);
  }

  for (const doc of workspace.docs) {
    const nodes = collectNodes(doc);
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

  const kept = raw.filter((f) => selected.has(f.id) && !isIgnored(f, config));
  const reportedIds = new Set(kept.map((f) => `${f.file}\u0000${f.id}`));
  const out: Finding[] = [];
  for (const f of kept) {
    if (f.supersededBy && reportedIds.has(`${f.file}\u0000${f.supersededBy}`)) continue;
    const { supersededBy: _s, relPath: _r, ...plain } = f;
    out.push(plain);
  }
  return out.sort(compareFindings);
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
