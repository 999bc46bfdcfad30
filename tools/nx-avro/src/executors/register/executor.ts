// Nx executor `@adlake/nx-avro:register`: a thin adapter over the same core function as `avro-gov register`.
import type { ExecutorContext } from '@nx/devkit';
import { formatPlanTable, planJson, registerRelease, resolveRegistryConnection } from '@adlake/release';
import type { RegisterExecutorOptions } from './schema.d.ts';

export interface ExecutorResult {
  success: boolean;
  message?: string;
}

export default async function registerExecutor(
  options: RegisterExecutorOptions,
  context: Pick<ExecutorContext, 'root'>,
): Promise<ExecutorResult> {
  try {
    const registry = await resolveRegistryConnection({
      url: options.registryUrl,
      configFile: options.registryConfig,
    });
    const result = await registerRelease({
      cwd: context.root,
      schemas: options.schemas,
      config: options.config,
      registry,
      dryRun: options.dryRun === true,
      manifest: options.manifest,
      references: options.references ?? 'subjects',
      log: (line) => console.error(line),
    });
    console.log(
      options.format === 'json'
        ? JSON.stringify(planJson(result.plan, result.applied), null, 2)
        : formatPlanTable(result.plan),
    );
    if (result.blocked !== undefined) {
      const message = `${result.blocked.message}. Fix the schema (see the reasons above) or its compatibility level in avro-gov.json, then rerun.`;
      console.error(message);
      return { success: false, message };
    }
    return {
      success: true,
      message:
        result.manifestPath === undefined ? 'dry run: nothing registered' : `manifest ${result.manifestPath}`,
    };
  } catch (error) {
    return failure(error);
  }
}

/** A failure as Nx wants it: `success: false` and a message that says what to fix, no stack for user errors. */
export function failure(error: unknown): ExecutorResult {
  if (!isLibraryError(error)) throw error;
  const message = `${error.code} ${error.message}${error.retriable ? ' (transient: rerun)' : ''}`;
  console.error(message);
  return { success: false, message };
}

/** Every library of ours throws one error base carrying a string code and a retriable flag; anything else is a
 * bug and keeps its stack. */
function isLibraryError(error: unknown): error is Error & { code: string; retriable: boolean } {
  return (
    error instanceof Error &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { retriable?: unknown }).retriable === 'boolean'
  );
}
