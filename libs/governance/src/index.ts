// The PR check's public surface: load a schema workspace, lint it, check its compatibility, report findings.
export * from './errors.ts';
export * from './workspace/index.ts';
export * from './lint/index.ts';
export * from './diagnostics/index.ts';
export * from './compat/index.ts';
export * from './baseline/git.ts';
export * from './checks/compat-workspace.ts';
export * from './checks/compat-files.ts';
export * from './checks/report.ts';
