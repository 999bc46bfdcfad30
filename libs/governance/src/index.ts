// The governance core's public surface: what the CLI, the Nx plugin and the release step build on.
export * from './errors.ts';
export * from './workspace/index.ts';
export * from './lint/index.ts';
export * from './diagnostics/index.ts';
export * from './compat/index.ts';
export * from './codegen/index.ts';
export * from './registry/client.ts';
export * from './baseline/git.ts';
export * from './release/index.ts';
