// Options of the publish executor; schema.json documents each.
export interface PublishExecutorOptions {
  schemas?: string;
  config?: string;
  registry?: string;
  userconfig?: string;
  packageName?: string;
  namespaces?: string[];
  outDir?: string;
  longs?: 'number' | 'bigint';
  version?: string;
  dryRun?: boolean;
}
