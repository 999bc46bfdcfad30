// Loads the schema workspace and its governance config for the release steps, relative to a given directory
// (the CLI's cwd or an Nx workspace root), without the CLI's plumbing.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ReleaseError } from './errors.ts';
import { defaultConfig, loadConfig, loadSchemaWorkspace } from '@adlake/governance';
import type { GovernanceConfig, SchemaWorkspace } from '@adlake/governance';

export interface ReleaseWorkspaceOptions {
  cwd: string;
  /** Schema root, relative to cwd (default `schemas`). */
  schemas?: string | undefined;
  /** Governance config (default `<schemas>/avro-gov.json`). */
  config?: string | undefined;
}

export async function loadReleaseWorkspace(
  options: ReleaseWorkspaceOptions,
): Promise<{ workspace: SchemaWorkspace; config: GovernanceConfig }> {
  const schemasDir = path.resolve(options.cwd, options.schemas ?? 'schemas');
  if (!existsSync(schemasDir)) {
    throw new ReleaseError('USAGE', `schema directory "${options.schemas ?? 'schemas'}" does not exist`, {
      context: { configKey: '--schemas' },
    });
  }
  const configPath = path.resolve(options.cwd, options.config ?? path.join(schemasDir, 'avro-gov.json'));
  let config: GovernanceConfig;
  if (existsSync(configPath)) config = await loadConfig(configPath, { displayRoot: options.cwd });
  else if (options.config !== undefined)
    throw new ReleaseError('FILE_NOT_FOUND', `config file "${options.config}" does not exist`, {
      context: { configKey: '--config' },
    });
  else config = defaultConfig();
  const workspace = await loadSchemaWorkspace({ dir: schemasDir, displayRoot: options.cwd });
  return { workspace, config };
}
