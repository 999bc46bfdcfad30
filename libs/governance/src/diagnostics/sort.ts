// The one ordering of findings (file, line, column, then id and message) so every output format and every
// run lists them identically.

import type { Finding } from './finding.ts';

export function compareFindings(a: Finding, b: Finding): number {
  return (
    compare(a.file, b.file) ||
    a.line - b.line ||
    a.column - b.column ||
    compare(a.id, b.id) ||
    compare(a.message, b.message)
  );
}

export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(compareFindings);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
