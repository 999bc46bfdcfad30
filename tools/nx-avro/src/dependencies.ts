// Project dependencies from named-type references: a schema using a type another namespace defines makes its
// project depend on that namespace's project. Loaded only when Nx builds the graph (see index.ts).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CreateDependenciesContext, DependencyType, RawProjectGraphDependency } from '@nx/devkit';
import { createSchemaWorkspace } from '@adlake/governance';
import { namespaceProjects } from './projects.ts';
import type { NxAvroOptions } from './projects.ts';

// The value of DependencyType.static, without loading @nx/devkit for one enum member.
const STATIC = 'static' as DependencyType.static;

export function schemaDependencies(
  options: NxAvroOptions,
  context: Pick<CreateDependenciesContext, 'fileMap' | 'workspaceRoot'>,
): RawProjectGraphDependency[] {
  const files = Object.values(context.fileMap.projectFileMap)
    .flat()
    .map((f) => f.file)
    .filter((f) => f.endsWith('.avsc'));
  const projects = namespaceProjects(files, options);
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
      dependencies.push({ source, target, sourceFile: doc.file, type: STATIC });
    }
  }
  return dependencies;
}
