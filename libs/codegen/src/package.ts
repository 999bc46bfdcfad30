// Lays out one namespace's events as a publishable package source (index, README, package.json data) and
// writes generated files to disk, for the publish step.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, normalize } from 'node:path';
import { CodegenError } from './errors.ts';
import { generateFromModel, RUNTIME_PACKAGE } from './generate.ts';
import type { CodegenInput, CodegenOptions, GeneratedEvent, GeneratedFile } from './generate.ts';
import { buildModel, namedDef } from './model.ts';

export interface NamespacePackageOptions extends CodegenOptions {
  /** Avro namespace whose events (root named types in exactly this namespace) form the package. */
  namespace: string;
  /**
   * Package name pattern; `{segment}` is the last namespace segment and `{namespace}` the whole namespace,
   * both kebab-cased. Default `@acme/events-{segment}`.
   */
  packageNamePattern?: string;
}

/** The package.json fields the generator owns; the publish step adds version, repository, publishConfig. */
export interface PackageJsonFragment {
  name: string;
  description: string;
  type: 'module';
  sideEffects: false;
  exports: { '.': string };
  /** Exactly the workspace's @adlake/event-runtime version: the runtime the generated code was built against. */
  dependencies: { '@adlake/event-runtime': string };
  peerDependencies: { '@types/node': string };
  keywords: string[];
}

export interface NamespacePackage {
  packageName: string;
  packageJson: PackageJsonFragment;
  /** `types.ts`, one module per event, `index.ts` and `README.md`. */
  files: GeneratedFile[];
  events: GeneratedEvent[];
}

function kebab(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();
}

export function packageNameFor(namespace: string, pattern = '@acme/events-{segment}'): string {
  const segment = namespace.slice(namespace.lastIndexOf('.') + 1);
  return pattern.replaceAll('{segment}', kebab(segment)).replaceAll('{namespace}', kebab(namespace));
}

// The runtime's own version, never a range: a package is tested and compiled against exactly this runtime.
const RUNTIME_VERSION = (
  createRequire(import.meta.url)(`${RUNTIME_PACKAGE}/package.json`) as { version: string }
).version;

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function renderReadme(
  packageName: string,
  namespace: string,
  events: readonly GeneratedEvent[],
): string {
  const lines = [
    `# ${packageName}`,
    '',
    `Typed Avro events of the \`${namespace}\` namespace, generated from the schema repository. Do not edit.`,
    '',
    'Each event is a const object (codec and metadata) with a same-named type for its value:',
    '',
    '```ts',
    `import { ${events[0]?.name ?? 'Event'} } from '${packageName}';`,
    '',
    `const bytes = ${events[0]?.name ?? 'Event'}.encode(value); // fields with defaults may be omitted`,
    `const decoded: ${events[0]?.name ?? 'Event'} = ${events[0]?.name ?? 'Event'}.decode(bytes);`,
    '```',
    '',
    '## Events',
    '',
    '| event | subject | topic | schema |',
    '| --- | --- | --- | --- |',
    ...events.map(
      (e) =>
        `| \`${e.name}\` | \`${e.subject}\` | ${e.topic === undefined ? '—' : `\`${e.topic}\``} | \`${e.fullname ?? '—'}\` |`,
    ),
  ];
  for (const event of events) {
    lines.push('', `### ${event.name}`, '');
    if (event.doc !== undefined) lines.push(event.doc, '');
    lines.push(`Subject \`${event.subject}\`. Source \`${event.file}\`.`, '');
    if (event.fields.length > 0) {
      lines.push('| field | TypeScript | Avro | default | doc |', '| --- | --- | --- | --- | --- |');
      for (const f of event.fields) {
        lines.push(
          `| \`${f.name}\` | \`${cell(f.tsType)}\` | \`${cell(f.avroType)}\` | ${f.default === undefined ? '' : `\`${cell(f.default)}\``} | ${cell(f.doc ?? '')} |`,
        );
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Generates the package source for the events whose root type lives in `options.namespace`. */
export function generateNamespacePackage(
  input: CodegenInput,
  options: NamespacePackageOptions,
): NamespacePackage {
  const model = buildModel(input.schemas, input.lookupNamedType);
  const documents = model.documents.filter(
    (d) => d.root.kind === 'named' && namedDef(model, d.root.fullname).namespace === options.namespace,
  );
  if (documents.length === 0) {
    throw new CodegenError(
      'CODEGEN_FAILED',
      `no event schema has its root type in namespace ${options.namespace}`,
    );
  }
  const { files, events } = generateFromModel(model, documents, options);
  const packageName = packageNameFor(options.namespace, options.packageNamePattern);
  const packageJson: PackageJsonFragment = {
    name: packageName,
    description: `Typed Avro events of ${options.namespace}: ${events.map((e) => e.name).join(', ')}.`,
    type: 'module',
    sideEffects: false,
    exports: { '.': './index.ts' },
    dependencies: { [RUNTIME_PACKAGE]: RUNTIME_VERSION },
    peerDependencies: { '@types/node': '>=22' },
    keywords: ['avro', 'events', options.namespace],
  };
  return {
    packageName,
    packageJson,
    files: [...files, { path: 'README.md', contents: renderReadme(packageName, options.namespace, events) }],
    events,
  };
}

/** Writes generated files under `directory`; paths must stay inside it. */
export function writeGeneratedFiles(directory: string, files: readonly GeneratedFile[]): void {
  for (const file of files) {
    const relative = normalize(file.path);
    if (isAbsolute(relative) || relative.startsWith('..')) {
      throw new CodegenError('CODEGEN_FAILED', `generated path escapes the output directory: ${file.path}`);
    }
    const target = join(directory, relative);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.contents);
  }
}
