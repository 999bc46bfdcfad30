// The compatibility engine's public surface: levels, reader/writer resolution, version checks, canonical form.
export {
  COMPATIBILITY_LEVELS,
  isCompatibilityLevel,
  levelPlan,
  parseCompatibilityLevel,
  type CompatibilityLevel,
  type Direction,
  type LevelPlan,
} from './levels.ts';
export {
  COMPAT_ERROR_TYPES,
  COMPAT_WARNING_TYPES,
  checkParsed,
  checkReaderWriter,
  describeType,
  type CompatErrorType,
  type CompatIssue,
  type CompatWarning,
  type CompatWarningType,
  type ReaderWriterOptions,
  type ReaderWriterResult,
} from './reader-writer.ts';
export {
  checkCompatibility,
  type CheckCompatibilityInput,
  type CheckedPair,
  type CompatFinding,
  type CompatibilityResult,
  type CompatWarningFinding,
  type LocatedIssue,
  type PreviousVersion,
} from './check.ts';
