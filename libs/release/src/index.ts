// The release steps' public surface: register schemas with the registry, publish typed event packages.
export * from './errors.ts';
export { REGISTRY_ENV, registryClient, resolveRegistryConnection } from './connection.ts';
export type { RegistryConnection } from './connection.ts';
export { REFERENCE_MODES, registrationUnits } from './units.ts';
export type { PlannedReference, ReferenceMode, RegistrationUnit } from './units.ts';
export { PLAN_STATUSES, buildRegisterPlan, classifySubject, planSummary } from './plan.ts';
export type { Classification, PlanEntry, PlanStatus, RegisterPlan, SubjectFacts } from './plan.ts';
export { DEFAULT_MANIFEST, RegisterBlockedError, applyRegisterPlan, writeManifest } from './register.ts';
export type { ApplyResult, ManifestEntry, SchemaManifest } from './register.ts';
export { formatPlanTable, planJson } from './format.ts';
export { registerRelease } from './run-register.ts';
export type { RegisterReleaseOptions, RegisterReleaseResult } from './run-register.ts';
export {
  SCHEMA_CHANGES,
  bumpFor,
  classifySchemaChange,
  compareVersions,
  isSemver,
  maxVersion,
  nextVersion,
} from './version.ts';
export type { Bump, SchemaChange, SchemaFingerprint } from './version.ts';
export { DEFAULT_PACKAGE_PATTERN, buildEventPackage, eventNamespaces } from './package-build.ts';
export type { BuiltPackage, PackageEventMeta, PackageMeta } from './package-build.ts';
export {
  RUNTIME_BUILD_DIR,
  RUNTIME_PACKAGE,
  buildRuntimePackage,
  runtimeSourceDir,
} from './runtime-build.ts';
export type { BuiltRuntime, RuntimeMeta } from './runtime-build.ts';
export { NPM_ENV, resolveNpmTarget } from './npm.ts';
export type { NpmTarget } from './npm.ts';
export { DEFAULT_PACKAGES_DIR, publishRelease } from './publish.ts';
export type { PublishOptions, PublishOutcome } from './publish.ts';
export { loadReleaseWorkspace } from './workspace.ts';
