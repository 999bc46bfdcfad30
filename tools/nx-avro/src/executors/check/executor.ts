// Nx executor `@adlake/nx-avro:check`: the avro-lint and avro-compat targets. Nx runs all of a run's tasks of
// this executor in one process (batch mode, `preferBatch`), which loads the schema workspace and config once,
// builds each schema's avsc type once and shares git reads between compat tasks; each task still prints, and Nx
// caches, exactly what `avro-gov lint|compat <paths> --schemas <root>` prints for that task's paths.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ExecutorContext, TaskGraph } from '@nx/devkit';
import {
  GitReadCache,
  GovernanceError,
  checkWorkspaceCompatibility,
  compatOutput,
  defaultConfig,
  errorToFinding,
  formatFindings,
  lintOutput,
  lintWorkspace,
  loadConfig,
  loadSchemaWorkspace,
  matchesPathSpec,
  toJsonObject,
} from '@adlake/governance';
import type { GovernanceConfig, LocatedError, RunOutput, SchemaWorkspace } from '@adlake/governance';
import type { CheckExecutorOptions } from './schema.d.ts';

export interface CheckResult {
  success: boolean;
  /** What the task printed, stdout lines then stderr lines: Nx shows it and replays it from the cache. */
  terminalOutput: string;
}

/** One task (`nx run p:avro-lint --batch=false`, or Nx without batch support). */
export default async function checkExecutor(
  options: CheckExecutorOptions,
  context: Pick<ExecutorContext, 'root'>,
): Promise<{ success: boolean }> {
  const session = new CheckSession(context.root);
  let result: CheckResult;
  try {
    result = await session.run(options);
  } finally {
    session.close();
  }
  process.stdout.write(result.terminalOutput);
  return { success: result.success };
}

/** Every task of a run in this one process; each result is reported as soon as it and those before it are done. */
export async function* checkBatch(
  taskGraph: TaskGraph,
  inputs: Record<string, CheckExecutorOptions>,
  _overrides: unknown,
  context: Pick<ExecutorContext, 'root'>,
): AsyncGenerator<{ task: string; result: CheckResult }> {
  const session = new CheckSession(context.root);
  try {
    const tasks = Object.keys(taskGraph.tasks).filter((task) => inputs[task] !== undefined);
    // Every task starts at once, compat first: a compat task spends much of its time waiting for git, which
    // then works on another core while lint tasks compute. Results are still reported in task order.
    const order = [...tasks].sort((a, b) => rank(inputs[a]) - rank(inputs[b]));
    const running = new Map<string, Promise<CheckResult>>();
    for (const task of order) {
      const promise = session.run(inputs[task] as CheckExecutorOptions);
      // Awaited below in task order; until then a failure must not count as unhandled.
      promise.catch(() => undefined);
      running.set(task, promise);
    }
    for (const task of tasks) yield { task, result: await (running.get(task) as Promise<CheckResult>) };
  } finally {
    session.close();
  }
}

function rank(options: CheckExecutorOptions | undefined): number {
  return options?.command === 'compat' ? 0 : 1;
}

interface Loaded {
  workspace: SchemaWorkspace;
  config: GovernanceConfig;
}

/**
 * The state tasks of one run share. Each task's result depends only on its options and the files on disk,
 * never on which other tasks ran before it in the session: a schema's avsc build depends only on the schemas
 * it uses, and the git cache holds immutable answers.
 */
export class CheckSession {
  readonly #root: string;
  readonly #loaded = new Map<string, Promise<Loaded>>();
  readonly #git = new GitReadCache();

  constructor(root: string) {
    this.#root = root;
  }

  /** Ends the git processes the session keeps; call when its last task is done. */
  close(): void {
    this.#git.close();
  }

