// Small helpers shared by the commands: path selection and which findings mean "unreadable input".
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Finding } from '@adlake/governance';
import { GovernanceError, matchesPathSpec } from '@adlake/governance';

/** Findings that mean the input could not be read as Avro at all, rather than a rule being broken. */
const INPUT_FINDINGS = new Set([
  'FILE_PARSES_JSON',
  'FILE_PARSES_AVRO',
  'NAMED_TYPE_RESOLVES',
  'NO_REFERENCE_CYCLE',
  'FILE_NOT_FOUND',
  'CONFIG_INVALID',
]);

export function isInputFinding(finding: Finding): boolean {
  return INPUT_FINDINGS.has(finding.id);
}

/**
 * Command-line paths as display paths, each of which must exist: a mistyped path would otherwise select
 * nothing and pass silently. A glob (with `*` or `?`) is a pattern, not a path, and may match nothing.
 */
export function selectPaths(cwd: string, paths: readonly string[]): string[] {
  for (const p of paths) {
    if (/[*?]/.test(p)) continue;
    if (!existsSync(path.resolve(cwd, p))) {
      throw new GovernanceError('FILE_NOT_FOUND', `path "${p}" does not exist`, { context: { file: p } });
    }
  }
  return toDisplayPaths(cwd, paths);
}

/** Command-line paths as display paths (relative to cwd, forward slashes), the form findings use. */
export function toDisplayPaths(cwd: string, paths: readonly string[]): string[] {
  return paths.map((p) => path.relative(cwd, path.resolve(cwd, p)).split(path.sep).join('/') || '.');
}

/** True when no paths were given, or `file` lies under (or matches) one of them. */
export function underAny(file: string, specs: readonly string[]): boolean {
  return specs.length === 0 || specs.some((spec) => matchesPathSpec(file, spec));
}
