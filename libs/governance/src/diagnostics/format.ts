// Renders findings for people (text), machines (json) and GitHub Actions (workflow-command annotations),
// always in the same sorted order.

import type { Finding } from './finding.ts';
import { sortFindings } from './sort.ts';

export const FINDING_FORMATS = ['text', 'json', 'github'] as const;
export type FindingFormat = (typeof FINDING_FORMATS)[number];

/** Renders findings sorted by file, line, column; no trailing newline (empty string for no findings, `[]` in json). */
export function formatFindings(findings: readonly Finding[], format: FindingFormat): string {
  const sorted = sortFindings(findings);
  switch (format) {
    case 'text':
      return sorted.map(formatText).join('\n');
    case 'json':
      return JSON.stringify(sorted.map(toJsonObject), null, 2);
    case 'github':
      return sorted.map(formatGithub).join('\n');
  }
}

/** `schemas/x.avsc:12:7 FIELD_LOWER_SNAKE_CASE Field name "AdId" should be lower_snake_case.` */
export function formatText(f: Finding): string {
  // An error about no file in particular (a usage error, an unreachable registry) has no position to give.
  if (f.file === '') return `${f.id} ${f.message}`;
  return `${f.file}:${f.line}:${f.column} ${f.id} ${f.message}`;
}

/** The fields of a finding in a fixed key order; absent optional fields are omitted. */
export function toJsonObject(f: Finding): Record<string, unknown> {
  const out: Record<string, unknown> = {
    file: f.file,
    line: f.line,
    column: f.column,
    id: f.id,
    severity: f.severity,
  };
  if (f.category !== undefined) out.category = f.category;
  out.message = f.message;
  out.path = f.path;
  if (f.against !== undefined) out.against = { version: f.against.version, source: f.against.source };
  return out;
}

/** `::error file=…,line=…,col=…,title=ID::message` (GitHub Actions workflow command). */
export function formatGithub(f: Finding): string {
  const command = f.severity === 'warning' ? 'warning' : 'error';
  const position =
    f.file === '' ? [] : [`file=${escapeGithubProperty(f.file)}`, `line=${f.line}`, `col=${f.column}`];
  const props = [...position, `title=${escapeGithubProperty(f.id)}`].join(',');
  return `::${command} ${props}::${escapeGithubData(f.message)}`;
}

/** Escaping of a workflow command's message: `%`, CR and LF. */
export function escapeGithubData(value: string): string {
  return value.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

/** Escaping of a workflow command property value: as data, plus `:` and `,`. */
export function escapeGithubProperty(value: string): string {
  return escapeGithubData(value).replaceAll(':', '%3A').replaceAll(',', '%2C');
}

/**
 * A GovernanceError as a finding (id = the error code), so a CLI can print load and config errors in the same
 * formats as lint results. Errors without a file use `fallbackFile`.
 */
/** What the error base of each of our libraries carries: a stable code and, where known, the place at fault. */
export interface LocatedError {
  readonly code: string;
  readonly message: string;
  readonly context: {
    file?: string;
    line?: number;
    column?: number;
    path?: string;
    configKey?: string;
  };
}

export function errorToFinding(error: LocatedError, fallbackFile = ''): Finding {
  return {
    file: error.context.file ?? fallbackFile,
    line: error.context.line ?? 1,
    column: error.context.column ?? 1,
    id: error.code,
    message: error.message,
    path: error.context.path ?? error.context.configKey ?? '',
    severity: 'error',
  };
}
