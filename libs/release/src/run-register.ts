// `register` end to end, shared by the CLI and the Nx executor: load, plan, and (unless a dry run) apply and
// write the manifest.
import path from 'node:path';
import { buildRegisterPlan } from './plan.ts';
import type { RegisterPlan } from './plan.ts';
import { applyRegisterPlan, DEFAULT_MANIFEST, RegisterBlockedError, writeManifest } from './register.ts';
import type { ApplyResult } from './register.ts';
import { registryClient } from './connection.ts';
import type { RegistryConnection } from './connection.ts';
import { registrationUnits } from './units.ts';
import type { ReferenceMode } from './units.ts';
import { loadReleaseWorkspace } from './workspace.ts';
import type { ReleaseWorkspaceOptions } from './workspace.ts';

export interface RegisterReleaseOptions extends ReleaseWorkspaceOptions {
  registry: RegistryConnection;
  /** Plan only. */
  dryRun?: boolean;
  /** Manifest path, relative to cwd (default dist/schema-manifest.json). */
  manifest?: string | undefined;
  references?: ReferenceMode;
  log?: (line: string) => void;
}

export interface RegisterReleaseResult {
  plan: RegisterPlan;
  applied?: ApplyResult;
  manifestPath?: string;
  /** Set when incompatibilities stopped the run before anything was registered. */
  blocked?: RegisterBlockedError;
}

export async function registerRelease(options: RegisterReleaseOptions): Promise<RegisterReleaseResult> {
  const { workspace, config } = await loadReleaseWorkspace(options);
  const units = registrationUnits(workspace, config, options.references ?? 'subjects');
  const registry = registryClient(options.registry);
  const plan = await buildRegisterPlan(workspace, units, registry);
  if (options.dryRun === true) {
    const blocked = plan.entries.filter((e) => e.status === 'incompatible');
    return blocked.length === 0
      ? { plan }
      : {
          plan,
          blocked: new RegisterBlockedError(
            `incompatible: ${blocked.map((e) => `"${e.subject}"`).join(', ')}`,
            blocked,
          ),
        };
  }
  try {
    const applied = await applyRegisterPlan(workspace, config, units, plan, registry, {
      cwd: options.cwd,
      ...(options.log === undefined ? {} : { log: options.log }),
    });
    const manifestPath = path.resolve(options.cwd, options.manifest ?? DEFAULT_MANIFEST);
    await writeManifest(manifestPath, applied.manifest);
    return { plan, applied, manifestPath };
  } catch (error) {
    if (error instanceof RegisterBlockedError) return { plan, blocked: error };
    throw error;
  }
}
