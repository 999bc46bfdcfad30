// Public surface of diagnostics: the Finding shape, its ordering and its output formats.

export type { Finding, Severity } from './finding.ts';
export { compareFindings, sortFindings } from './sort.ts';
export {
  FINDING_FORMATS,
  errorToFinding,
  escapeGithubData,
  escapeGithubProperty,
  formatFindings,
  formatGithub,
  formatText,
  toJsonObject,
} from './format.ts';
export type { FindingFormat, LocatedError } from './format.ts';
