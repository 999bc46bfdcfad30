// What a lint or compat run prints, as text: the CLI and the Nx executor render results through these, so a
// task's output is the command's output.
import { formatFindings, toJsonObject } from '../diagnostics/format.ts';
import type { FindingFormat } from '../diagnostics/format.ts';
import type { Finding } from '../diagnostics/finding.ts';
import { sortFindings } from '../diagnostics/sort.ts';
import type { SchemaWorkspace } from '../workspace/workspace.ts';
import type { SchemaCompatReport, WorkspaceCompatResult } from './compat-workspace.ts';

/** A run's output: `stdout` is what a program parses (findings, JSON), `stderr` what a person reads. */
export interface RunOutput {
  stdout: string[];
  stderr: string[];
}

/** `avro-gov lint`'s output for findings already filtered to the paths asked for. */
export function lintOutput(
  workspace: SchemaWorkspace,
  findings: readonly Finding[],
  format: FindingFormat,
): RunOutput {
  const out: RunOutput = { stdout: [], stderr: [] };
  const text = formatFindings(findings, format);
  if (text.length > 0) out.stdout.push(text);
  if (format === 'text') {
    out.stderr.push(
      `${workspace.docs.length + workspace.unparsed.length} schema files, ${findings.length} findings`,
    );
  }
  return out;
}

/** `avro-gov compat`'s output in workspace mode: findings, then one line per schema checked. */
export function compatOutput(result: WorkspaceCompatResult, format: FindingFormat): RunOutput {
  const findings = [...result.inputErrors, ...result.findings];
  if (format === 'json') {
    const document = {
      compatible: result.compatible,
      reports: result.reports,
      findings: sortFindings(findings).map(toJsonObject),
    };
    return { stdout: [JSON.stringify(document, null, 2)], stderr: [] };
  }
  const out: RunOutput = { stdout: [], stderr: result.reports.map(compatReportLine) };
  const text = formatFindings(findings, format);
  if (text.length > 0) out.stdout.push(text);
  return out;
}

function compatReportLine(r: SchemaCompatReport): string {
  const what =
    r.status === 'new'
      ? 'new (nothing to check against)'
      : `${r.status} with ${r.versions.length} version(s)`;
  const registry =
    r.registry === undefined
      ? ''
      : `; registry at ${r.registry.level} says ${r.registry.compatible ? 'compatible' : 'incompatible'}`;
  return `${r.file}: ${r.subject ?? r.fullname} ${r.level} vs ${r.baseline}: ${what}${registry}`;
}
