// The Nx front end of schema governance: a thin adapter that turns schema namespaces into Nx projects
// with cached targets, and named-type references into project dependencies. The work is the CLI's.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type {
  CreateDependencies,
  CreateNodes,
  ProjectConfiguration,
  RawProjectGraphDependency,
} from '@nx/devkit';
import { DependencyType } from '@nx/devkit';
import { createSchemaWorkspace } from '@adlake/governance';
import { namespaceProjects } from './projects.ts';
import type { NxAvroOptions } from './projects.ts';

export type { NxAvroOptions } from './projects.ts';

export const createNodes: CreateNodes<NxAvroOptions> = [
  '**/*.avsc',
  (files, options) => {
    const projects = namespaceProjects(files, options ?? {});
    return projects.map((p) => [p.files[0] ?? p.root, { projects: { [p.root]: p.config } }] as const);
  },
];

/** A schema using a named type defined in another namespace depends on that namespace's project. */
export const createDependencies: CreateDependencies<NxAvroOptions> = (options, context) => {
  const files = Object.values(context.fileMap.projectFileMap)
    .flat()
    .map((f) => f.file)
    .filter((f) => f.endsWith('.avsc'));
  const projects = namespaceProjects(files, options ?? {});
  const projectOf = new Map<string, string>();
  for (const p of projects) for (const f of p.files) projectOf.set(f, p.config.name ?? p.root);
  const workspace = createSchemaWorkspace(
    projects
      .flatMap((p) => p.files)
      .map((file) => ({ file, text: readFileSync(path.join(context.workspaceRoot, file), 'utf8') })),
  );
  const dependencies: RawProjectGraphDependency[] = [];
  const seen = new Set<string>();
  for (const doc of workspace.docs) {
    const source = projectOf.get(doc.file);
    for (const dep of workspace.dependenciesOf(doc)) {
      const target = projectOf.get(dep.file);
      const key = `${doc.file}->${target}`;
      if (source === undefined || target === undefined || source === target || seen.has(key)) continue;
      seen.add(key);
      dependencies.push({ source, target, sourceFile: doc.file, type: DependencyType.static });
    }
  }
  return dependencies;
};

export type { ProjectConfiguration };
