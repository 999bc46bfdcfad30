// Shared test support: fixture loading, writing generated packages to a temp dir Node can import from, and
// type-checking them with the TypeScript compiler API under the strictest options consumers may use.
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { writeGeneratedFiles } from '../src/package.ts';
import type { GeneratedFile } from '../src/generate.ts';
import type { SchemaDocument } from '../src/model.ts';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const WORKSPACE_NODE_MODULES = fileURLToPath(new URL('../../../node_modules', import.meta.url));

export function fixture(path: string): unknown {
  return JSON.parse(readFileSync(join(FIXTURES, path), 'utf8'));
}

export const DEVICE = 'com.acme.adserver.common.Device';

/** The fixture set: AdImpression and AdClick reference Device, which lives in its own file. */
export function fixtureSchemas(): { schemas: SchemaDocument[]; lookupNamedType: (name: string) => unknown } {
  return {
    schemas: [
      {
        file: 'AdImpression.avsc',
        json: fixture('AdImpression.avsc'),
        subject: 'adserver.ad-impression-value',
        topic: 'adserver.ad-impressions',
      },
      {
        file: 'AdClick.avsc',
        json: fixture('AdClick.avsc'),
        subject: 'adserver.ad-click-value',
        topic: 'adserver.ad-clicks',
      },
      { file: 'Category.avsc', json: fixture('Category.avsc'), subject: 'taxonomy.category-value' },
    ],
    lookupNamedType: (name) => (name === DEVICE ? fixture('common/Device.avsc') : undefined),
  };
}

export interface TempPackage {
  dir: string;
  /** Imports a module of the package (Node strips the types). */
  load<T>(path: string): Promise<T>;
  write(path: string, contents: string): void;
  remove(): void;
}

/** Writes files to a fresh temp dir whose node_modules points at the workspace's, so `avsc` resolves. */
export function writeTempPackage(files: readonly GeneratedFile[]): TempPackage {
  const dir = mkdtempSync(join(tmpdir(), 'adlake-codegen-'));
  symlinkSync(WORKSPACE_NODE_MODULES, join(dir, 'node_modules'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  writeGeneratedFiles(dir, files);
  return {
    dir,
    load: async <T>(path: string) => (await import(pathToFileURL(join(dir, path)).href)) as T,
    write: (path, contents) => writeFileSync(join(dir, path), contents),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export const STRICT_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2024,
  lib: ['lib.es2024.d.ts'],
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  types: ['node'],
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  noImplicitOverride: true,
  noUnusedLocals: true,
  noPropertyAccessFromIndexSignature: true,
  erasableSyntaxOnly: true,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  allowImportingTsExtensions: true,
  rewriteRelativeImportExtensions: true,
  skipLibCheck: true,
  noEmit: true,
};

export interface Diagnostic {
  file: string | undefined;
  line: number | undefined;
  message: string;
  /** The source text of the line the diagnostic points at. */
  text: string | undefined;
}

/** Type-checks the given files of a temp package; returns every diagnostic. */
export function typecheck(dir: string, files: readonly string[], options = STRICT_OPTIONS): Diagnostic[] {
  const program = ts.createProgram(
    files.map((f) => join(dir, f)),
    options,
  );
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const position =
      d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
    return {
      file: d.file?.fileName.slice(dir.length + 1),
      line: position === undefined ? undefined : position.line + 1,
      message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
      text: position === undefined ? undefined : d.file?.text.split('\n')[position.line]?.trim(),
    };
  });
}

/** Deep copy with avsc's record and union-branch instances turned into plain objects, for deepStrictEqual. */
export function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value) || value instanceof Date)
    return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
}