  async run(options: CheckExecutorOptions): Promise<CheckResult> {
    const format = options.format ?? 'text';
    try {
      const specs = this.#select(options.paths);
      const key = JSON.stringify([options.schemas ?? 'schemas', options.config ?? null]);
      const { workspace, config } = await this.#load(key, options);
      if (options.command === 'lint') {
        // What `avro-gov lint <paths>` computes: every schema is built once per session whichever task needs
        // it first, so the tasks of a run together lint the tree once.
        const under = (file: string): boolean =>
          specs.length === 0 || specs.some((s) => matchesPathSpec(file, s));
        const findings = lintWorkspace(workspace, config, { select: under }).filter((f) => under(f.file));
        const failed = findings.some((f) => f.severity === 'error');
        return result(!failed, lintOutput(workspace, findings, format));
      }
      const compat = await checkWorkspaceCompatibility(workspace, config, {
        against: ['git'],
        cwd: this.#root,
        paths: specs,
        gitCache: this.#git,
        ...(options.base === undefined ? {} : { base: options.base }),
      });
      const success = compat.inputErrors.length === 0 && compat.compatible;
      return result(success, compatOutput(compat, format));
    } catch (error) {
      const known = libraryError(error);
      if (known === undefined) throw error;
      // As the CLI reports it: one finding in the format asked for, and the task fails.
      const finding = errorToFinding(known);
      const text =
        format === 'json'
          ? JSON.stringify(
              options.command === 'lint'
                ? [toJsonObject(finding)]
                : { compatible: false, findings: [toJsonObject(finding)] },
              null,
              2,
            )
          : formatFindings([finding], format);
      return result(false, { stdout: [text], stderr: [] });
    }
  }

  /** Paths as the CLI takes them: relative to the workspace root; one that names a missing file is an error. */
  #select(paths: readonly string[]): string[] {
    return paths.map((p) => {
      const absolute = path.resolve(this.#root, p);
      if (!/[*?]/.test(p) && !existsSync(absolute)) {
        throw new GovernanceError('FILE_NOT_FOUND', `path "${p}" does not exist`, { context: { file: p } });
      }
      return path.relative(this.#root, absolute).split(path.sep).join('/') || '.';
    });
  }

  #load(key: string, options: CheckExecutorOptions): Promise<Loaded> {
    let loaded = this.#loaded.get(key);
    if (loaded === undefined) {
      loaded = this.#read(options);
      this.#loaded.set(key, loaded);
    }
    return loaded;
  }

  async #read(options: CheckExecutorOptions): Promise<Loaded> {
    const schemas = options.schemas ?? 'schemas';
    const dir = path.resolve(this.#root, schemas);
    if (!existsSync(dir)) {
      throw new GovernanceError('FILE_NOT_FOUND', `schema root "${schemas}" does not exist`, {
        context: { file: schemas, configKey: '/options/schemas' },
      });
    }
    const configFile = path.resolve(this.#root, options.config ?? path.join(schemas, 'avro-gov.json'));
    let config: GovernanceConfig;
    if (existsSync(configFile)) config = await loadConfig(configFile, { displayRoot: this.#root });
    else if (options.config !== undefined) {
      throw new GovernanceError('FILE_NOT_FOUND', `config file "${options.config}" does not exist`, {
        context: { file: options.config, configKey: '/options/config' },
      });
    } else config = defaultConfig();
    const workspace = await loadSchemaWorkspace({ dir, displayRoot: this.#root });
    return { workspace, config };
  }
}

function result(success: boolean, output: RunOutput): CheckResult {
  const lines = [...output.stdout, ...output.stderr];
  return { success, terminalOutput: lines.length === 0 ? '' : `${lines.join('\n')}\n` };
}

/** A failure one of our libraries describes (code, retriable, context), as opposed to a bug. */
function libraryError(error: unknown): LocatedError | undefined {
  const e = error as { code?: unknown; retriable?: unknown; context?: unknown } | null;
  const ours =
    error instanceof Error &&
    typeof e?.code === 'string' &&
    typeof e.retriable === 'boolean' &&
    typeof e.context === 'object' &&
    e.context !== null;
  return ours ? (error as unknown as LocatedError) : undefined;
}
