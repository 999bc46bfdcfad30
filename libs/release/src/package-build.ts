// Builds one publishable npm package per namespace: compiled JS, declarations, the .avsc schemas, an exports
// map, a README, and metadata (`adlake` in package.json) that the next publish compares against.
import { assertAvroValid, bindingFor, namedTypeLookup, standaloneSchema } from '@adlake/governance';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { normalize } from '@adlake/avro';
import { generateNamespacePackage, writeGeneratedFiles } from '@adlake/codegen';
import type { GovernanceConfig, SchemaDoc, SchemaWorkspace } from '@adlake/governance';
import { compilePackage } from './compile.ts';
import { contentSha256, stableStringify } from './stable-json.ts';
import type { BuiltRuntime } from './runtime-build.ts';
import type { SchemaFingerprint } from './version.ts';

export const DEFAULT_PACKAGE_PATTERN = '@acme/events-{segment}';

export interface PackageEventMeta extends SchemaFingerprint {
  name: string;
  subject: string;
  topic?: string;
  fullname: string;
  /** The schema file inside the package, e.g. `schemas/com/acme/adserver/AdClick.avsc`. */
  schema: string;
}

/** What package.json's `adlake` field records, and what the next publish reads back. */
export interface PackageMeta {
  namespace: string;
  /** SHA-256 over the packed files (JS, declarations, schemas, README) and the manifest: "same content". */
  contentHash: string;
  events: PackageEventMeta[];
}

export interface BuiltPackage {
  name: string;
  namespace: string;
  /** The package directory: package.json (version still 0.0.0), JS, .d.ts, schemas, README. */
  dir: string;
  meta: PackageMeta;
  packageJson: Record<string, unknown>;
}

/** Namespaces with at least one event schema, sorted. */
export function eventNamespaces(workspace: SchemaWorkspace, config: GovernanceConfig): string[] {
  const out = new Set<string>();
  for (const doc of workspace.order) {
    if (bindingFor(doc, config).kind === 'event' && doc.namespace !== undefined) out.add(doc.namespace);
  }
  return [...out].sort();
}

export async function buildEventPackage(
  workspace: SchemaWorkspace,
  config: GovernanceConfig,
  namespace: string,
  options: {
    outDir: string;
    /** The built runtime the generated code compiles against; its version is what package.json depends on. */
    runtime: BuiltRuntime;
    packageNamePattern?: string;
    longs?: 'number' | 'bigint';
    description?: string;
  },
): Promise<BuiltPackage> {
  assertAvroValid(workspace);
  const lookup = namedTypeLookup(workspace);
  const events = workspace.order.flatMap((doc) => {
    const { kind, subject, topic } = bindingFor(doc, config);
    if (kind !== 'event' || subject === undefined) return [];
    return [{ doc, subject, topic }];
  });
  const generated = generateNamespacePackage(
    {
      schemas: events.map(({ doc, subject, topic }) => ({
        file: doc.file,
        json: doc.json,
        subject,
        ...(topic === undefined ? {} : { topic }),
      })),
      lookupNamedType: lookup,
    },
    {
      namespace,
      packageNamePattern: options.packageNamePattern ?? DEFAULT_PACKAGE_PATTERN,
      longs: options.longs ?? 'number',
    },
  );
  const own = events.filter((e) => e.doc.namespace === namespace);
  const schemaDocs = new Set<SchemaDoc>();
  for (const e of own) for (const d of workspace.closureOf(e.doc)) schemaDocs.add(d);
  const schemaFiles = [...schemaDocs].sort((a, b) => a.relPath.localeCompare(b.relPath));

  const root = path.resolve(options.outDir, namespace);
  const srcDir = path.join(root, 'src');
  const dir = path.join(root, 'package');
  rmSync(srcDir, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const sources = generated.files.filter((f) => f.path.endsWith('.ts'));
  writeGeneratedFiles(srcDir, sources);
  await compilePackage(
    srcDir,
    dir,
    sources.map((f) => f.path),
    generated.packageName,
    { packages: { [options.runtime.name]: options.runtime.dir } },
  );
  const readme = generated.files.find((f) => f.path === 'README.md');
  if (readme !== undefined) writeFileSync(path.join(dir, 'README.md'), readme.contents);
  for (const doc of schemaFiles) {
    const target = path.join(dir, 'schemas', doc.relPath);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, doc.text);
  }

  const eventMeta: PackageEventMeta[] = own.map(({ doc, subject, topic }) => {
    const event = generated.events.find((g) => g.file === doc.file);
    const standalone = standaloneSchema(workspace, doc);
    return {
      name: event?.name ?? doc.fullname ?? doc.file,
      subject,
      ...(topic === undefined ? {} : { topic }),
      fullname: doc.fullname ?? doc.file,
      schema: `schemas/${doc.relPath}`,
      canonical: normalize(doc.json, { lookupNamedType: lookup, references: 'inline' }).rabin,
      content: contentSha256(standalone),
    };
  });
  const packageJson: Record<string, unknown> = {
    name: generated.packageName,
    version: '0.0.0',
    description: options.description ?? generated.packageJson.description,
    type: 'module',
    sideEffects: false,
    exports: {
      '.': { types: './index.d.ts', import: './index.js', default: './index.js' },
      './schemas/*': './schemas/*',
      './package.json': './package.json',
    },
    types: './index.d.ts',
    files: ['*.js', '*.d.ts', 'schemas', 'README.md'],
    engines: { node: '>=22' },
    // The runtime it was compiled against, which this release publishes first if the registry lacks it.
    dependencies: { ...generated.packageJson.dependencies, [options.runtime.name]: options.runtime.version },
    peerDependencies: generated.packageJson.peerDependencies,
    peerDependenciesMeta: { '@types/node': { optional: true } },
    keywords: generated.packageJson.keywords,
  };
  const contentHash = hashPackage(dir, packageJson);
  const meta: PackageMeta = { namespace, contentHash, events: eventMeta };
  packageJson['adlake'] = meta;
  writePackageJson(dir, packageJson);
  return { name: generated.packageName, namespace, dir, meta, packageJson };
}

export function writePackageJson(dir: string, packageJson: Record<string, unknown>): void {
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(packageJson, null, 2)}\n`);
}

/** The package's identity without its version: every file as it will be packed, and the manifest fields. */
function hashPackage(dir: string, packageJson: Record<string, unknown>): string {
  const rest = Object.fromEntries(
    Object.entries(packageJson).filter(([k]) => k !== 'version' && k !== 'adlake'),
  );
  const files: [string, string][] = [];
  const walk = (sub: string): void => {
    for (const entry of readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = sub === '' ? entry.name : `${sub}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else if (rel !== 'package.json') files.push([rel, readFileSync(path.join(dir, rel), 'utf8')]);
    }
  };
  walk('');
  files.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return contentSha256({ files, packageJson: stableStringify(rest) });
}
