// Compiles a generated package's TypeScript to ES2022 JavaScript plus declarations with the TypeScript
// compiler API, rewriting the `.ts` import extensions to `.js` so the output runs on plain Node.
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type ts from 'typescript';
import { ReleaseError } from './errors.ts';

const require = createRequire(import.meta.url);

/** The node_modules folder that holds avsc (and, in this workspace, @types/node) for the compiler. */
function dependencyRoot(): string {
  const avsc = path.dirname(require.resolve('avsc/package.json'));
  return path.dirname(avsc);
}

export interface CompileResult {
  /** Emitted files, relative to `outDir`. */
  files: string[];
}

export interface CompileOptions {
  /**
   * Packages built in this run, by name: the package directory (with `index.d.ts`) that imports of that name
   * compile against, as a consumer who installs both from npm would. Without it the name would resolve to the
   * workspace's TypeScript sources, which are not part of the package being compiled.
   */
  packages?: Readonly<Record<string, string>>;
}

/**
 * Compiles every `.ts` file in `srcDir` into `outDir`. `workDir` (above srcDir) gets a `node_modules` link to
 * the dependencies the generated code imports, so resolution works wherever the package is built.
 */
export async function compilePackage(
  srcDir: string,
  outDir: string,
  rootNames: readonly string[],
  packageName: string,
  compileOptions: CompileOptions = {},
): Promise<CompileResult> {
  // Loaded on first use: the compiler is large, and every other avro-gov command starts without it.
  const { default: typescript } = await import('typescript');
  const modules = dependencyRoot();
  // NodeNext takes each file's module format from the nearest package.json: make the sources ESM.
  writeFileSync(path.join(path.dirname(srcDir), 'package.json'), '{ "type": "module", "private": true }\n');
  const link = path.join(path.dirname(srcDir), 'node_modules');
  if (!existsSync(link)) {
    mkdirSync(path.dirname(link), { recursive: true });
    symlinkSync(modules, link, 'dir');
  }
  const options: ts.CompilerOptions = {
    target: typescript.ScriptTarget.ES2022,
    module: typescript.ModuleKind.NodeNext,
    moduleResolution: typescript.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2022.d.ts'],
    declaration: true,
    rewriteRelativeImportExtensions: true,
    strict: true,
    skipLibCheck: true,
    noEmitOnError: true,
    rootDir: srcDir,
    outDir,
    types: existsSync(path.join(modules, '@types', 'node')) ? ['node'] : [],
    typeRoots: [path.join(modules, '@types')],
    newLine: typescript.NewLineKind.LineFeed,
  };
  const packages = Object.entries(compileOptions.packages ?? {});
  if (packages.length > 0) {
    // `paths` wins over node_modules lookup and leaves the emitted specifier as written.
    options.paths = Object.fromEntries(packages.map(([name, dir]) => [name, [path.join(dir, 'index.d.ts')]]));
  }
  const program = typescript.createProgram(
    rootNames.map((f) => path.join(srcDir, f)),
    options,
  );
  const emitted: string[] = [];
  const result = program.emit(undefined, (file, text) => {
    mkdirSync(path.dirname(file), { recursive: true });
    // Declarations keep the `.ts` specifiers (rewriteRelativeImportExtensions rewrites JavaScript only), so
    // a consumer without allowImportingTsExtensions could not follow them; point them at the `.js` files.
    typescript.sys.writeFile(file, file.endsWith('.d.ts') ? rewriteDeclarationImports(text) : text);
    emitted.push(path.relative(outDir, file).split(path.sep).join('/'));
  });
  const diagnostics = [...typescript.getPreEmitDiagnostics(program), ...result.diagnostics];
  if (diagnostics.length > 0 || result.emitSkipped) {
    const text = typescript.formatDiagnostics(diagnostics, {
      getCanonicalFileName: (f) => f,
      getCurrentDirectory: () => srcDir,
      getNewLine: () => '\n',
    });
    throw new ReleaseError(
      'CODEGEN_FAILED',
      `${packageName}: the generated TypeScript does not compile:\n${text}`,
    );
  }
  return { files: emitted.sort() };
}

/** `from './x.ts'` and `import('./x.ts')` in a declaration file become `./x.js`. */
export function rewriteDeclarationImports(text: string): string {
  return text.replace(
    /((?:from|import)\s*\(?\s*)(['"])(\.{1,2}\/[^'"]*?)\.([mc]?)ts\2/g,
    (_m, head: string, q: string, spec: string, kind: string) => `${head}${q}${spec}.${kind}js${q}`,
  );
}
