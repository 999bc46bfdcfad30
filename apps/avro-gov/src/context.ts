// Loads what every command starts from: the schema workspace and its config, with the CLI's defaults.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { defaultConfig, GovernanceError, loadConfig, loadSchemaWorkspace } from '@adlake/governance';
import type { GovernanceConfig, SchemaWorkspace } from '@adlake/governance';

export const DEFAULT_SCHEMAS_DIR = 'schemas';
export const CONFIG_FILE_NAME = 'avro-gov.json';

export const WORKSPACE_OPTIONS = {
  schemas: { type: 'string' },
  config: { type: 'string' },
} as const;

export const WORKSPACE_HELP = `  --schemas <dir>     schema root (default: ${DEFAULT_SCHEMAS_DIR})
  --config <file>     subject mapping and lint config (default: <schemas>/${CONFIG_FILE_NAME})`;

export interface WorkspaceContext {
  cwd: string;
  workspace: SchemaWorkspace;
  config: GovernanceConfig;
}

export async function loadContext(values: {
  schemas?: string | undefined;
  config?: string | undefined;
}): Promise<WorkspaceContext> {
  const cwd = process.cwd();
  const schemasDir = values.schemas ?? DEFAULT_SCHEMAS_DIR;
  if (!existsSync(schemasDir)) {
    throw new GovernanceError('FILE_NOT_FOUND', `schema root "${schemasDir}" does not exist`, {
      context: { file: schemasDir, configKey: '--schemas' },
    });
  }
  const configPath = values.config ?? path.join(schemasDir, CONFIG_FILE_NAME);
  let config: GovernanceConfig;
  if (existsSync(configPath)) config = await loadConfig(configPath, { displayRoot: cwd });
  else if (values.config !== undefined)
    throw new GovernanceError('FILE_NOT_FOUND', `config file "${values.config}" does not exist`, {
      context: { file: values.config, configKey: '--config' },
    });
  else config = defaultConfig();
  const workspace = await loadSchemaWorkspace({ dir: schemasDir, displayRoot: cwd });
  return { cwd, workspace, config };
}
