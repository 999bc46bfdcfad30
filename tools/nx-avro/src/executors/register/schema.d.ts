// Options of the register executor; schema.json documents each.
export interface RegisterExecutorOptions {
  schemas?: string;
  config?: string;
  registryUrl?: string;
  registryConfig?: string;
  dryRun?: boolean;
  manifest?: string;
  references?: 'subjects' | 'inline';
  format?: 'text' | 'json';
}
