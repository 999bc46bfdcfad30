// Options of the check executor; schema.json documents each.
export interface CheckExecutorOptions {
  command: 'lint' | 'compat';
  paths: string[];
  schemas?: string;
  config?: string;
  base?: string;
  format?: 'text' | 'json' | 'github';
}
