// Public surface of the schema workspace: loading, cross-file name resolution, avsc types and the config.

export { createSchemaWorkspace, namedTypeLookup, SchemaWorkspace, problemAt } from './workspace.ts';
export type {
  CreateWorkspaceOptions,
  NamedTypeDefinition,
  SchemaDoc,
  SchemaSource,
  UnparsedSchema,
} from './workspace.ts';
export { findSchemaFiles, loadSchemaWorkspace } from './load.ts';
export type { LoadWorkspaceOptions } from './load.ts';
export { buildAvroType, buildAvroTypes } from './avro.ts';
export type { AvroBuildResult, BuildAvroTypesOptions } from './avro.ts';
export { standaloneSchema } from './standalone.ts';
export {
  SCHEMA_KINDS,
  SUBJECT_NAME_STRATEGIES,
  bindingFor,
  checkConfigAgainstWorkspace,
  defaultConfig,
  loadConfig,
  parseConfig,
  subjectFor,
  subjectName,
  topicFor,
  validateConfig,
} from './config.ts';
export type {
  GovernanceConfig,
  LintConfig,
  SchemaBinding,
  SchemaKind,
  SchemaMapping,
  SubjectNameStrategy,
} from './config.ts';
export { matchesGlob, matchesPathSpec } from './glob.ts';
