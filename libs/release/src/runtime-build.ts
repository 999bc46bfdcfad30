// Builds @adlake/event-runtime for npm the way event packages are built (TypeScript compiled to JavaScript plus
// declarations, so plain Node runs it), with a manifest whose `adlake.sourceHash` tells the next publish whether
// the version in the registry holds these sources. Its version is the workspace package's own: the runtime
// changes rarely and on purpose, so a person decides its version, not a diff.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { compilePackage } from './compile.ts';
import { ReleaseError } from './errors.ts';
import { writePackageJson } from './package-build.ts';
import { contentSha256, stableStringify } from './stable-json.ts';

export const RUNTIME_PACKAGE = '@adlake/event-runtime';

/** The build folder under the packages' out dir; a namespace never collides with it (Avro names have no `-`). */
export const RUNTIME_BUILD_DIR = 'event-runtime';

/** What package.json's `adlake` field records for the runtime. */
export interface RuntimeMeta {
  /** SHA-256 over the sources, the README and the manifest without its version: "same runtime". */
  sourceHash: string;
}

export interface BuiltRuntime {
  name: string;
  version: string;
  /** The package directory: package.json, JS, .d.ts, README. */
  dir: string;
  meta: RuntimeMeta;
  packageJson: Record<string, unknown>;
}

interface WorkspaceManifest {
  name?: unknown;
  version?: unknown;
  description?: unknown;
  dependencies?: Record<string, string>;
}

/** The workspace package's folder, found the way Node finds it from here. */
export function runtimeSourceDir(): string {
  return path.dirname(createRequire(import.meta.url).resolve(`${RUNTIME_PACKAGE}/package.json`));
}

function tsFiles(dir: string, sub = ''): string[] {
  return readdirSync(path.join(dir, sub), { withFileTypes: true })
    .flatMap((entry) => {
      const rel = sub === '' ? entry.name : `${sub}/${entry.name}`;
      if (entry.isDirectory()) return tsFiles(dir, rel);
      return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [rel] : [];
    })
    .sort();
}

export async function buildRuntimePackage(options: {
  outDir: string;
  /** The workspace package (default: the installed @adlake/event-runtime). */
  sourceDir?: string;
}): Promise<BuiltRuntime> {
  const sourceDir = options.sourceDir ?? runtimeSourceDir();
  const manifestFile = path.join(sourceDir, 'package.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as WorkspaceManifest;
  if (manifest.name !== RUNTIME_PACKAGE || typeof manifest.version !== 'string') {
    throw new ReleaseError('CONFIG_INVALID', `${manifestFile} is not ${RUNTIME_PACKAGE} with a version`, {
      context: { file: manifestFile },
    });
  }
  const sources = tsFiles(path.join(sourceDir, 'src'));
  const root = path.resolve(options.outDir, RUNTIME_BUILD_DIR);
  const srcDir = path.join(root, 'src');
  const dir = path.join(root, 'package');
  rmSync(srcDir, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // The sources are compiled from a copy: the compiler's package.json and node_modules link go beside them,
  // which must not be the workspace package.
  for (const file of sources) {
    mkdirSync(path.dirname(path.join(srcDir, file)), { recursive: true });
    copyFileSync(path.join(sourceDir, 'src', file), path.join(srcDir, file));
  }
  await compilePackage(srcDir, dir, sources, RUNTIME_PACKAGE);
  const readmeFile = path.join(sourceDir, 'README.md');
  const readme = existsSync(readmeFile) ? readFileSync(readmeFile, 'utf8') : undefined;
  if (readme !== undefined) copyFileSync(readmeFile, path.join(dir, 'README.md'));

  const packageJson: Record<string, unknown> = {
    name: RUNTIME_PACKAGE,
    version: manifest.version,
    description: typeof manifest.description === 'string' ? manifest.description : undefined,
    type: 'module',
    sideEffects: false,
    exports: {
      '.': { types: './index.d.ts', import: './index.js', default: './index.js' },
      './package.json': './package.json',
    },
    types: './index.d.ts',
    files: ['*.js', '*.d.ts', 'README.md'],
    engines: { node: '>=22' },
    dependencies: manifest.dependencies ?? {},
    // Its declarations use Buffer.
    peerDependencies: { '@types/node': '>=22' },
    peerDependenciesMeta: { '@types/node': { optional: true } },
    keywords: ['avro', 'avsc', 'events', 'codec'],
  };
  const identity = Object.fromEntries(Object.entries(packageJson).filter(([k]) => k !== 'version'));
  const meta: RuntimeMeta = {
    sourceHash: contentSha256({
      sources: sources.map((file) => [file, readFileSync(path.join(srcDir, file), 'utf8')]),
      readme: readme ?? null,
      packageJson: stableStringify(identity),
    }),
  };
  packageJson['adlake'] = meta;
  writePackageJson(dir, packageJson);
  return { name: RUNTIME_PACKAGE, version: manifest.version, dir, meta, packageJson };
}
