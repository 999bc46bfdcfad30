// Which Nx projects the schema tree makes (one per namespace directory) and which targets each gets.
import path from 'node:path';
import type { ProjectConfiguration } from '@nx/devkit';

export interface NxAvroOptions {
  /** Schema root, relative to the workspace root. */
  schemasDir?: string;
  /** Where generated packages go, relative to the workspace root. */
  generatedDir?: string;
  /** Project name prefix; the namespace follows. */
  projectPrefix?: string;
  /**
   * Projects whose change re-checks every namespace, e.g. the governance core when it lives in the same
   * workspace. Default none: in a workspace that installs avro-gov from a registry there is no such project.
   */
  coreProjects?: string[];
  /** npm packages whose version is a cache input (they decide the results), if the lockfile lists them. */
  externalDependencies?: string[];
}

export interface NamespaceProject {
  root: string;
  namespace: string;
  files: string[];
  config: ProjectConfiguration;
}

export function namespaceProjects(files: readonly string[], options: NxAvroOptions): NamespaceProject[] {
  const schemasDir = (options.schemasDir ?? 'schemas').replace(/\/+$/, '');
  const generatedDir = options.generatedDir ?? 'generated';
  const prefix = options.projectPrefix ?? 'schemas-';
  const byDir = new Map<string, string[]>();
  for (const file of files) {
    const normalized = file.split(path.sep).join('/');
    if (!normalized.startsWith(`${schemasDir}/`)) continue;
    const dir = path.posix.dirname(normalized);
    byDir.set(dir, [...(byDir.get(dir) ?? []), normalized]);
  }
  const configFile = `{workspaceRoot}/${schemasDir}/avro-gov.json`;
  return [...byDir.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([root, dirFiles]) => {
      const namespace =
        root === schemasDir
          ? '(root)'
          : root
              .slice(schemasDir.length + 1)
              .split('/')
              .join('.');
      // Only this directory's own files: a nested namespace is its own project.
      const own = `${root}/*.avsc`;
      const cli = (args: string): { executor: string; options: { command: string; cwd: string } } => ({
        executor: 'nx:run-commands',
        options: { command: `avro-gov ${args} --schemas ${schemasDir}`, cwd: '{workspaceRoot}' },
      });
      // The PR check's targets run in one process per run (see executors/check), not one CLI per task.
      const check = (
        command: 'lint' | 'compat',
      ): { executor: string; options: { command: string; paths: string[]; schemas: string } } => ({
        executor: '@adlake/nx-avro:check',
        options: { command, paths: [own], schemas: schemasDir },
      });
      // `production` of a schema project is its own .avsc files (a nested namespace owns its files); of a
      // dependency, the schemas it defines or, for the governance core, the rules that judge them.
      const external = options.externalDependencies ?? [];
      const inputs = [
        'production',
        '^production',
        configFile,
        ...(external.length > 0 ? [{ externalDependencies: external }] : []),
      ];
      const config: ProjectConfiguration = {
        root,
        name: `${prefix}${namespace}`,
        projectType: 'library',
        tags: ['type:schemas', 'scope:governance'],
        // The core's rules decide the results, so a change to the core re-checks every namespace.
        implicitDependencies: options.coreProjects ?? [],
        targets: {
          'avro-lint': { ...check('lint'), cache: true, inputs, outputs: [] },
          'avro-compat': {
            ...check('compat'),
            cache: true,
            // The verdict depends on the history it is compared with, so the base commit is an input.
            inputs: [...inputs, { runtime: 'git merge-base HEAD main 2>/dev/null || git rev-parse HEAD' }],
            outputs: [],
          },
          'avro-compat-registry': {
            ...cli(`compat '${own}' --against registry`),
            // The registry is outside the workspace: never reuse an earlier answer.
            cache: false,
          },
          'avro-generate': {
            ...cli(`generate '${own}' --out ${generatedDir}`),
            cache: true,
            inputs,
            outputs: [`{workspaceRoot}/${generatedDir}/${namespace}`],
          },
        },
        metadata: { description: `Avro schemas of namespace ${namespace}` },
      };
      return { root, namespace, files: dirFiles.sort(), config };
    });
}
