// The shape every lint rule and compatibility check reports, so one formatter serves both.

export type Severity = 'error' | 'warning';

export interface Finding {
  /** Path of the schema file relative to the workspace root, with forward slashes. */
  file: string;
  /** 1-based line and column of the JSON value the finding is about. */
  line: number;
  column: number;
  /** Stable id: a lint rule id (`FIELD_LOWER_SNAKE_CASE`) or an Avro compatibility error type (`TYPE_MISMATCH`). */
  id: string;
  message: string;
  /** JSON pointer into the schema document the position was derived from, e.g. `/fields/2/type`. */
  path: string;
  severity: Severity;
  /** Lint category (`MINIMAL`, `STYLE`, …); absent for compatibility findings. */
  category?: string;
  /** For compatibility findings: the earlier version this one was checked against. */
  against?: { version: string; source: string };
}
