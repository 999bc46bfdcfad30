// Checks a new schema against its previous versions at a Confluent compatibility level, and reports every
// incompatibility as a finding located in the new schema (the file a developer edits).
import { GovernanceError, asGovernanceError } from '../errors.ts';
import { levelPlan, type CompatibilityLevel, type Direction } from './levels.ts';
import { parseSchema, type LookupNamedType, type ParsedSchema } from '@adlake/avro';
import {
  checkParsed,
  type CompatErrorType,
  type CompatIssue,
  type CompatWarning,
  type CompatWarningType,
} from './reader-writer.ts';

export interface PreviousVersion {
  /** How the version is named to people: a registry version number, a git commit. */
  version: string;
  /** Where it came from: `registry:orders-value`, `git:main:schemas/Order.avsc`. */
  source: string;
  schema: unknown;
  /** Named types from other files as they were for this version; defaults to the input's `lookupNamedType`. */
  lookupNamedType?: LookupNamedType;
}

export interface CheckCompatibilityInput {
  schema: unknown;
  /** Oldest first; the last one is "the latest previous version". */
  previous: readonly PreviousVersion[];
  level: CompatibilityLevel;
  lookupNamedType?: LookupNamedType;
}

/** One incompatibility (or cause of one), located in the new and in the old schema. */
export interface LocatedIssue {
  id: CompatErrorType;
  message: string;
  /** JSON pointer into the new schema's document, or into `namedType`'s document when that is set. */
  path: string;
  /** Set when `path` is inside a named type defined in another file: that type's full name. */
  namedType?: string;
  /** JSON pointer into the old schema's document, or into `oldNamedType`'s. */
  oldPath: string;
  oldNamedType?: string;
  /** The same locations by role: for `backward` the new schema is the reader, for `forward` the writer. */
  readerPath: string;
  writerPath: string;
  causes?: LocatedIssue[];
}

export interface CompatFinding extends LocatedIssue {
  severity: 'error';
  direction: Direction;
  against: { version: string; source: string };
}

export interface CompatWarningFinding {
  id: CompatWarningType;
  severity: 'warning';
  message: string;
  path: string;
  namedType?: string;
  oldPath: string;
  oldNamedType?: string;
  direction: Direction;
  against: { version: string; source: string };
}

export interface CheckedPair {
  version: string;
  source: string;
  direction: Direction;
  compatible: boolean;
}

export interface CompatibilityResult {
  compatible: boolean;
  level: CompatibilityLevel;
  /** Every incompatibility against every version checked: latest version first, backward before forward. */
  findings: CompatFinding[];
  /** Advisories (logical type changes, ambiguous aliases); they never make the result incompatible. */
  warnings: CompatWarningFinding[];
  checked: CheckedPair[];
}

export const NEW_SCHEMA_LABEL = 'the new schema';

export function oldSchemaLabel(version: string): string {
  return `the old schema (version ${version})`;
}

export function checkCompatibility(input: CheckCompatibilityInput): CompatibilityResult {
  const plan = levelPlan(input.level);
  const versions = plan.transitive ? input.previous : input.previous.slice(-1);
  const result: CompatibilityResult = {
    compatible: true,
    level: input.level,
    findings: [],
    warnings: [],
    checked: [],
  };
  if (plan.directions.length === 0 || versions.length === 0) return result;

  const current = parse(input.schema, input.lookupNamedType);
  for (const previous of [...versions].reverse()) {
    const old = parseOld(previous, input.lookupNamedType);
    const against = { version: previous.version, source: previous.source };
    const oldLabel = oldSchemaLabel(previous.version);
    for (const direction of plan.directions) {
      const backward = direction === 'backward';
      const pair = backward
        ? checkParsed(current, old, {
            newSide: 'reader',
            readerLabel: NEW_SCHEMA_LABEL,
            writerLabel: oldLabel,
          })
        : checkParsed(old, current, {
            newSide: 'writer',
            readerLabel: oldLabel,
            writerLabel: NEW_SCHEMA_LABEL,
          });
      result.checked.push({ ...against, direction, compatible: pair.compatible });
      for (const issue of pair.issues) {
        result.findings.push({ ...locate(issue, backward), severity: 'error', direction, against });
      }
      for (const warning of pair.warnings) {
        result.warnings.push({
          ...locateWarning(warning, backward),
          severity: 'warning',
          direction,
          against,
        });
      }
    }
  }
  result.compatible = result.findings.length === 0;
  return result;
}

function parse(schema: unknown, lookupNamedType: LookupNamedType | undefined): ParsedSchema {
  return parseSchema(schema, lookupNamedType === undefined ? {} : { lookupNamedType });
}

function parseOld(previous: PreviousVersion, fallback: LookupNamedType | undefined): ParsedSchema {
  try {
    return parse(previous.schema, previous.lookupNamedType ?? fallback);
  } catch (caught) {
    const error = asGovernanceError(caught);
    if (error === undefined) throw caught;
    // Say which old version is broken: the message alone would suggest the new schema is.
    throw new GovernanceError(
      error.code,
      `version ${previous.version} (${previous.source}): ${error.message}`,
      {
        cause: error,
        context: error.context,
      },
    );
  }
}

interface Sides {
  path: string;
  namedType?: string;
  oldPath: string;
  oldNamedType?: string;
}

function sides(issue: CompatIssue | CompatWarning, newIsReader: boolean): Sides {
  const [path, namedType, oldPath, oldNamedType] = newIsReader
    ? [issue.readerPath, issue.readerNamedType, issue.writerPath, issue.writerNamedType]
    : [issue.writerPath, issue.writerNamedType, issue.readerPath, issue.readerNamedType];
  const out: Sides = { path, oldPath };
  if (namedType !== undefined) out.namedType = namedType;
  if (oldNamedType !== undefined) out.oldNamedType = oldNamedType;
  return out;
}

function locate(issue: CompatIssue, newIsReader: boolean): LocatedIssue {
  const out: LocatedIssue = {
    id: issue.type,
    message: issue.message,
    ...sides(issue, newIsReader),
    readerPath: issue.readerPath,
    writerPath: issue.writerPath,
  };
  if (issue.causes !== undefined) out.causes = issue.causes.map((c) => locate(c, newIsReader));
  return out;
}

function locateWarning(
  warning: CompatWarning,
  newIsReader: boolean,
): Omit<CompatWarningFinding, 'severity' | 'direction' | 'against'> {
  return { id: warning.type, message: warning.message, ...sides(warning, newIsReader) };
}
