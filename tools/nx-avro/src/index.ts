// The Nx front end of schema governance: a thin adapter that turns schema namespaces into Nx projects
// with cached targets, and named-type references into project dependencies. The work is the CLI's.
import type { CreateDependencies, CreateNodes, ProjectConfiguration } from '@nx/devkit';
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
export const createDependencies: CreateDependencies<NxAvroOptions> = async (options, context) => {
  // Loaded here, not at the top: Nx starts this plugin on every command, also when the graph is cached and
  // this never runs, and the governance core it needs is most of the plugin's start-up time.
  const { schemaDependencies } = await import('./dependencies.ts');
  return schemaDependencies(options ?? {}, context);
};

export type { ProjectConfiguration };
