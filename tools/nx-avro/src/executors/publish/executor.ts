// Nx executor `@adlake/nx-avro:publish`: a thin adapter over the same core function as `avro-gov publish`.
import type { ExecutorContext } from '@nx/devkit';
import { publishRelease, resolveNpmTarget } from '@adlake/release';
import { failure } from '../register/executor.ts';
import type { ExecutorResult } from '../register/executor.ts';
import type { PublishExecutorOptions } from './schema.d.ts';

export default async function publishExecutor(
  options: PublishExecutorOptions,
  context: Pick<ExecutorContext, 'root'>,
): Promise<ExecutorResult> {
  let npm;
  try {
    npm = resolveNpmTarget({ registry: options.registry, userconfig: options.userconfig });
    const outcomes = await publishRelease({
      cwd: context.root,
      schemas: options.schemas,
      config: options.config,
      npm,
      outDir: options.outDir,
      packageNamePattern: options.packageName,
      namespaces: options.namespaces,
      longs: options.longs ?? 'number',
      dryRun: options.dryRun === true,
      version: options.version,
      log: (line) => console.error(line),
    });
    const message = outcomes.map((o) => `${o.name} ${o.action} ${o.version ?? ''}`.trim()).join('; ');
    return { success: true, message: message === '' ? 'no event namespaces' : message };
  } catch (error) {
    return failure(error);
  } finally {
    npm?.dispose();
  }
}
